"""The insurance schemes (险种) a city may pool, each its own fund with its own books.

Figures never mix across schemes (分别建账、分账核算、专款专用 — 001 §2.1.1, 004 §4). Which
schemes a city pools, and the report lines of each, come from its policy profile; this module
only names the codes every profile and every other module agree on.
"""

from __future__ import annotations

from typing import Literal, get_args

SchemeCode = Literal["EMP", "EMP_PA", "RES", "CI", "LTC", "MA", "SUP"]
"""A scheme code, as written in profiles, packages and the database."""

SCHEMES: dict[str, str] = {
    "EMP": "职工基本医疗保险统筹基金",
    "EMP_PA": "职工基本医疗保险个人账户",
    "RES": "城乡居民基本医疗保险",
    "CI": "大病保险",
    "LTC": "长期护理保险",
    "MA": "医疗救助",
    "SUP": "补充医疗保险",
}
"""Scheme code → its standard Chinese name (a profile may name a scheme more precisely)."""

SCHEME_CODES: tuple[str, ...] = get_args(SchemeCode)
"""The codes in their canonical order (the order of SCHEMES)."""

assert tuple(SCHEMES) == SCHEME_CODES, "SchemeCode and SCHEMES must list the same codes"


def scheme_name(code: str) -> str:
    """The standard Chinese name of `code`; KeyError for a code that is not a scheme."""
    return SCHEMES[code]

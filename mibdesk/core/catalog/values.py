"""Building blocks of a policy profile: sourced values, decimals written as text, frozen maps.

Every parameter of a profile says where it comes from: a `Sourced[T]` carries `.value` and
`.source`. A source is either a citation "<document> §<section>" of a document the profile
lists in `sources` (e.g. "004 §4.4", "000 附件 §2.3"), or "mibdesk 默认（<why>）" where the
policy text is silent. Several citations may be joined with "；".

Rates and ratios are `Decimal`, written in JSON as strings ("0.074"): a JSON number would pass
through a float, which the house rules forbid even on the way through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from mibdesk.core.i18n import _

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

DEFAULT_SOURCE_PREFIX = "mibdesk 默认"
"""A source starting with this marks a documented default: "mibdesk 默认（<why>）"."""

_CITATION = re.compile(r"^(?P<doc>[^\s§；]+)(?: [^§；]+)? §\S[^；]*$")
_DEFAULT = re.compile(r"^mibdesk 默认（[^）].*）$", re.DOTALL)


class Frozen(BaseModel):
    """Base of every profile model: immutable, unknown fields refused, hashable."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _decimal_from_text(value: Any) -> Any:
    """Read a decimal written as text; refuse JSON numbers ("0.074", never 0.074)."""
    if isinstance(value, bool | int | float):
        raise ValueError(_('write decimals as text in quotes, e.g. "0.074"'))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(_('must be a decimal number written as text, e.g. "0.074"')) from None
    return value


DecimalText = Annotated[Decimal, BeforeValidator(_decimal_from_text), Field(allow_inf_nan=False)]
"""A finite decimal, written in JSON as a string."""

Ratio = Annotated[DecimalText, Field(ge=0, le=1)]
"""A share or rate between 0 and 1 inclusive (0.2 = 20 %)."""

NonNegative = Annotated[DecimalText, Field(ge=0)]
Positive = Annotated[DecimalText, Field(gt=0)]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""Non-empty text (names, titles)."""

Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""Where a parameter comes from; its form is checked against the profile's `sources`."""

LineCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,39}$")]
"""A report line code: ASCII capitals, digits and underscores, e.g. "EXP_INPATIENT"."""


class Sourced(Frozen, Generic[T]):
    """A parameter value with the source it comes from."""

    value: T
    source: Source


def source_titles(source: str, titles: Mapping[str, str]) -> str:
    """The titles of the documents `source` cites, one a line ("000：绍兴市…"), to show
    beside a citation such as "000 附件 §4.5.3"; "" when it cites none."""
    docs = dict.fromkeys(cited_documents(source) or ())
    return "\n".join(f"{doc}：{titles[doc]}" for doc in docs if doc in titles)


def cited_documents(source: str) -> tuple[str, ...] | None:
    """The document keys a source cites, in order, or None when the source is malformed.

    A source is one or more citations "<document> [part] §<section>" joined by "；",
    optionally followed (or replaced) by one documented default "mibdesk 默认（<why>）",
    which comes last and may itself contain "；". A default cites no document.
    """
    marker = source.find(DEFAULT_SOURCE_PREFIX)
    citations, default = (source, "") if marker < 0 else (source[:marker], source[marker:])
    if default and not _DEFAULT.match(default):
        return None
    citations = citations.strip()
    if default:
        if citations and not citations.endswith("；"):
            return None
        citations = citations.removesuffix("；").strip()
        if not citations:
            return ()
    docs: list[str] = []
    for part in citations.split("；"):
        match = _CITATION.match(part.strip())
        if match is None:
            return None
        docs.append(match.group("doc"))
    return tuple(docs)


def is_default(source: str) -> bool:
    """Whether `source` is a documented default rather than a citation."""
    return source.startswith(DEFAULT_SOURCE_PREFIX)


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping (a profile's dict-valued fields)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V]) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _freeze(value: Mapping[Any, Any]) -> FrozenMap[Any, Any]:
    return FrozenMap(value)


def _thaw(value: Mapping[Any, Any]) -> dict[Any, Any]:
    return dict(value)


TextMap = Annotated[
    Mapping[Text, Text],
    AfterValidator(_freeze),
    PlainSerializer(_thaw, return_type=dict[str, str]),
]
"""A frozen str → str mapping, serialised as a JSON object."""


class MonthDay(Frozen):
    """A day in the year: `month` 1–12, `day` 1–31, or `day` null for the month's last day."""

    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)] | None = None

    @model_validator(mode="after")
    def _day_exists(self) -> MonthDay:
        longest = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[self.month - 1]
        if self.day is not None and self.day > longest:
            raise ValueError(
                _("month {month} has no day {day}").format(month=self.month, day=self.day)
            )
        return self

"""Official forms as PDFs: a declarative layout per form, rendered by one ReportLab engine.

Only `layout` and `forms` are imported here; the engine (and ReportLab) is imported by whoever
renders, so that importing the package never loads ReportLab at start-up.
"""

from __future__ import annotations

from mibdesk.core.reports.layout import (
    Column,
    FormLayout,
    Row,
    Signatories,
    Signer,
    TableBlock,
    fingerprint,
)

__all__ = [
    "Column",
    "FormLayout",
    "Row",
    "Signatories",
    "Signer",
    "TableBlock",
    "fingerprint",
]

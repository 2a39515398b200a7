"""What the official-form actions do, without widgets: which form a screen shows, rendering it,
the head's signature and key, and checking a PDF's signature.

The work methods (`render`, `sign`, `create_key`, `verify`) touch the store or the disk and
are meant to run through the `TaskRunner`; they raise `UserError` with the message to show
when they refuse, and change nothing then.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mibdesk.core.i18n import _
from mibdesk.core.periods import Month
from mibdesk.core.security.roles import Permission
from mibdesk.core.services import forms
from mibdesk.core.services.changes import Area, Changes
from mibdesk.core.services.forms import FormFile
from mibdesk.ui.context import UiContext

if TYPE_CHECKING:
    from mibdesk.core.signing.verify import PdfVerdict

FormKind = Literal["report", "plan", "execution"]
_TITLES = {"report": "月报表", "plan": "用款计划申请表", "execution": "预算执行情况表"}


@dataclass(frozen=True)
class FormRequest:
    """The form for what a screen shows: a scheme's month (report, plan) or a year."""

    kind: FormKind
    scheme: str = ""
    month: Month | None = None
    year: int = 0

    @classmethod
    def report(cls, scheme: str, month: Month) -> FormRequest:
        return cls("report", scheme, month, month.year)

    @classmethod
    def plan(cls, scheme: str, month: Month) -> FormRequest:
        return cls("plan", scheme, month, month.year)

    @classmethod
    def execution(cls, year: int) -> FormRequest:
        return cls("execution", year=year)

    def file_name(self, office_code: str, suffix: str = "") -> str:
        """e.g. 330699-EMP-2026-10-月报表.pdf, 330699-2026-预算执行情况表-签章.pdf"""
        period = str(self.month) if self.month else str(self.year)
        parts = [office_code, self.scheme, period, _TITLES[self.kind] + suffix]
        return "-".join(part for part in parts if part) + ".pdf"


class FormController:
    """The form actions of one screen; `request()` names the form for what it shows now."""

    def __init__(self, ctx: UiContext) -> None:
        self._ctx = ctx
        self._scratch: Path | None = None

    @property
    def can_sign(self) -> bool:
        """Only a head signs (the service checks again)."""
        return self._ctx.actor.can(Permission.APPROVE)

    def key_exists(self) -> bool:
        return forms.key_path(self._ctx.store).is_file()

    def suggested_name(self, request: FormRequest, signed: bool = False) -> str:
        return request.file_name(self._ctx.office.code, "-签章" if signed else "")

    def scratch_path(self, request: FormRequest) -> Path:
        """A new file in this session's temporary folder, for a preview or the viewer (a
        viewer may still hold the previous one open, so never the same name twice)."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="mibdesk-forms-"))
        stem = self.suggested_name(request).removesuffix(".pdf")
        return self._scratch / f"{stem}-{datetime.now():%H%M%S%f}.pdf"

    def render(self, request: FormRequest, target: Path) -> FormFile:
        """Write the form to `target` (atomically); worker thread."""
        ctx = self._ctx
        if request.kind == "execution":
            return forms.execution_pdf(ctx.store, ctx.profile, request.year, target)
        assert request.month is not None
        make = forms.monthly_report_pdf if request.kind == "report" else forms.plan_pdf
        return make(ctx.store, ctx.profile, request.scheme, request.month, target)

    def check_signable(self, form: FormFile) -> None:
        """Refuse before asking for the key's password: a non-head, unapproved data."""
        forms.check_signable(self._ctx.actor, form)

    def create_key(self, password: str, repeat: str) -> str:
        """Create the office's key; returns the certificate fingerprint. Worker thread."""
        return forms.create_key(self._ctx.store, self._ctx.actor, password, repeat)

    def prepare_signing(self) -> None:
        """Load the signing library ahead of `sign` (worker thread, while the password is
        typed), so that the signature itself takes a fraction of a second."""
        from mibdesk.core.signing.sign import warm_up

        warm_up()

    def sign(self, form: FormFile, target: Path, password: str) -> Path:
        """The head's signature on `form`, written to `target`. Worker thread."""
        return forms.sign_form(self._ctx.store, self._ctx.actor, form, target, password)

    def audit_changed(self) -> None:
        """Tell the other screens (the audit log) that a signature or a new key was logged."""
        self._ctx.hub.publish(Changes.of(Area.AUDIT))

    def verify(self, path: Path) -> PdfVerdict:
        """Check the signature of any PDF against the office's trust roots (its own
        certificate and the city's trust list). Worker thread."""
        from mibdesk.core.services.trust import pdf_trust_roots
        from mibdesk.core.signing.verify import verify_pdf

        return verify_pdf(path, pdf_trust_roots(self._ctx.store))


def verdict_lines(verdict: PdfVerdict) -> list[tuple[str, str]]:
    """The verdict as (label, value) rows for the user, in their language."""
    yes, no = _("Yes"), _("No")
    when = verdict.signed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if verdict.signed_at else ""
    rows = [(_("Signed"), yes if verdict.signed else no)]
    if verdict.signed:
        rows += [
            (_("Signer"), verdict.signer),
            (_("Office code"), verdict.office_code),
            (_("Signed at"), when),
            (_("Unchanged since signing"), yes if verdict.intact else no),
            (_("Signer trusted"), yes if verdict.trusted else no),
            (_("Certificate fingerprint"), verdict.fingerprint),
        ]
    return rows


def verdict_summary(verdict: PdfVerdict) -> str:
    """One sentence: what the verdict means for the user."""
    if not verdict.signed:
        return _("This PDF carries no signature.")
    if not verdict.intact:
        return _("The file was changed after it was signed: do not rely on it.")
    if not verdict.trusted:
        return _("The file is unchanged, but the signer is not among the trusted offices.")
    return _("The signature is valid: the file is unchanged and the signer is trusted.")

"""The first-run setup wizard: office level, policy profile, code and name, drop folder, accounts.

Each page checks its fields with the same core validators `mibdesk-cli init` uses and shows
the message under the fields; nothing is written until the last page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mibdesk.core.catalog import list_profiles, load_profile
from mibdesk.core.errors import UserError
from mibdesk.core.i18n import _
from mibdesk.core.security.roles import Role
from mibdesk.core.services.accounts import NewUser, validate_new_user
from mibdesk.core.services.setup import (
    LEVEL_NAMES,
    SUPPORTED_LEVELS,
    OfficeLevel,
    SetupRequest,
    parse_township_lines,
    set_up_office,
    validate_division_code,
    validate_office_name,
)
from mibdesk.core.services.store import Store


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setObjectName("pageError")
    return label


class _CheckedPage(QWizardPage):
    """A page whose `check()` raises UserError; the message is shown and Next is refused."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = _error_label()

    def check(self) -> None:
        """Raise UserError when a field is wrong."""

    def validatePage(self) -> bool:
        try:
            self.check()
        except UserError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        return True


class OfficePage(_CheckedPage):
    def __init__(self) -> None:
        super().__init__(_("Your office"), _("Which office is this, and which city's rules apply?"))
        self.level = QComboBox()
        for level in SUPPORTED_LEVELS:
            self.level.addItem(_(LEVEL_NAMES[level]), level)
        self.profile = QComboBox()
        for summary in list_profiles():
            self.profile.addItem(f"{summary.name}（{summary.id}）", summary.id)
        self.profile_note = QLabel()
        self.profile_note.setWordWrap(True)
        self.profile.currentIndexChanged.connect(self._describe_profile)
        self.code = QLineEdit()
        self.code.setMaxLength(9)
        self.code.setPlaceholderText(_("e.g. 330602"))
        self.level.currentIndexChanged.connect(self._describe_level)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. 青溪县医疗保障事务中心"))
        form = QFormLayout(self)
        form.addRow(_("Office level"), self.level)
        form.addRow(_("Policy profile"), self.profile)
        form.addRow("", self.profile_note)
        form.addRow(_("Division code"), self.code)
        form.addRow(_("Office name"), self.name)
        form.addRow(self.error)
        self._describe_profile()

    def _describe_level(self) -> None:
        township = self.level.currentData() == OfficeLevel.TOWNSHIP
        self.code.setPlaceholderText(_("e.g. 330602001") if township else _("e.g. 330602"))

    def _describe_profile(self) -> None:
        profile_id = self.profile.currentData()
        if not profile_id:
            return
        profile = load_profile(profile_id)
        schemes = "、".join(s.name for s in profile.schemes)
        self.profile_note.setText(_("Schemes pooled: {schemes}").format(schemes=schemes))

    def check(self) -> None:
        profile = load_profile(self.profile.currentData())
        validate_division_code(
            self.code.text().strip(), OfficeLevel(self.level.currentData()), profile.city_code
        )
        validate_office_name(self.name.text())


class DropPage(_CheckedPage):
    def __init__(self) -> None:
        super().__init__(
            _("Drop folder"),
            _(
                "The shared folder through which packages travel to and from the city. "
                "You can leave it empty now and set it later in Settings."
            ),
        )
        self.folder = QLineEdit()
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose the drop folder"))
        if chosen:
            self.folder.setText(chosen)

    def check(self) -> None:
        text = self.folder.text().strip()
        if text and not Path(text).is_absolute():
            raise UserError(_("Give the full path of the drop folder."), where=_("Drop folder"))


class TownshipsPage(_CheckedPage):
    """The county's townships, typed or pasted one per line: code and name."""

    def __init__(self, office_page: OfficePage) -> None:
        super().__init__(
            _("Townships"),
            _(
                "The townships (乡镇/街道) that report resident-scheme figures, one per line: the "
                "9-digit code and the name, e.g. 330602001 塔山街道. Paste them from Excel or add "
                "them later in Settings."
            ),
        )
        self.office_page = office_page
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("330602001 塔山街道\n330602002 府山街道")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.error)

    def townships(self) -> tuple[tuple[str, str], ...]:
        return parse_township_lines(self.text.toPlainText(), self.office_page.code.text().strip())

    def check(self) -> None:
        self.townships()


class _AccountFields(QWidget):
    def __init__(self, role: Role, optional: bool) -> None:
        super().__init__()
        self.role = role
        self.optional = optional
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Username"), self.username)
        form.addRow(_("Full name"), self.display_name)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Repeat password"), self.confirm)

    def new_user(self) -> NewUser | None:
        if self.optional and not self.username.text().strip():
            return None
        if self.password.text() != self.confirm.text():
            raise UserError(_("The two passwords differ."), where=_("Repeat password"))
        new = NewUser(
            self.username.text().strip(),
            self.display_name.text().strip(),
            self.role,
            self.password.text(),
        )
        validate_new_user(new)
        return new


class AccountsPage(_CheckedPage):
    def __init__(self) -> None:
        super().__init__(
            _("Accounts"),
            _(
                "The head (负责人) administers accounts and approves. A preparer and a reviewer "
                "can be added now or later; nobody approves their own entry."
            ),
        )
        self.fields = [
            _AccountFields(Role.HEAD, optional=False),
            _AccountFields(Role.PREPARER, optional=True),
            _AccountFields(Role.REVIEWER, optional=True),
        ]
        layout = QVBoxLayout(self)
        titles = [_("Head (required)"), _("Preparer (optional)"), _("Reviewer (optional)")]
        for title, fields in zip(titles, self.fields, strict=True):
            label = QLabel(title)
            label.setStyleSheet("font-weight: bold;")
            layout.addWidget(label)
            layout.addWidget(fields)
        layout.addWidget(self.error)

    def users(self) -> tuple[NewUser, ...]:
        found = []
        for fields in self.fields:
            try:
                new = fields.new_user()
            except UserError as error:
                title = {
                    Role.HEAD: _("Head"),
                    Role.PREPARER: _("Preparer"),
                    Role.REVIEWER: _("Reviewer"),
                }[fields.role]
                raise UserError(error.message, where=f"{title} · {error.where}") from error
            if new is not None:
                found.append(new)
        return tuple(found)

    def check(self) -> None:
        self.users()


class SetupWizard(QWizard):
    """Creates the office in `data_dir`; `store` is the opened office after `accept`."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.store: Store | None = None
        self.setWindowTitle(_("Set up mibdesk"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(640, 560)
        self.office_page = OfficePage()
        self.drop_page = DropPage()
        self.townships_page = TownshipsPage(self.office_page)
        self.accounts_page = AccountsPage()
        self._ids = [
            self.addPage(page)
            for page in (self.office_page, self.drop_page, self.townships_page, self.accounts_page)
        ]
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Create the office"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))

    def _county(self) -> bool:
        return bool(self.office_page.level.currentData() == OfficeLevel.COUNTY)

    def nextId(self) -> int:
        """Only a county lists townships: a township or city office skips that page."""
        following = super().nextId()
        if following == self._ids[2] and not self._county():
            return self._ids[3]
        return following

    def request(self) -> SetupRequest:
        page = self.office_page
        return SetupRequest(
            level=OfficeLevel(page.level.currentData()),
            profile_id=page.profile.currentData(),
            code=page.code.text().strip(),
            name=page.name.text().strip(),
            drop_folder=self.drop_page.folder.text().strip(),
            users=self.accounts_page.users(),
            townships=self.townships_page.townships() if self._county() else (),
        )

    def accept(self) -> None:
        try:
            self.store = set_up_office(self.data_dir, self.request())
        except UserError as error:
            self.accounts_page.error.setText(str(error))
            return
        super().accept()

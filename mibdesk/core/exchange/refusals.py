"""Why a package was refused or held, as a stable code (stored in the ledger) and a sentence."""

from __future__ import annotations

from enum import StrEnum

from mibdesk.core.errors import ValidationError
from mibdesk.core.i18n import N_, _


class Reason(StrEnum):
    NOT_A_PACKAGE = "not_a_package"
    TOO_LARGE = "too_large"
    BOMB = "bomb"
    UNSAFE_NAME = "unsafe_name"
    DUPLICATE_MEMBER = "duplicate_member"
    EXTRA_MEMBER = "extra_member"
    MISSING_MEMBER = "missing_member"
    HASH_MISMATCH = "hash_mismatch"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    REVOKED_KEY = "revoked_key"
    RETIRED_KEY = "retired_key"
    SENDER_MISMATCH = "sender_mismatch"
    BAD_MANIFEST = "bad_manifest"
    NOT_FOR_US = "not_for_us"
    UNKNOWN_KIND = "unknown_kind"
    BAD_DATA = "bad_data"
    TAMPERED = "tampered"
    FORK = "fork"
    REFUSED_BY_RULES = "refused_by_rules"
    FILE_LOST = "file_lost"


_TEXT = {
    Reason.NOT_A_PACKAGE: N_("The file is not a mibdesk package, or it is damaged."),
    Reason.TOO_LARGE: N_("The package is larger than allowed ({name})."),
    Reason.BOMB: N_("A member expands far beyond its packed size ({name}): refused as unsafe."),
    Reason.UNSAFE_NAME: N_("A member has an unsafe name or type ({name})."),
    Reason.DUPLICATE_MEMBER: N_("A member appears twice ({name})."),
    Reason.EXTRA_MEMBER: N_("The package holds a file its manifest does not list ({name})."),
    Reason.MISSING_MEMBER: N_("A file listed in the manifest is missing ({name})."),
    Reason.HASH_MISMATCH: N_("A file does not match its hash in the manifest ({name})."),
    Reason.BAD_SIGNATURE: N_("The signature does not match: the package was changed or forged."),
    Reason.UNKNOWN_KEY: N_(
        "The package is signed by a key this office has not registered ({name}). Register the "
        "sender's key after checking its fingerprint, then retry."
    ),
    Reason.REVOKED_KEY: N_("The package is signed by a revoked key ({name})."),
    Reason.RETIRED_KEY: N_(
        "The package is signed by key {name}, which its office replaced with a new key more "
        "than 30 days ago: ask the sender to send it again (it will be signed with the new key)."
    ),
    Reason.SENDER_MISMATCH: N_(
        "The package names {name} as its sender, but the key belongs to another office."
    ),
    Reason.BAD_MANIFEST: N_("The manifest is not valid: {name}"),
    Reason.NOT_FOR_US: N_("The package is addressed to {name}, not to this office."),
    Reason.UNKNOWN_KIND: N_("This version of mibdesk does not know packages of kind {name}."),
    Reason.BAD_DATA: N_("The package's data is not valid: {name}"),
    Reason.TAMPERED: N_(
        "A package with the same id but different content was already received ({name}): "
        "possible tampering."
    ),
    Reason.FORK: N_(
        "Another package already holds number {name} from this sender: the sender's history "
        "has forked. Ask the sender which one is right."
    ),
    Reason.REFUSED_BY_RULES: N_("The data could not be applied: {name}"),
    Reason.FILE_LOST: N_(
        "The package file {name} is no longer on this computer nor in the drop folder; ask "
        "the sender to send it again."
    ),
}


def describe(reason: Reason | str, detail: str = "") -> str:
    return _(_TEXT[Reason(reason)]).format(name=detail)


class PackageRefused(ValidationError):
    """A package that must not be applied; `reason` is stored, the message shown."""

    def __init__(self, reason: Reason, *, name: str = "") -> None:
        super().__init__(describe(reason, name))
        self.reason = reason
        self.detail = name

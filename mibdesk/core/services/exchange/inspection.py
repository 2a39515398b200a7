"""A package file looked at from outside the import (a technician, the command line):
shown as it states itself, or verified fully against this office's registered keys.
Nothing is applied and nothing is recorded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError as SchemaError

from mibdesk.core.errors import UserError
from mibdesk.core.exchange.examine import PackageLook, examine
from mibdesk.core.exchange.manifest import PAYLOAD_DATA
from mibdesk.core.exchange.package import MAX_MEMBER, open_package, read_file
from mibdesk.core.exchange.refusals import PackageRefused, Reason, describe
from mibdesk.core.exchange.strict_json import parse_strict
from mibdesk.core.services.exchange.context import me
from mibdesk.core.services.exchange.importer import KINDS
from mibdesk.core.services.exchange.peers import pinned
from mibdesk.core.services.store import Store


@dataclass(frozen=True)
class Verification:
    """The verdict on one package file; `reason` says why not, in words."""

    ok: bool
    reason: str = ""
    package_id: str = ""
    sender: str = ""
    recipient: str = ""
    sequence: int = 0
    kind: str = ""
    subject: dict[str, str | int] = field(default_factory=dict)
    for_this_office: bool = False


def show_package(store: Store | None, path: Path) -> PackageLook:
    """The package's manifest and members; its signature counts as verified only when the
    sender's key is registered in `store` (no office: never)."""
    keys = pinned(store) if store is not None else {}
    return examine(read_file(path), keys.get)


def verify_package(store: Store, path: Path) -> Verification:
    """Everything the importer checks before applying: size and member names, the signature
    with the sender's registered key, every file's hash, the member list, the manifest, and
    the data against its kind's schema."""
    try:
        opened = open_package(read_file(path), pinned(store).get)
    except PackageRefused as refusal:
        return Verification(False, str(refusal))
    manifest = opened.manifest
    found = Verification(
        True,
        "",
        manifest.package_id,
        manifest.sender.office,
        manifest.recipient,
        manifest.sequence,
        manifest.kind,
        dict(manifest.subject),
        manifest.recipient == me(store).code,
    )
    kind = KINDS.get(manifest.kind)
    if kind is None:
        return replace(found, ok=False, reason=describe(Reason.UNKNOWN_KIND, manifest.kind))
    raw = opened.members.get(PAYLOAD_DATA, b"")
    try:
        kind.schema.model_validate(parse_strict(raw, where=PAYLOAD_DATA, max_bytes=MAX_MEMBER))
    except (UserError, SchemaError) as error:
        return replace(found, ok=False, reason=describe(Reason.BAD_DATA, str(error)[:300]))
    return found

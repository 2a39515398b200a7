"""The package manifest (format version 1): what a package is, from whom, in which order.

The manifest's exact bytes are what the sender signs. It is parsed only after that
signature has been checked with the sender's pinned key, and then strictly: unknown fields,
wrong types and out-of-range values are refused.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT: Final = "mibdesk-package"
FORMAT_VERSION: Final = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOAD_DATA = "payload/data.json"

OfficeCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3})?$")]
Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MemberName = Annotated[str, StringConstraints(pattern=r"^payload/[a-z0-9][a-z0-9_.-]{0,60}$")]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]
SubjectValue = Annotated[str, StringConstraints(max_length=80)] | int


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Sender(_Strict):
    office: OfficeCode
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]


class FileEntry(_Strict):
    name: MemberName
    size: Annotated[int, Field(ge=0, le=2**40)]
    sha256: Hex64


class Manifest(_Strict):
    format: Literal["mibdesk-package"]
    format_version: Literal[1]
    package_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    sender: Sender
    recipient: OfficeCode
    sequence: Annotated[int, Field(ge=1, le=2**40)]
    previous: Hex64 | Literal[""]
    kind: Kind
    subject: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")], SubjectValue]
    files: Annotated[list[FileEntry], Field(min_length=1, max_length=16)]
    control: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")], int]
    schema_version: Annotated[int, Field(ge=1, le=1000)]
    created_at: Annotated[str, StringConstraints(max_length=40)]  # information only

    @property
    def stream(self) -> tuple[str, str]:
        return (self.sender.office, self.recipient)

"""Where bundled resources (profiles, fonts, translations) live, in a checkout or a bundle.

Messages about missing resources are written in Chinese directly, not through the catalog:
the catalog itself may be what is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mibdesk.core.errors import UserError


def resources_root() -> Path:
    """The `resources/` folder: beside the package in a checkout, inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


MANIFEST = "manifest.txt"
"""Written into a bundle's `resources/` by the build (installer/mibdesk.spec): every resource
file the bundle was built with, one path (relative, with /) per line."""


def _incomplete(names: list[str], root: Path) -> UserError:
    shown = "、".join(names[:5]) + (f" 等 {len(names)} 个文件" if len(names) > 5 else "")
    where = root.joinpath(names[0]) if len(names) == 1 else root
    return UserError(f"程序文件不完整：缺少资源 {shown}（{where}）。请重新安装 mibdesk。")


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource; a clear error naming it when it is missing."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise _incomplete(["/".join(parts)], resources_root())
    return path


def check_resources() -> None:
    """At start: refuse an installed bundle that lacks a resource file, naming what is missing.

    The bundle's manifest says what it was built with; a bundle without its manifest is
    refused too. A checkout has no manifest and is not checked (git keeps it whole).
    """
    root = resources_root()
    manifest = root / MANIFEST
    if not manifest.is_file():
        if getattr(sys, "frozen", False):
            raise _incomplete([MANIFEST], root)
        return
    listed = manifest.read_text(encoding="utf-8").splitlines()
    missing = [name for name in listed if name and not (root / name).is_file()]
    if missing:
        raise _incomplete(missing, root)

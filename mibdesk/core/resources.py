"""Where bundled resources (profiles, fonts, translations) live, in a checkout or a bundle."""

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


def resource_path(*parts: str) -> Path:
    """The path of a bundled resource; a clear error naming it when it is missing."""
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise UserError(
            f"程序文件不完整：缺少资源 {'/'.join(parts)}（{path}）。请重新安装 mibdesk。"
        )
    return path

"""Build the one-folder bundle, smoke-test it, and compile the Windows installer script.

    python installer/build.py                    build, smoke, installer (compressed)
    python installer/build.py --quick-installer  the same, the installer uncompressed (CI)
    python installer/build.py --skip-build       smoke and installer of the bundle in dist/

The bundle is `dist/mibdesk/` (PyInstaller, installer/mibdesk.spec); the installer
`dist/mibdesk-<version>-setup.exe` (NSIS, installer/mibdesk.nsi). The smoke runs the
bundled programs on a demo office in a temporary folder, offscreen: the window opens the
office and quits (exit 0), and the command line makes, signs and verifies a PDF, checks the
office's health and exports diagnostics; a resource removed from the bundle must stop the
program with a message naming it. Each step is timed; any failure exits 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from mibdesk import __version__  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
EXE = ".exe" if sys.platform == "win32" else ""
PASSWORD, KEY_PASSWORD = "demo2026", "smoke-key-2026"
STEP_TIMEOUT = 300
REMOVED_RESOURCE = "fonts/wqy-microhei.ttc"


@dataclass(frozen=True)
class CliStep:
    """One call of the bundled mibdesk-cli: arguments with {office}, {out}, {month}
    and {approved}."""

    what: str
    args: tuple[str, ...]
    creates: str = ""  # a file under {out} that must exist afterwards
    exit_codes: tuple[int, ...] = (0,)


def cli_steps() -> tuple[CliStep, ...]:
    """What the smoke asks of the bundled command line, in order (on the demo office)."""
    return (
        # 1 when a check finds a problem (e.g. no calendar for this year yet): still a run
        CliStep("health", ("health", "--json", "--data-dir", "{office}"), exit_codes=(0, 1)),
        CliStep("signing key", ("keys", "create", "--as", "zhangli", "--data-dir", "{office}")),
        CliStep(
            "signed plan PDF",
            (
                *("pdf", "plan", "--scheme", "EMP", "--period", "{month}"),
                *("--sign", "--as", "zhangli", "-o", "{out}/plan.pdf", "--data-dir", "{office}"),
            ),
            creates="plan.pdf",
        ),
        CliStep(
            "PDF verified",
            ("pdf", "verify", "{out}/plan.pdf", "--trust", "{office}/keys/office.crt"),
        ),
        CliStep(
            "diagnostics",
            ("diagnostics", "export", "-o", "{out}/diagnostics.zip", "--data-dir", "{office}"),
            creates="diagnostics.zip",
        ),
        CliStep(
            "package",
            (
                *("package", "send", "report", "--scheme", "RES", "--period", "{approved}"),
                *("--as", "zhangli", "--data-dir", "{office}"),
            ),
        ),
        CliStep("package read back", ("package", "show", "{office}/exchange/outbox/*.mibpkg")),
    )


@contextmanager
def timed(what: str) -> Iterator[None]:
    start = time.monotonic()
    print(f"--- {what}", flush=True)
    yield
    print(f"--- {what}: {time.monotonic() - start:.1f} s", flush=True)


def run(command: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )


def fail(message: str, result: subprocess.CompletedProcess[str] | None = None) -> None:
    if result is not None:
        message += f"\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"
    raise SystemExit(f"SMOKE FAILED: {message}")


def build_bundle(dist: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(WORK)]
    command.append(str(ROOT / "installer" / "mibdesk.spec"))
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "mibdesk"


def expand(args: Sequence[str], values: dict[str, str]) -> list[str]:
    """Fill in the placeholders; an argument with * becomes the one file it matches."""
    filled = [arg.format(**values) for arg in args]
    return [
        str(next(Path(arg).parent.glob(Path(arg).name), arg)) if "*" in arg else arg
        for arg in filled
    ]


def smoke(bundle: Path) -> None:
    gui, cli = bundle / f"mibdesk{EXE}", bundle / f"mibdesk-cli{EXE}"
    folder = Path(tempfile.mkdtemp(prefix="mibdesk-smoke-"))
    office, out = folder / "office", folder / "out"
    out.mkdir()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MIBDESK_PASSWORD": PASSWORD,
        "MIBDESK_KEY_PASSWORD": KEY_PASSWORD,
        "XDG_DATA_HOME": str(folder / "user-data"),  # nothing touches the real user folder
    }
    today = date.today()
    two_back = date(today.year - (today.month <= 2), (today.month - 3) % 12 + 1, 1)
    values = {
        "office": str(office),
        "out": str(out),
        "month": f"{today:%Y-%m}",
        "approved": f"{two_back:%Y-%m}",  # the demo's last approved month
    }
    try:
        version = run([str(cli), "--version"], env)
        if version.returncode or __version__ not in version.stdout:
            fail("mibdesk-cli --version", version)
        print(version.stdout.strip())
        created = run([str(cli), "demo", "--data-dir", str(office)], env)
        if created.returncode:
            fail("demo office", created)
        smoke_window(gui, office, env)
        for step in cli_steps():
            result = run([str(cli), *expand(step.args, values)], env)
            made = not step.creates or (out / step.creates).is_file()
            if result.returncode not in step.exit_codes or not made:
                fail(step.what, result)
            print(f"ok: {step.what}")
        smoke_missing_resource(bundle, cli, office, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def smoke_window(gui: Path, office: Path, env: dict[str, str]) -> None:
    """The window opens the demo office, fills its first screen and quits with exit 0."""
    result = run([str(gui), "--demo", "--data-dir", str(office), "--smoke"], env)
    marks = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    # a windowed program on Windows may have no standard output: there the exit code speaks
    wanted = set() if sys.platform == "win32" else {"shown", "ready"}
    if result.returncode or not wanted <= marks:
        fail("window on the demo office", result)
    print("ok: window opened the demo office (shown, ready) and quit")


def smoke_missing_resource(bundle: Path, cli: Path, office: Path, env: dict[str, str]) -> None:
    """Take one resource out of the bundle: the program must refuse, naming it, then work
    again once it is back."""
    resource = bundle / "_internal" / "resources" / REMOVED_RESOURCE
    aside = resource.with_name(resource.name + ".aside")
    resource.rename(aside)
    try:
        result = run([str(cli), "health", "--data-dir", str(office)], env)
    finally:
        aside.rename(resource)
    if result.returncode != 1 or REMOVED_RESOURCE not in result.stderr:
        fail(f"a bundle without {REMOVED_RESOURCE} must say so", result)
    print(f"ok: without {REMOVED_RESOURCE}: {result.stderr.strip()}")


def find_makensis() -> str:
    found = shutil.which("makensis")
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"), "NSIS")
    if found is None and (default / "makensis.exe").is_file():
        found = str(default / "makensis.exe")
    if found is None:
        raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis)")
    return found


def compile_installer(bundle: Path, dist: Path, quick: bool) -> Path:
    numbers = [int(n) for n in re.findall(r"\d+", __version__)[:4]]
    target = dist / f"mibdesk-{__version__}-setup.exe"
    command = [find_makensis(), "-V2", "-WX"]
    command += ["-DUNCOMPRESSED=1"] if quick else []
    command += [
        f"-DVERSION={__version__}",
        f"-DVERSION4={'.'.join(map(str, numbers + [0] * (4 - len(numbers))))}",
        f"-DBUNDLE={bundle.resolve()}",
        f"-DOUTFILE={target.resolve()}",
        str(ROOT / "installer" / "mibdesk.nsi"),
    ]
    subprocess.run(command, check=True)
    print(f"installer: {target} ({target.stat().st_size / 1_048_576:,.0f} MB)")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="use the bundle in dist/")
    parser.add_argument(
        "--quick-installer", action="store_true", help="an uncompressed installer (a check)"
    )
    parser.add_argument("--dist", type=Path, default=DIST)
    args = parser.parse_args(argv)
    with timed(f"bundle mibdesk {__version__}"):
        bundle = args.dist / "mibdesk" if args.skip_build else build_bundle(args.dist)
    with timed("smoke test"):
        smoke(bundle)
    with timed("installer script (makensis)"):
        compile_installer(bundle, args.dist, args.quick_installer)
    return 0


if __name__ == "__main__":
    sys.exit(main())

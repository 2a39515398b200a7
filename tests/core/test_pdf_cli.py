"""Official forms from the command line: render, sign as the head, verify, detect tampering."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mibdesk.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_render_sign_verify_and_tamper(
    demo_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    base = ["--data-dir", str(folder)]
    monkeypatch.setenv("MIBDESK_PASSWORD", "demo2026")
    monkeypatch.setenv("MIBDESK_KEY_PASSWORD", "Key2026secret")
    code, out, _err = run(capsys, "keys", "create", *base, "--as", "zhangli", "--json")
    assert code == 0 and len(json.loads(out)["fingerprint"].split()) == 16
    certificate = folder / "office.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    from mibdesk.core.signing.keys import load

    key = load(folder / "keys" / "office.p12", "Key2026secret")
    certificate.write_bytes(key.certificate.public_bytes(Encoding.PEM))

    # September's report is approved: it may be signed
    signed = tmp_path / "emp-2026-09.pdf"
    code, out, _err = run(
        capsys,
        "pdf",
        "report",
        *base,
        "--scheme",
        "EMP",
        "--period",
        "2026-09",
        "-o",
        str(signed),
        "--sign",
        "--as",
        "zhangli",
        "--json",
    )
    assert code == 0 and json.loads(out)["signed"] is True
    code, out, _err = run(
        capsys, "pdf", "verify", str(signed), *base, "--trust", str(certificate), "--json"
    )
    verdict = json.loads(out)
    assert code == 0 and verdict["intact"] and verdict["trusted"]
    assert verdict["office_code"] == "330699"
    # without --trust, the office's own trust list (its own certificate, registered offices)
    code, out, _err = run(capsys, "pdf", "verify", str(signed), *base, "--json")
    assert code == 0 and json.loads(out)["trusted"]
    code, out, _err = run(
        capsys, "pdf", "verify", str(signed), "--data-dir", str(tmp_path / "none"), "--json"
    )
    assert code == 1 and not json.loads(out)["trusted"]

    # one figure changed in the signed file: reported, not trusted as it is
    data = bytearray(signed.read_bytes())
    middle = len(data) // 3
    data[middle] = (data[middle] + 1) % 256
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    code, out, err = run(
        capsys, "pdf", "verify", str(tampered), *base, "--trust", str(certificate), "--json"
    )
    assert code == 1
    if out:
        assert json.loads(out)["intact"] is False

    # October's report is only prepared: rendering works, signing is refused
    code, _out, err = run(
        capsys,
        "pdf",
        "report",
        *base,
        "--scheme",
        "EMP",
        "--period",
        "2026-10",
        "-o",
        str(tmp_path / "oct.pdf"),
        "--sign",
        "--as",
        "zhangli",
    )
    assert code == 1 and err and not (tmp_path / "oct.pdf").exists()
    for form, period in (("plan", "2026-12"), ("execution", "2026")):
        target = tmp_path / f"{form}.pdf"
        extra = ["--scheme", "EMP"] if form == "plan" else []
        code, _out, _err = run(
            capsys, "pdf", form, *base, *extra, "--period", period, "-o", str(target)
        )
        assert code == 0 and target.read_bytes().startswith(b"%PDF")

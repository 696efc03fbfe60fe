"""``intake-desktop --help`` and building the parser load no engine: no pyHanko, PyMuPDF,
SQLAlchemy or Qt (what made the CLI take a second before printing anything)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from intake_desktop.cli import main

HEAVY = ("pyhanko", "pyhanko_certvalidator", "pymupdf", "sqlalchemy", "PySide6", "aiohttp")

_PROBE = """
import contextlib, io, json, sys
from intake_desktop.cli import build_parser, main
build_parser()
codes = []
for argv in {argvs!r}:
    with contextlib.redirect_stdout(io.StringIO()):
        codes.append(main(argv))
loaded = {{name.split(".")[0] for name, module in sys.modules.items() if module is not None}}
heavy = sorted(loaded & set({heavy!r}))
print(json.dumps({{"codes": codes, "heavy": heavy}}))
"""


def _loaded_by(*argvs: list[str]) -> dict[str, list[object]]:
    code = _PROBE.format(argvs=list(argvs), heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, list[object]] = json.loads(done.stdout)
    return result


def test_help_and_parser_import_no_engine() -> None:
    result = _loaded_by(["--help"], ["verify", "--help"], ["serve", "--help"], ["--version"])
    assert result["codes"] == [0, 0, 0, 0]
    assert result["heavy"] == []


def test_the_probe_sees_an_engine_when_one_is_loaded() -> None:
    # The same probe on a command that verifies must find the engine, or it proves nothing.
    assert _loaded_by(["verify", "/nonexistent.pdf"])["heavy"] == []  # usage error first
    code = _PROBE.replace("build_parser()", "import intake_desktop.services.signatures.inspect")
    done = subprocess.run(
        [sys.executable, "-c", code.format(argvs=[], heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert {"pyhanko", "pymupdf"} <= set(json.loads(done.stdout)["heavy"])


def test_lazy_signature_names_still_resolve() -> None:
    from intake_desktop.services import signatures

    assert signatures.inspect_pdf.__name__ == "inspect_pdf"
    assert signatures.TrustStore.__name__ == "TrustStore"
    with pytest.raises(AttributeError):
        _ = signatures.no_such_name  # type: ignore[attr-defined]


def test_audit_verdict_choices_are_still_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--verdict", "nonsense", "--verify-log"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and "accepted_despite_problems" in err


_VALIDATION_ONLY = """
import json, sys
import intake_desktop.services.signatures.inspect
loaded = {name.split(".")[0] for name in sys.modules}
before = sorted(loaded & {"aiohttp"})
from pyhanko.sign import PdfSigner, signers  # pyHanko's own package init, run on demand
import pyhanko.sign as package
print(json.dumps({
    "before": before,
    "signer": PdfSigner is signers.PdfSigner,
    "sign_pdf": package.sign_pdf is signers.sign_pdf,
    "missing": hasattr(package, "no_such_name"),
}))
"""


def test_validation_leaves_pyhankos_signing_code_until_asked() -> None:
    # aiohttp (for signing's HTTP timestamps) was a third of the engine's import time.
    done = subprocess.run(
        [sys.executable, "-c", _VALIDATION_ONLY],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == {
        "before": [],
        "signer": True,
        "sign_pdf": True,
        "missing": False,
    }


_SIGNING_AFTER_VALIDATION = """
import intake_desktop.services.signatures.inspect
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes  # the demo's tamper module
from intake_desktop.demo.signing import sign_pdf
print(PdfCMSSignedAttributes.__name__, sign_pdf.__name__)
"""


def test_signing_modules_import_after_validation_in_any_order() -> None:
    # pyHanko's own modules ask the package for submodules (``from pyhanko.sign import
    # attributes``): that must import the submodule, not run the deferred init mid-import.
    done = subprocess.run(
        [sys.executable, "-c", _SIGNING_AFTER_VALIDATION],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["PdfCMSSignedAttributes", "sign_pdf"]

"""Word documents to PDF with LibreOffice, when it is installed. No Qt here.

``soffice --headless --convert-to pdf`` in a private profile (a second LibreOffice sharing
the officer's profile would refuse to start), in its own process group so a timeout kills
the whole tree (``soffice`` starts ``soffice.bin``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
"""Seconds: a large DOCX takes a few seconds; a hung LibreOffice must not hold us forever."""

_WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class ConversionError(Exception):
    """LibreOffice did not produce a PDF; ``str()`` is the technical detail."""


class ConversionTimeout(ConversionError):
    pass


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice``, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for candidate in _WINDOWS_CANDIDATES:
            if Path(candidate).exists():
                return candidate
    if sys.platform == "darwin":
        mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
        if mac.exists():
            return str(mac)
    return None


def convert_to_pdf(
    data: bytes, suffix: str, soffice: str, timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Convert a document (``suffix`` such as ``.docx``) to PDF bytes.

    Blocks up to ``timeout`` seconds: call from a worker thread. Raises
    :class:`ConversionTimeout` or :class:`ConversionError`.
    """
    with tempfile.TemporaryDirectory(prefix="intake-soffice-") as folder:
        work = Path(folder)
        source = work / f"document{suffix or '.docx'}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        out = work / "out"
        out.mkdir()
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        kwargs: dict[str, object] = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        else:
            kwargs["start_new_session"] = True
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            **kwargs,  # type: ignore[call-overload]
        ) as process:
            try:
                _stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_tree(process)
                process.communicate()
                raise ConversionTimeout(f"LibreOffice took longer than {timeout:g} s") from None
        result = out / (source.stem + ".pdf")
        if process.returncode != 0 or not result.exists():
            detail = stderr.decode("utf-8", "replace").strip()[-300:]
            raise ConversionError(detail or f"soffice exited with {process.returncode}")
        return result.read_bytes()


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        # taskkill /T takes soffice.bin too, which process.kill() would leave running.
        subprocess.run(
            ["taskkill", "/T", "/F", "/PID", str(process.pid)], capture_output=True, check=False
        )
        process.kill()
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)

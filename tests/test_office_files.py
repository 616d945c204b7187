"""The files open and print in LibreOffice: every XLSX and DOCX the admin hands out
(downloaded through the real views, ``office_downloads``) is converted to PDF by
``soffice --headless``; each PDF must exist, not be empty, and (read back with
``pdftotext``) show its comment text and its dates as dd/mm/yyyy, never "###" (a date
cell too narrow for its date).

Needs LibreOffice (``soffice``) and poppler-utils (``pdftotext``): skipped when they are
missing, except when ``POLICYCOMMS_REQUIRE_SOFFICE=1`` (``.ci/files.sh``, which installs
them), where a missing tool fails the test instead.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
from django.test import Client

from tests import factories
from tests.office_downloads import docx_downloads, make_world, xlsx_downloads

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
REQUIRED = os.environ.get("POLICYCOMMS_REQUIRE_SOFFICE") == "1"
#: Seconds LibreOffice gets to convert every file (one process for all of them).
CONVERT_TIMEOUT = 600
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def need(tool, name):
    if tool:
        return tool
    message = f"{name} is not installed (on Debian: run .ci/files.sh, or apt-get install "
    message += "libreoffice-calc libreoffice-writer poppler-utils)"
    if REQUIRED:
        pytest.fail(f"POLICYCOMMS_REQUIRE_SOFFICE=1 but {message}")
    pytest.skip(message)


def convert_to_pdf(paths, outdir):
    """All files in one LibreOffice run, with a fresh profile (no first-start dialogs, no
    clash with a LibreOffice the user has open)."""
    profile = Path(tempfile.mkdtemp(prefix="policycomms-lo-profile-"))
    try:
        completed = subprocess.run(  # noqa: S603 (LibreOffice, our own arguments)
            [
                need(SOFFICE, "LibreOffice (soffice)"),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, paths),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERT_TIMEOUT,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert completed.returncode == 0, completed.stderr or completed.stdout
    return completed


def pdf_text(pdf):
    completed = subprocess.run(  # noqa: S603 (pdftotext, our own arguments)
        [need(PDFTOTEXT, "pdftotext (poppler-utils)"), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return normalised(completed.stdout.decode("utf-8"))


def normalised(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_every_file_opens_and_prints_in_libreoffice(index, tmp_path):
    need(SOFFICE, "LibreOffice (soffice)")
    need(PDFTOTEXT, "pdftotext (poppler-utils)")
    world = make_world(index)
    client = Client()
    client.force_login(factories.make_superuser())
    downloads = xlsx_downloads(client, world) + docx_downloads(client, world)
    assert {d.extension for d in downloads} == {"xlsx", "docx"}

    sources = tmp_path / "files"
    sources.mkdir()
    paths = []
    for download in downloads:
        # synthesis.xlsx and synthesis.docx would both become synthesis.pdf
        path = sources / f"{download.name}-{download.extension}.{download.extension}"
        path.write_bytes(download.content)
        paths.append(path)
    outdir = tmp_path / "pdf"
    completed = convert_to_pdf(paths, outdir)

    problems = []
    for download, path in zip(downloads, paths, strict=True):
        pdf = outdir / f"{path.stem}.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            problems.append(f"{download.filename}: no PDF ({completed.stdout!r})")
            continue
        text = pdf_text(pdf)
        if not text:
            problems.append(f"{download.filename}: the PDF shows no text")
        if "###" in text:
            problems.append(f"{download.filename}: a cell too narrow for its value (###)")
        for expected in download.shows:
            if normalised(expected) not in text:
                problems.append(f"{download.filename}: {expected!r} not in {text[:300]!r}…")
        if any(DATE.fullmatch(s) or DATE.search(s) for s in download.shows) and not DATE.search(
            text
        ):
            problems.append(f"{download.filename}: no dd/mm/yyyy date")
    assert not problems, "\n".join(problems)

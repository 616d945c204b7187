#!/usr/bin/env bash
# Files that open well: every XLSX and DOCX the admin hands out is converted to PDF by
# LibreOffice and read back (tests/test_office_files.py). Installs LibreOffice (Calc and
# Writer) and poppler-utils (pdftotext) when `soffice` is missing: run as root on Debian
# 12, as CI does. Run from anywhere in a clone; exits non-zero on any failure, and the
# test module fails (never skips) here: POLICYCOMMS_REQUIRE_SOFFICE=1.
#
# Time: about 1 minute to install (apt-get update included), 1 minute for the test.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
export DEBIAN_FRONTEND=noninteractive

step() { echo "files: $*"; }

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    step "installing LibreOffice and poppler-utils"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends \
        libreoffice-calc libreoffice-writer poppler-utils fonts-dejavu-core >/dev/null
fi
step "$(soffice --version)"

step "make install"
make install

step "tests/test_office_files.py"
POLICYCOMMS_REQUIRE_SOFFICE=1 .venv/bin/python -m pytest tests/test_office_files.py -q -rs

#!/usr/bin/env bash
# The end-to-end tests in a real browser (tests/browser, docs/testing.md): Playwright for
# Python driving Debian's Chromium, headless, through the four roles (citizen, moderator,
# drafting editor, coordinator, with the reviewer of the workflow), axe-core on every public
# page state. Any failure fails, and so does a skipped browser test (tests/browser/conftest.py).
#
#   bash .ci/browser.sh
#
# CI runs it as root on Debian 12 from a clean clone, with access to Debian, PyPI and npm.
# Chromium comes from Debian (Playwright's own browser download cannot work here); axe-core
# from npm into .ci/node (gitignored, shared with the other CI tools there).
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
START=$SECONDS
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# SQLite in memory, whatever the environment says (as .ci/run's SQLite job).
unset DATABASE_URL DJANGO_SETTINGS_MODULE POLICYCOMMS_SCREENSHOTS

source .ci/lib.sh
AXE_VERSION="${AXE_VERSION:-4.14.1}"
CHROMIUM="${POLICYCOMMS_CHROMIUM:-/usr/bin/chromium}"

[[ -x "$CHROMIUM" ]] || apt_install chromium
"$CHROMIUM" --version
npm_pinned axe-core "$AXE_VERSION"

make install >/dev/null
.venv/bin/pip install -q -e ".[browser]"

# POLICYCOMMS_BROWSER=1 turns the suite on; with it, a skipped browser test fails the run.
export POLICYCOMMS_BROWSER=1 POLICYCOMMS_CHROMIUM="$CHROMIUM"
export POLICYCOMMS_BROWSER_ARTIFACTS="${POLICYCOMMS_BROWSER_ARTIFACTS:-$(mktemp -d "${TMPDIR:-/tmp}/policycomms-browser.XXXXXX")}"
echo "Screenshots and HTML of failed tests go to $POLICYCOMMS_BROWSER_ARTIFACTS"
.venv/bin/python -m pytest tests/browser -p no:cacheprovider -rsx -q
echo "browser.sh: done in $((SECONDS - START))s"

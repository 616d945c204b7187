#!/usr/bin/env bash
# Drop-in test: build the package the way it is published (sdist, then a wheel
# from that sdist), install the wheel into a fresh virtualenv, create a new
# project with `wagtail start`, add the app the way docs/installation.md says,
# migrate, create one page of each type and render them through the project's
# own base template. Run from anywhere; exits non-zero on any failure.
#
# Environment: PYTHON (default python3) for the virtualenv; KEEP_DROPIN=1 keeps
# the temporary directory for inspection.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/policycomms-dropin.XXXXXX")"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
unset DJANGO_SETTINGS_MODULE DATABASE_URL

cleanup() {
    if [[ "${KEEP_DROPIN:-0}" == 1 ]]; then
        echo "drop-in: kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

step() { echo "drop-in: $*"; }

# Quiet pip, without the warnings about missing local find-links folders that
# some machines' pip configuration causes.
pip_install() {
    "$VPY" -m pip install -q "$@" 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
}

step "virtualenv in $WORK/venv ($("$PYTHON" --version))"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
pip_install --upgrade pip build

step "building sdist and wheel from $ROOT"
"$VPY" -m build --outdir "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1 || {
    cat "$WORK/build.log"
    exit 1
}
shopt -s nullglob
wheels=("$WORK"/dist/wagtail_policycomms-*.whl)
shopt -u nullglob
if [[ ${#wheels[@]} -ne 1 ]]; then
    echo "drop-in: expected one wheel in $WORK/dist, found: ${wheels[*]:-none}" >&2
    exit 1
fi
WHEEL="${wheels[0]}"
step "built $(basename "$WHEEL")"
# The public templates must be in the wheel, or no page can render.
"$VPY" - "$WHEEL" <<'EOF'
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
templates = [n for n in names if n.startswith("wagtail_policycomms/templates/")]
print(f"drop-in: wheel holds {len(names)} files, {len(templates)} under templates/")
if not templates:
    sys.exit("drop-in: the wheel has no templates")
EOF

step "installing the wheel"
pip_install "$WHEEL"
"$VPY" -m pip list 2>/dev/null | grep -iE '^(django|wagtail|wagtail-policycomms|django-taggit|swapper) '

step "wagtail start dropin_portal"
cd "$WORK"
"$WORK/venv/bin/wagtail" start dropin_portal
cd "$WORK/dropin_portal"

step "adding wagtail_policycomms to settings and urls"
"$VPY" - <<'EOF'
import re
from pathlib import Path

base = Path("dropin_portal/settings/base.py")
text = base.read_text()
match = re.search(r"INSTALLED_APPS = \[\n(.*?)\n\]", text, re.S)
if not match:
    raise SystemExit("drop-in: INSTALLED_APPS list not found in " + str(base))
apps = match.group(1)
if '"taggit"' not in apps:
    # Every wagtail start template so far lists taggit; add it if one stops doing so.
    print('drop-in: "taggit" was not in INSTALLED_APPS, adding it')
    apps += '\n    "taggit",'
if '"wagtail.contrib.settings"' not in apps:
    apps += '\n    "wagtail.contrib.settings",'
apps += '\n    "wagtail_policycomms",'
text = text[: match.start(1)] + apps + text[match.end(1) :]
text, n = re.subn(r'^TIME_ZONE = ".*"$', 'TIME_ZONE = "Asia/Ho_Chi_Minh"', text, flags=re.M)
if n != 1:
    text += '\nTIME_ZONE = "Asia/Ho_Chi_Minh"\n'
base.write_text(text)

urls = Path("dropin_portal/urls.py")
text = urls.read_text()
anchor = '    path("", include(wagtail_urls)),'
if text.count(anchor) != 1:
    raise SystemExit("drop-in: wagtail_urls include not found in " + str(urls))
text = text.replace(
    anchor, '    path("policycomms/", include("wagtail_policycomms.urls")),\n' + anchor
)
urls.write_text(text)
EOF
grep -n "wagtail_policycomms\|taggit\|TIME_ZONE" dropin_portal/settings/base.py dropin_portal/urls.py

export DJANGO_SETTINGS_MODULE=dropin_portal.settings.dev
step "manage.py check"
"$VPY" manage.py check
step "manage.py migrate"
"$VPY" manage.py migrate --noinput -v 0
step "creating and rendering pages"
"$VPY" "$ROOT/.ci/dropin_check.py"
step "OK"

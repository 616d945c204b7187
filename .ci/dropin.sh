#!/usr/bin/env bash
# Drop-in test: build the package the way it is published (sdist, then a wheel
# from that sdist), install the wheel into a fresh virtualenv, create a new
# project with `wagtail start`, add the app the way README.md says,
# migrate, create one page of each type and render them through the project's
# own base template. The project is set up by the README's own installation steps
# (.ci/readme_steps.py reads them), beside wagtail_modeladmin. Run from anywhere;
# exits non-zero on any failure.
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

# The sdist: the package and its metadata, no half of the test suite (MANIFEST.in).
"$VPY" - "$WORK"/dist/wagtail_policycomms-*.tar.gz <<'EOF'
import sys
import tarfile

names = [name.split("/", 1)[-1] for name in tarfile.open(sys.argv[1]).getnames()]
print(f"drop-in: sdist holds {len(names)} entries")
for wanted in ("pyproject.toml", "LICENSE", "wagtail_policycomms/locale/vi/LC_MESSAGES/django.mo"):
    if wanted not in names:
        sys.exit(f"drop-in: the sdist lacks {wanted}")
stray = [name for name in names if name.startswith(("tests/", "example_site/"))]
if stray:
    sys.exit(f"drop-in: the sdist ships {stray[:3]}... without their settings")
EOF

step "a fresh wagtail start project, with wagtail_modeladmin beside us"
# Wagtail (the version the wheel would bring) to run `wagtail start`; the package itself
# is installed by the README's own step 1 below.
pip_install "wagtail>=7.4" wagtail-modeladmin
cd "$WORK"
"$WORK/venv/bin/wagtail" start dropin_portal
cd "$WORK/dropin_portal"
# Many existing portals still register ModelAdmin menus (wagtail-modeladmin); ours
# must sit beside them.
"$VPY" - <<'EOF'
from pathlib import Path

base = Path("dropin_portal/settings/base.py")
text = base.read_text()
text = text.replace('    "home",\n', '    "home",\n    "wagtail_modeladmin",\n', 1)
base.write_text(text)
Path("home/wagtail_hooks.py").write_text(
    "from wagtail_modeladmin.options import ModelAdmin, modeladmin_register\n\n"
    "from .models import HomePage\n\n\n"
    "@modeladmin_register\n"
    "class HomePageAdmin(ModelAdmin):\n"
    "    model = HomePage\n"
    '    menu_label = "Home pages (modeladmin)"\n'
    '    menu_icon = "home"\n'
)
EOF

step "following the README's installation steps"
"$VPY" "$ROOT/.ci/readme_steps.py" "$ROOT/README.md" dropin_portal "$VPY" "$WHEEL"
"$VPY" -m pip list 2>/dev/null | grep -iE '^(django|wagtail|wagtail-policycomms|wagtail-modeladmin|django-taggit|swapper) '
grep -n "wagtail_policycomms\|modeladmin\|TIME_ZONE" dropin_portal/settings/base.py dropin_portal/urls.py

export DJANGO_SETTINGS_MODULE=dropin_portal.settings.dev
step "manage.py check"
"$VPY" manage.py check
step "creating and rendering pages"
"$VPY" "$ROOT/.ci/dropin_check.py"
step "OK"

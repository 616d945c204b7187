#!/usr/bin/env bash
# The Nu HTML checker (vnu.jar) on every public page state: tests/test_html_validity.py
# renders them through the test client and checks them in one java call; any error fails.
#
#   bash .ci/html.sh
#
# CI runs it as root on Debian 12 with network access to npm. vnu.jar comes from npm
# into .ci/node (gitignored: a cache kept between runs, installed again only when the
# pinned version changes); it runs on Java 11 or newer, installed from Debian if missing.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
START=$SECONDS
export DEBIAN_FRONTEND=noninteractive
# SQLite in memory, whatever the environment says (as .ci/run's SQLite job).
unset DATABASE_URL DJANGO_SETTINGS_MODULE

source .ci/lib.sh
VNU_VERSION="${VNU_VERSION:-26.9.27}"
JAR="$NODE_DIR/node_modules/vnu-jar/build/dist/vnu.jar"

command -v java >/dev/null 2>&1 || apt_install --no-install-recommends default-jre-headless
java -version 2>&1 | head -n 1
# --ignore-scripts: the package's install script would fetch a Java of its own.
npm_pinned vnu-jar "$VNU_VERSION" --ignore-scripts

make install >/dev/null
export POLICYCOMMS_VNU_JAR="$JAR"
.venv/bin/python -m pytest tests/test_html_validity.py -p no:cacheprovider -rs -q
echo "html.sh: done in $((SECONDS - START))s"

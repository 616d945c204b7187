# Shared by the CI scripts that fetch their own tools (.ci/html.sh, .ci/browser.sh):
# source it after `cd` to the repository root.

NODE_DIR="$(pwd)/.ci/node"

# apt_install [APT-GET OPTION...] PACKAGE...: from Debian, as root; otherwise say what
# is missing and stop.
apt_install() {
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "Missing $*: install it (apt-get install $*) or run as root." >&2
        exit 1
    fi
    apt-get update -q
    apt-get install -y -q "$@"
}

# npm_pinned PACKAGE VERSION [NPM OPTION...]: PACKAGE@VERSION in .ci/node (gitignored, a
# cache kept between runs), installed again only when the pinned version changes. Saved
# exactly in .ci/node/package.json beside the other CI tools, so that installing one of
# them does not prune another. Versions are pinned so that a new release (new rules)
# never fails CI by itself: raise them on purpose, and fix what they find.
npm_pinned() {
    local package="$1" version="$2" installed
    shift 2
    installed="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$NODE_DIR/node_modules/$package/package.json" 2>/dev/null || true)"
    if [[ "$installed" != "$version" ]]; then
        command -v npm >/dev/null 2>&1 || apt_install npm
        npm install --prefix "$NODE_DIR" --no-audit --no-fund --save-exact "$@" \
            "$package@$version"
    fi
    echo "$package $version in $NODE_DIR/node_modules/$package"
}

#!/usr/bin/env bash
# Serve the demo portal (`make demo`): the tasks worker (`manage.py db_worker`) beside
# runserver. Receipts, verification links, reminders and large exports run in the worker, as
# in production (docs/operations.md); its log, and the emails it "sends" (Django's console
# backend), print in this terminal. Ctrl+C stops both; so does the server stopping alone.
#
#   example_site/run_demo.sh [ADDRESS]      (PYTHON=.venv/bin/python by default)
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
MANAGE=example_site/manage.py
ADDRESS="${1:-127.0.0.1:8000}"
WORKER=""
SERVER=""

# Both run in the background (a non-interactive shell starts them ignoring Ctrl+C), so Ctrl+C
# reaches this script alone, which stops them with SIGTERM and waits for them.
stop() {
    trap - EXIT INT TERM
    local pid
    for pid in $SERVER $WORKER; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    echo "Stopped the server and the tasks worker."
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PYTHON" "$MANAGE" db_worker --interval 1 &
WORKER=$!
echo "Started the tasks worker in the background (manage.py db_worker, pid $WORKER):"
echo "emails and large exports run there; Ctrl+C stops it with the server."

"$PYTHON" "$MANAGE" runserver "$ADDRESS" &
SERVER=$!
wait "$SERVER"

#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback for `make bench` when no server answers: the same
# steps as .ci/run's start_postgres (install, create a cluster, start it), then the
# policycomms role with CREATEDB. Debian's clusters listen on localhost only.
# Prints the port on the last line.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null \
    || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Installing PostgreSQL from Debian" >&2
    apt-get update -q >&2
    apt-get install -y -q postgresql >&2
fi
if [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]]; then
    ver="$(basename "$(ls -d /usr/lib/postgresql/*/ | sort -V | tail -n 1)")"
    echo "Creating cluster $ver/main" >&2
    pg_createcluster "$ver" main >&2
fi
read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -n 1)
if [[ "$PG_STATUS" != online* ]]; then
    echo "Starting cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT" >&2
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >&2
(cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'policycomms') THEN
        CREATE ROLE policycomms LOGIN CREATEDB PASSWORD 'policycomms';
    ELSE
        ALTER ROLE policycomms LOGIN CREATEDB;
    END IF;
END
$$;
SQL
echo "$PG_PORT"

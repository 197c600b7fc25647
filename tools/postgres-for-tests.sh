#!/bin/sh
# Installs (Debian packages) and starts a PostgreSQL on loopback for the store tests, with a
# role and database the tests use: postgresql+psycopg://placement:placement@127.0.0.1:5432/placement_test
# Idempotent; needs root and apt-get. Without them the PostgreSQL tests skip and say why.
set -eu
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: PostgreSQL needs root and apt-get to install; the PostgreSQL store tests will skip"
    exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in 1 2 3 4 5 6 7 8 9 10; do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
SELECT 'CREATE ROLE placement LOGIN PASSWORD ''placement'' CREATEDB'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'placement')\gexec
SELECT 'CREATE DATABASE placement_test OWNER placement'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'placement_test')\gexec
GRANT pg_signal_backend TO placement;
SQL

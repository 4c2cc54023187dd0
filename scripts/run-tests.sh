#!/usr/bin/env bash
# Runs every test: the whole suite on SQLite, then again on PostgreSQL with the browser and fuzz tests.
# Creates and drops a PostgreSQL database of its own; never relies on one a session left behind.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_HOST=${PGHOST:-127.0.0.1}
PG_PORT=${PGPORT:-5432}
PG_USER=${PGUSER:-postgres}
CI=${CI:-}

fail() { echo "run-tests: $*" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  echo "run-tests: installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
      || echo "run-tests: could not install chromium" >&2
  fi
fi
have_chromium=0; [ -x /usr/bin/chromium ] && have_chromium=1
have_pg=0; psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1 && have_pg=1

if [ -n "$CI" ]; then
  [ "$have_pg" = 1 ] || fail "PostgreSQL is not answering on $PG_HOST:$PG_PORT (CI must not skip it)"
  [ "$have_chromium" = 1 ] || fail "/usr/bin/chromium is missing (CI must not skip the browser tests)"
fi

status=0
echo "== SQLite: unit and integration tests"
env -u TEST_DATABASE_URL RHI_TEST_BACKEND=sqlite $PY -m pytest -m "not browser and not fuzz and not postgres_only" -q || status=1

if [ "$have_pg" = 1 ]; then
  db="rhi_test_$$_$(date +%s)"
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" || fail "could not create $db"
  trap 'psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1' EXIT
  export TEST_DATABASE_URL="postgresql+psycopg://$PG_USER@$PG_HOST:$PG_PORT/$db"
  marks=""
  if [ "$have_chromium" = 0 ]; then
    echo "run-tests: no chromium, browser tests skipped (this would fail under CI=true)"
    marks="not browser"
  fi
  echo "== PostgreSQL: every test, browser and fuzz tests included"
  RHI_TEST_BACKEND=postgresql HYPOTHESIS_PROFILE=ci $PY -m pytest ${marks:+-m "$marks"} -q || status=1
else
  echo "run-tests: PostgreSQL not answering; its run skipped (this would fail under CI=true)"
fi
exit $status

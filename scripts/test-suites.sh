#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL (a fresh database per run), side by side: on a 2-core
# machine the two runs overlap well (one waits on PostgreSQL, Chromium, Redis or a worker while the
# other computes), which keeps `make test` and CI well under their time limits. Each run has its own
# database, Redis database number, ports and files; tests that use the shared local WordPress take
# turns (tests/support/wordpress.py). Each run's output is printed whole when both have ended.
# Usage: scripts/test-suites.sh [pytest arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

TEST_DATABASE=sqlite .venv/bin/pytest -q "$@" >"$logs/sqlite" 2>&1 &
sqlite=$!
TEST_DATABASE=postgres .venv/bin/pytest -q "$@" >"$logs/postgres" 2>&1 &
postgres=$!

wait "$sqlite"
sqlite_rc=$?
wait "$postgres"
postgres_rc=$?

printf '\n== the suite on SQLite (exit %s)\n' "$sqlite_rc"
cat "$logs/sqlite"
printf '\n== the suite on PostgreSQL (exit %s)\n' "$postgres_rc"
cat "$logs/postgres"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]

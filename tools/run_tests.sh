#!/usr/bin/env bash
# Runs the whole suite against the database in DATABASE_URL (SQLite in memory when unset).
# pytest exits 5 when it collects no test: for us that is a broken suite, never a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

run() {
  local label=$1; shift
  echo "== $label"
  "$PY" -m pytest "$@"
  local status=$?
  if [ "$status" -eq 5 ]; then
    echo "!! $label: pytest collected no tests" >&2
    return 1
  fi
  return "$status"
}

failed=0
run "fast tests" -n 2 -q || failed=1
run "slow scale tests" -q -m slow || failed=1
run "browser tests" -q -m browser || failed=1
exit "$failed"

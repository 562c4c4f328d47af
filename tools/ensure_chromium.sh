#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a test tool's own browser download).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is not installed and cannot be installed here (needs root and apt-get)." >&2
echo "Install it with: sudo apt-get install chromium — the browser tests will fail without it." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi

#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a test tool's own browser download), and pages in Chinese need a
# CJK font to render (screenshots otherwise show empty boxes).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-noto-cjk); fi
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from Debian for the browser tests…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "${missing[*]} not installed and cannot be installed here (needs root and apt-get)." >&2
echo "Install with: sudo apt-get install ${missing[*]} — the browser tests need chromium." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi

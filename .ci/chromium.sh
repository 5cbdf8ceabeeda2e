#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/web/test_browser.py), if it is missing.
# Idempotent: does nothing when /usr/bin/chromium is already there. Playwright's own browser
# download is not used (the tests launch /usr/bin/chromium by path).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium
/usr/bin/chromium --version

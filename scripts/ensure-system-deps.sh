#!/usr/bin/env bash
# The tests need Debian's tshark (differential oracle) and chromium (end-to-end specs).
# Installs them when missing and running as root; otherwise says what to install.
set -u
missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tests need: ${missing[*]}. Install with: sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} with apt-get (needed by the tests)..."
apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
status=$?
if [ $status -ne 0 ]; then echo "apt-get install ${missing[*]} failed (status $status)" >&2; exit 1; fi

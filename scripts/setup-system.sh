#!/usr/bin/env bash
# Installs the Debian packages the test suite and benchmarks use, if missing: chromium (the core is tested in a
# real browser) and age (the seal benchmark's per-reader baseline). Idempotent; `npm test` and .ci/run call it.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v age >/dev/null 2>&1 || missing+=(age)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup-system: need root to install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
else SUDO=""; fi
echo "setup-system: installing ${missing[*]} …" >&2
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-system: done" >&2

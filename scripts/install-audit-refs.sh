#!/usr/bin/env bash
# Installs the references the live audit (issue 25) is graded against, from Debian:
#   zonemaster-cli: the DNSSEC/delegation reference (test/e2e/audit-zonemaster.test.ts, external suite);
#   python3-spf (pyspf, with python3-dnspython): the SPF reference (test/integration/audit-spf-live.test.ts
#   runs test/refs/pyspf-check.py).
# Does nothing when both are there.
set -euo pipefail
have_all() { command -v zonemaster-cli >/dev/null 2>&1 && /usr/bin/python3 -c 'import spf, dns.resolver' >/dev/null 2>&1; }
if have_all; then
  echo "install-audit-refs: already installed (zonemaster-cli, python3-spf, python3-dnspython)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-audit-refs: need root or sudo to apt-get install zonemaster-cli python3-spf python3-dnspython" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
LOCK=(-o DPkg::Lock::Timeout=300)
$SUDO apt-get "${LOCK[@]}" update -qq
$SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends zonemaster-cli python3 python3-spf python3-dnspython >/dev/null
have_all || { echo "install-audit-refs: installed, but zonemaster-cli or /usr/bin/python3's spf and dns modules are still missing" >&2; exit 1; }
echo "install-audit-refs: installed zonemaster-cli python3-spf python3-dnspython"

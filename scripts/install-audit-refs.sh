#!/usr/bin/env bash
# Installs Debian's pyspf (python3-spf, with python3-dnspython): the independent reference the
# live SPF audit is graded against (test/integration/audit-spf-live.test.ts runs test/refs/pyspf-check.py).
set -euo pipefail
if /usr/bin/python3 -c 'import spf, dns.resolver' >/dev/null 2>&1; then
  echo "install-audit-refs: already installed (python3-spf, python3-dnspython)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-audit-refs: need root or sudo to apt-get install python3-spf python3-dnspython" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
LOCK=(-o DPkg::Lock::Timeout=300)
$SUDO apt-get "${LOCK[@]}" update -qq
$SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends python3 python3-spf python3-dnspython >/dev/null
/usr/bin/python3 -c 'import spf, dns.resolver' || { echo "install-audit-refs: installed, but /usr/bin/python3 cannot import spf and dns" >&2; exit 1; }
echo "install-audit-refs: installed python3-spf python3-dnspython"

#!/usr/bin/env bash
# Installs the references the live audit (issue 25) is graded against, from Debian:
#   zonemaster-cli: the DNSSEC/delegation reference (test/e2e/audit-zonemaster.test.ts, external suite);
#   python3-spf (pyspf, with python3-dnspython): the SPF reference (test/integration/audit-spf-live.test.ts
#   runs test/refs/pyspf-check.py), whose RFC 7208 test suite (/usr/share/doc/python3-spf/rfc7208-tests.yml.gz)
#   test/integration/audit-spf-rfc7208.test.ts runs.
# Does nothing when both are there.
set -euo pipefail
export APT_INSTALL_CHECK="/usr/bin/python3 -c 'import spf, dns.resolver' && test -f /usr/share/doc/python3-spf/rfc7208-tests.yml.gz"
exec bash "$(dirname "$0")/apt-install.sh" install-audit-refs zonemaster-cli zonemaster-cli python3 python3-spf python3-dnspython

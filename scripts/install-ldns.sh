#!/usr/bin/env bash
# Installs ldns-compare-zones (Debian ldnsutils): the independent reference the DNS-as-code tests
# compare a plan with (test/e2e/dns-code-*.test.ts).
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-ldns "ldns-compare-zones" ldnsutils

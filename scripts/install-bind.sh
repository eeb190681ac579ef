#!/usr/bin/env bash
# Installs BIND9 (named, rndc, named-checkzone, dig) for the DNS integration tests. The tests
# start their own unprivileged named instances on loopback ports; the system service is not needed.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-bind "named named-checkzone named-compilezone rndc dig" bind9 bind9-utils bind9-dnsutils

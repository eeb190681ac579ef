#!/usr/bin/env bash
# Installs Debian's pebble (an ACME test CA), certbot and lego for the certificate tests
# (test/e2e/acme-*.test.ts). The tests run their own pebble on loopback ports.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-acme "pebble certbot lego" pebble certbot lego

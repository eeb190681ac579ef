#!/usr/bin/env bash
# Installs Debian's pebble (an ACME test CA), certbot and lego for the certificate tests
# (test/e2e/acme-*.test.ts). Idempotent: does nothing when the tools are already there.
# The tests run their own pebble on loopback ports; no service is started here.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }
have_all() { have pebble && have certbot && have lego; }

if have_all; then
  echo "install-acme: pebble, certbot and lego already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-acme: need root or sudo to apt-get install pebble certbot lego" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt run (install-bind.sh, a neighbour's test) may hold the lock for a while: wait for it.
APT_OPTS=(-o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends)
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
$SUDO apt-get install "${APT_OPTS[@]}" pebble certbot lego >/dev/null

have_all || { echo "install-acme: installed, but pebble/certbot/lego still missing" >&2; exit 1; }
echo "install-acme: installed pebble, certbot $(certbot --version 2>&1 | awk '{print $2}'), lego"

#!/usr/bin/env bash
# Installs BIND9 (named, rndc, named-checkzone, dig) for the DNS integration tests.
# Idempotent: does nothing when the tools are already there. The tests start their own
# unprivileged named instances on loopback ports; the system service is not needed.
set -euo pipefail

have_all() {
  for tool in named named-checkzone rndc dig; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || return 1
  done
}

if have_all; then
  echo "install-bind: BIND9 already installed ($(/usr/sbin/named -v 2>/dev/null || named -v))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-bind: need root or sudo to apt-get install bind9" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq bind9 bind9-utils bind9-dnsutils >/dev/null

have_all || { echo "install-bind: bind9 installed but named/rndc/named-checkzone/dig still missing" >&2; exit 1; }
echo "install-bind: installed $(/usr/sbin/named -v 2>/dev/null || named -v)"

#!/usr/bin/env bash
# Installs Debian packages for the tests, once: does nothing when every command named is there.
#   apt-install.sh <label> "<command> [command...]" <package> [package...]
# APT_INSTALL_CHECK, when set, is a shell command that must succeed too (e.g. a Python import).
# Waits for another apt run (a neighbour's install) to release the lock instead of failing.
set -euo pipefail
label=$1 cmds=$2; shift 2

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have_all() {
  for c in $cmds; do have "$c" || return 1; done
  [ -z "${APT_INSTALL_CHECK:-}" ] || bash -c "$APT_INSTALL_CHECK" >/dev/null 2>&1
}

if have_all; then
  echo "$label: already installed ($cmds)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "$label: need root or sudo to apt-get install $*" >&2; exit 1; }
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
LOCK=(-o DPkg::Lock::Timeout=300)
$SUDO apt-get "${LOCK[@]}" update -qq
$SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends "$@" >/dev/null

have_all || { echo "$label: installed $*, but some of ($cmds) is still missing" >&2; exit 1; }
echo "$label: installed $*"

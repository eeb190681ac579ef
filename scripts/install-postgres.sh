#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the shared-state tests (VPSORG_STATE_URL). The
# tests start their own throw-away cluster in a temporary folder on a unix socket, owned by a
# non-root user (PostgreSQL refuses to run as root); the system service is not needed.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "install-postgres: already installed ($(ls -d /usr/lib/postgresql/*/bin | head -1))"
  exit 0
fi
bash "$(dirname "$0")/apt-install.sh" install-postgres "psql" postgresql postgresql-client
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "install-postgres: initdb is still missing" >&2; exit 1; }

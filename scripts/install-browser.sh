#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (approval page, MCP App views), driven by
# playwright-core with executablePath /usr/bin/chromium: no browser download.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-browser "chromium" chromium

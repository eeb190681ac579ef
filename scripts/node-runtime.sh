#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version (22, 24, ...), installing the npm
# `node@<major>` package into a cache folder the first time (about 190 MB each; no `npm install` of
# the server pulls it). Used by scripts/conformance.sh (Node 22) and scripts/test-matrix.sh.
# Cache: $VPSORG_NODE_CACHE, default ~/.cache/vpsorg-dns-mcp/node.
set -euo pipefail
major=${1:?usage: scripts/node-runtime.sh MAJOR}
[[ $major =~ ^[0-9]+$ ]] || { echo "node-runtime: MAJOR must be a number (got $major)" >&2; exit 2; }
home=${HOME:-$(echo ~)} # ~ reads the password database when HOME is unset
cache=${VPSORG_NODE_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/vpsorg-dns-mcp/node}
dir="$cache/$major"
bin="$dir/node_modules/node/bin/node"
mkdir -p "$cache"
# One installer at a time (tests and the CI matrix may ask at once).
exec 9>"$cache/.lock-$major"
flock 9
if ! { [ -x "$bin" ] && [ "$("$bin" -p 'process.versions.node.split(".")[0]')" = "$major" ]; }; then
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{"private":true}' >"$dir/package.json"
  echo "node-runtime: installing node@$major into $dir (once)" >&2
  # --prefer-offline: a copy in the npm cache (from an earlier install) is used without asking the registry.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --prefer-offline --loglevel=error "node@$major" >&2
fi
echo "$bin"

#!/usr/bin/env sh
# shellcheck disable=SC2034
# acme.sh DNS API for VPS.org, through vpsorg-dns-mcp: copy to ~/.acme.sh/dnsapi/dns_vpsorg.sh and
#   VPSORG_API_TOKEN=vps_... acme.sh --issue --dns dns_vpsorg --dnssleep 0 -d example.com -d '*.example.com'
# dns_vpsorg_add waits until every authoritative nameserver serves the value, so acme.sh need not sleep.
# VPSORG_DNS_MCP: the command to run (default vpsorg-dns-mcp); VPSORG_DNS_MCP_FLAGS: extra flags
# (e.g. "--sandbox --state /tmp/vpsorg.json" to try it locally).
dns_vpsorg_info='VPS.org DNS, through vpsorg-dns-mcp
Site: admin.vps.org
Options:
 VPSORG_API_TOKEN API token (dns:list, dns:create, dns:delete)
'

# Usage: dns_vpsorg_add _acme-challenge.www.example.com "XKrxpRBosdIKFzxW_CT3KLZNf6q0HG9i01zxXp5CPBs"
dns_vpsorg_add() {
  _vpsorg_hook present "$1" "$2"
}

# Usage: dns_vpsorg_rm _acme-challenge.www.example.com "XKrxpRBosdIKFzxW_CT3KLZNf6q0HG9i01zxXp5CPBs"
# Removes exactly this value; other values at the name stay.
dns_vpsorg_rm() {
  _vpsorg_hook cleanup "$1" "$2"
}

_vpsorg_hook() {
  if [ -z "$VPSORG_API_TOKEN" ] && command -v _readaccountconf_mutable >/dev/null 2>&1; then
    VPSORG_API_TOKEN="$(_readaccountconf_mutable VPSORG_API_TOKEN)"
  fi
  if [ -n "$VPSORG_API_TOKEN" ] && command -v _saveaccountconf_mutable >/dev/null 2>&1; then
    _saveaccountconf_mutable VPSORG_API_TOKEN "$VPSORG_API_TOKEN"
  fi
  # Word splitting of the flags is intended.
  # shellcheck disable=SC2086
  if VPSORG_API_TOKEN="$VPSORG_API_TOKEN" ${VPSORG_DNS_MCP:-vpsorg-dns-mcp} acme "$1" "$2" "$3" $VPSORG_DNS_MCP_FLAGS; then
    return 0
  fi
  if command -v _err >/dev/null 2>&1; then _err "vpsorg-dns-mcp acme $1 failed for $2 (see the line above)"; fi
  return 1
}

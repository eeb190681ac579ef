#!/bin/sh
# lego's exec provider (EXEC_PATH=.../lego-exec.sh): present|cleanup FQDN VALUE, or with
# EXEC_MODE=RAW present|cleanup DOMAIN TOKEN KEY_AUTH. Honours EXEC_PROPAGATION_TIMEOUT and
# EXEC_POLLING_INTERVAL; settings come from the environment (VPSORG_API_TOKEN, ...).
exec node "$(dirname "$(readlink -f "$0")")/../dist/index.js" acme lego "$@"

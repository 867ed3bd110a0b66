#!/usr/bin/env bash
# Exit 0 when the broker started by start.sh is running and its client port accepts connections;
# exit 1 otherwise (with a line saying why).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

port="$(recorded_port)"
if pid="$(running_pid)"; then
  if port_open "$KAFKA_HOST" "$port"; then
    sasl=""
    [[ -s "$SASL_PORT_FILE" ]] && sasl=", SASL_SSL $KAFKA_HOST:$(cat "$SASL_PORT_FILE") (CA $TLS_DIR/ca.crt, user $KAFKA_SCRAM_USER)"
    log "up: pid $pid, $KAFKA_HOST:$port$sasl, data in $DATA_DIR"
    exit 0
  fi
  log "starting or stuck: pid $pid runs but $KAFKA_HOST:$port does not accept connections yet"
  exit 1
fi
if port_open "$KAFKA_HOST" "$port"; then
  log "down (not started by these scripts), but something else listens on $KAFKA_HOST:$port"
else
  log "down"
fi
exit 1

#!/usr/bin/env bash
# Stops the broker started by start.sh: SIGTERM (controlled shutdown), SIGKILL after
# $KAFKA_STOP_TIMEOUT seconds. Idempotent: succeeds when nothing is running. Data is kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! pid="$(running_pid)"; then
  [[ -f "$PID_FILE" ]] && { log "removing stale pid file"; rm -f "$PID_FILE"; }
  log "not running"
  exit 0
fi

log "stopping broker (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then
  log "still running after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
fi
rm -f "$PID_FILE"
log "stopped"

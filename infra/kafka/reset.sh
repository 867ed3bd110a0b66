#!/usr/bin/env bash
# Stops the broker and deletes all its state (run/: data, logs, cluster id). The jars in lib/ stay.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$KAFKA_DIR/stop.sh"
rm -rf "$RUN_DIR"
log "state wiped ($RUN_DIR)"

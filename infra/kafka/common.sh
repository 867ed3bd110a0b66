# shellcheck shell=bash
# Sourced by the scripts in infra/kafka/. Settings, all overridable from the environment:
#   KAFKA_HOST             address the broker binds to and advertises   (default 127.0.0.1)
#   KAFKA_PORT             client (PLAINTEXT) port                       (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port                         (default 9093)
#   KAFKA_SASL_PORT        SASL_SSL port (TLS + SCRAM-SHA-256/512 logins) (default 9094; 0: no such listener)
#   KAFKA_SCRAM_USER       the SCRAM user start.sh creates               (default eenplan)
#   KAFKA_SCRAM_PASSWORD   its password                                  (default: random, kept in run/sasl/password)
#   KAFKA_ADVERTISED_HOST  host name given to clients                    (default $KAFKA_HOST)
#   KAFKA_NUM_PARTITIONS   partitions of auto-created topics             (default 6)
#   KAFKA_HEAP_OPTS        JVM heap                                      (default -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT    seconds start.sh waits for the broker         (default 90)
#   KAFKA_STOP_TIMEOUT     seconds stop.sh waits before SIGKILL          (default 30)
#   JAVA                   java binary                                   (default: java on PATH)
#   KAFKA_RUN_DIR          state of this broker instance                 (default infra/kafka/run)
# All state lives under infra/kafka/: jars in lib/, data, logs, pid and config in run/ (both git-ignored).
# The SASL_SSL listener's CA (run/tls/ca.crt, what clients trust), the SCRAM password
# (run/sasl/password) and a client config for Kafka's own tools (run/sasl/client.properties) are made
# on the first start and kept; reset.sh wipes them with the rest.
# A second broker beside the first (e.g. a test that stops its own broker without disturbing others):
#   KAFKA_RUN_DIR=/tmp/k2 KAFKA_PORT=19192 KAFKA_CONTROLLER_PORT=19193 KAFKA_SASL_PORT=19194 bash infra/kafka/start.sh

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="$KAFKA_DIR/lib"
RUN_DIR="${KAFKA_RUN_DIR:-$KAFKA_DIR/run}"
DATA_DIR="$RUN_DIR/data"
LOG_DIR="$RUN_DIR/logs"
PID_FILE="$RUN_DIR/kafka.pid"
PORT_FILE="$RUN_DIR/port"
CLUSTER_ID_FILE="$RUN_DIR/cluster-id"
SERVER_PROPERTIES="$RUN_DIR/server.properties"
CONSOLE_LOG="$RUN_DIR/kafka.out"
LIB_MARKER="$LIB_DIR/.complete"

KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_SCRAM_USER="${KAFKA_SCRAM_USER:-eenplan}"
TLS_DIR="$RUN_DIR/tls"
SASL_DIR="$RUN_DIR/sasl"
SASL_PORT_FILE="$RUN_DIR/sasl-port"
KAFKA_ADVERTISED_HOST="${KAFKA_ADVERTISED_HOST:-$KAFKA_HOST}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-6}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
JAVA="${JAVA:-java}"

log() { printf '[kafka] %s\n' "$*"; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }

# Runs a Kafka command-line class from lib/ with quiet (WARN, stderr) logging and a fast-starting JVM.
# tool_cmd is the same command as an array, for use behind `timeout`.
tool_cmd=("$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  "-Dlog4j.configuration=file:$KAFKA_DIR/tools-log4j.properties" -cp "$LIB_DIR/*")
kafka_tool() { "${tool_cmd[@]}" "$@"; }

require_lib() {
  [[ -f "$LIB_MARKER" ]] || die "Kafka jars missing in $LIB_DIR; run: bash infra/kafka/fetch.sh"
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 11+; Java 17 recommended)"
}

# True when something accepts TCP connections on host:port.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# PID of the broker started by start.sh, if that process is still alive and really is our broker.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled PID: the process must be our kafka.Kafka with our config.
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $SERVER_PROPERTIES" || return 1
  fi
  echo "$pid"
}

# The port the running broker was started with (falls back to $KAFKA_PORT).
recorded_port() {
  if [[ -f "$PORT_FILE" ]]; then cat "$PORT_FILE"; else echo "$KAFKA_PORT"; fi
}

log_tail() {
  local f
  for f in "$LOG_DIR/server.log" "$CONSOLE_LOG"; do
    if [[ -s "$f" ]]; then
      printf '[kafka] ---- last 40 lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2
    fi
  done
}

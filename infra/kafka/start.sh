#!/usr/bin/env bash
# Starts a single-node Kafka 3.9 (KRaft, broker + controller in one JVM) from the jars in lib/,
# in the background, and returns once the broker answers a metadata request on $KAFKA_PORT.
# Idempotent: returns at once when the broker started by this script is already up.
# Data survives stop/start; reset.sh wipes it. Settings: see common.sh.
# Listeners: PLAINTEXT on $KAFKA_PORT (no login; what the tests and the embedded default use) and,
# unless KAFKA_SASL_PORT=0, SASL_SSL on $KAFKA_SASL_PORT: TLS with a certificate from a local CA
# (run/tls/ca.crt) and SCRAM-SHA-256/512 logins for $KAFKA_SCRAM_USER (password in run/sasl/password),
# as a platform team's cluster would ask of eenplan (docs/OPERATIONS.md, "Kafka over TLS and SASL").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

require_lib
bootstrap="$KAFKA_HOST:$KAFKA_PORT"
t0=$SECONDS

# Waits until the broker process answers a DescribeCluster request; dies with the log tail otherwise.
wait_until_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_START_TIMEOUT)) out
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log_tail
      die "the broker (pid $pid) exited during start-up; see $LOG_DIR/server.log and $CONSOLE_LOG"
    fi
    if ! port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
      sleep 0.25  # a TCP probe is cheap; the JVM-based probe below only once the port is open
    elif out="$(timeout 30 "${tool_cmd[@]}" org.apache.kafka.tools.ClusterTool cluster-id \
                 --bootstrap-server "$bootstrap" 2>&1)"; then
      log "broker answers at $bootstrap (${out//$'\n'/ }; pid $pid) after $((SECONDS - t0))s"
      return 0
    else
      sleep 1
    fi
    if ((SECONDS >= deadline)); then
      log_tail
      [[ -n "${out:-}" ]] && printf '[kafka] last probe said: %s\n' "$out" >&2
      die "the broker (pid $pid) did not answer at $bootstrap within ${KAFKA_START_TIMEOUT}s (KAFKA_START_TIMEOUT); it is still running, stop it with: bash infra/kafka/stop.sh"
    fi
  done
}

sasl_enabled() { [[ "$KAFKA_SASL_PORT" != 0 ]]; }

# A CA and a broker certificate for the SASL_SSL listener, made once per run directory. The broker
# certificate names 127.0.0.1, localhost and the advertised host: clients verify the name.
ensure_tls() {
  [[ -s "$TLS_DIR/broker.p12" && -s "$TLS_DIR/ca.crt" && -s "$TLS_DIR/keystore-password" ]] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl not found: the SASL_SSL listener needs it (or set KAFKA_SASL_PORT=0)"
  local tmp="$TLS_DIR.tmp.$$" san="IP:127.0.0.1,DNS:localhost"
  rm -rf "$tmp" && mkdir -p "$tmp" && chmod 700 "$tmp"
  if [[ "$KAFKA_ADVERTISED_HOST" =~ ^[0-9.]+$ ]]; then
    [[ "$KAFKA_ADVERTISED_HOST" != 127.0.0.1 ]] && san="$san,IP:$KAFKA_ADVERTISED_HOST"
  elif [[ "$KAFKA_ADVERTISED_HOST" != localhost ]]; then
    san="$san,DNS:$KAFKA_ADVERTISED_HOST"
  fi
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=eenplan local Kafka CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$tmp/ca.key" -out "$tmp/ca.crt" &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$KAFKA_ADVERTISED_HOST" \
        -keyout "$tmp/broker.key" -out "$tmp/broker.csr" &&
      printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$tmp/broker.ext" &&
      openssl x509 -req -days 3650 -in "$tmp/broker.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" \
        -CAcreateserial -extfile "$tmp/broker.ext" -out "$tmp/broker.crt" &&
      openssl rand -hex 16 >"$tmp/keystore-password" &&
      openssl pkcs12 -export -name broker -in "$tmp/broker.crt" -inkey "$tmp/broker.key" \
        -certfile "$tmp/ca.crt" -out "$tmp/broker.p12" -passout "file:$tmp/keystore-password"
  } >"$RUN_DIR/tls.log" 2>&1 || { cat "$RUN_DIR/tls.log" >&2; rm -rf "$tmp"; die "making the TLS certificates failed"; }
  rm -rf "$TLS_DIR" && mv "$tmp" "$TLS_DIR"
  log "made a local CA and the broker's certificate in $TLS_DIR (clients trust $TLS_DIR/ca.crt)"
}

# The SCRAM password (kept, so clients configured once keep working) and a client config for
# Kafka's own command-line tools.
ensure_sasl_client() {
  mkdir -p "$SASL_DIR" && chmod 700 "$SASL_DIR"
  if [[ -n "${KAFKA_SCRAM_PASSWORD:-}" ]]; then
    printf '%s' "$KAFKA_SCRAM_PASSWORD" >"$SASL_DIR/password"
  elif [[ ! -s "$SASL_DIR/password" ]]; then
    openssl rand -hex 24 | tr -d '\n' >"$SASL_DIR/password"
  fi
  chmod 600 "$SASL_DIR/password"
  [[ "$(cat "$SASL_DIR/password")" =~ ^[A-Za-z0-9._~-]+$ ]] ||
    die "KAFKA_SCRAM_PASSWORD may hold letters, digits and . _ ~ - only (it goes into a JAAS line)"
  cat >"$SASL_DIR/client.properties" <<CLIENT
# For Kafka's own tools against the SASL_SSL listener, e.g.
#   kafka-console-consumer --bootstrap-server $KAFKA_ADVERTISED_HOST:$KAFKA_SASL_PORT --consumer.config $SASL_DIR/client.properties --topic ...
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_SCRAM_USER" password="$(cat "$SASL_DIR/password")";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.crt
CLIENT
  chmod 600 "$SASL_DIR/client.properties"
}

# What the stored SCRAM credentials were made from (a hash: the password stays in its own file).
scram_stamp() { printf '%s:%s' "$KAFKA_SCRAM_USER" "$(cat "$SASL_DIR/password")" | sha256sum | cut -d' ' -f1; }
SCRAM_MARKER="$DATA_DIR/.scram-user"

# A storage formatted here already holds the SCRAM user (--add-scram); one formatted before, or a
# changed user or password, gets it through the PLAINTEXT listener (one mechanism per request: KRaft
# refuses two changes of one user in a request). Then a SCRAM login over TLS must get an answer.
ensure_scram_user() {
  local password out mechanism
  password="$(cat "$SASL_DIR/password")"
  if [[ "$(cat "$SCRAM_MARKER" 2>/dev/null)" != "$(scram_stamp)" ]]; then
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
      out="$(timeout 60 "${tool_cmd[@]}" kafka.admin.ConfigCommand --bootstrap-server "$bootstrap" --alter \
        --entity-type users --entity-name "$KAFKA_SCRAM_USER" --add-config "$mechanism=[password=$password]" 2>&1)" ||
        { printf '%s\n' "${out//$password/***}" >&2; die "creating the SCRAM user $KAFKA_SCRAM_USER failed"; }
    done
    scram_stamp >"$SCRAM_MARKER"
  fi
  local deadline=$((SECONDS + 30))
  until out="$(timeout 30 "${tool_cmd[@]}" org.apache.kafka.tools.ClusterTool cluster-id \
    --bootstrap-server "$KAFKA_HOST:$KAFKA_SASL_PORT" --config "$SASL_DIR/client.properties" 2>&1)"; do
    if ((SECONDS >= deadline)); then
      printf '[kafka] last probe said: %s\n' "${out//$password/***}" >&2
      die "the SASL_SSL listener at $KAFKA_HOST:$KAFKA_SASL_PORT refused a SCRAM login for $KAFKA_SCRAM_USER"
    fi
    sleep 1
  done
  log "SASL_SSL at $KAFKA_HOST:$KAFKA_SASL_PORT: SCRAM-SHA-256/512 user $KAFKA_SCRAM_USER (password in $SASL_DIR/password), CA $TLS_DIR/ca.crt"
}

if pid="$(running_pid)"; then
  log "already running (pid $pid)"
  KAFKA_PORT="$(recorded_port)"
  bootstrap="$KAFKA_HOST:$KAFKA_PORT"
  wait_until_ready "$pid"
  exit 0
fi
rm -f "$PID_FILE"

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" $(sasl_enabled && echo "$KAFKA_SASL_PORT"); do
  if port_open "$KAFKA_HOST" "$p"; then
    die "$KAFKA_HOST:$p is already in use by a process these scripts did not start (another Kafka? a container?). Stop it, or choose other ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT."
  fi
done

mkdir -p "$RUN_DIR" "$DATA_DIR" "$LOG_DIR"

listeners="PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT"
advertised="PLAINTEXT://$KAFKA_ADVERTISED_HOST:$KAFKA_PORT"
protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
sasl_properties=""
if sasl_enabled; then
  ensure_tls
  ensure_sasl_client
  listeners="$listeners,SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_PORT"
  advertised="$advertised,SASL_SSL://$KAFKA_ADVERTISED_HOST:$KAFKA_SASL_PORT"
  protocols="$protocols,SASL_SSL:SASL_SSL"
  keystore_password="$(cat "$TLS_DIR/keystore-password")"
  sasl_properties="sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS_DIR/broker.p12
listener.name.sasl_ssl.ssl.keystore.password=$keystore_password
listener.name.sasl_ssl.ssl.key.password=$keystore_password"
fi

# Written on every start so that changed settings apply; the storage itself is formatted only once.
cat >"$SERVER_PROPERTIES" <<PROPS
# Generated by infra/kafka/start.sh on each start; edit the script or the environment, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=$listeners
advertised.listeners=$advertised
listener.security.protocol.map=$protocols
$sasl_properties
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=$KAFKA_NUM_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS

if [[ ! -f "$DATA_DIR/meta.properties" ]]; then
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    kafka_tool kafka.tools.StorageTool random-uuid | tail -n 1 | tr -d '[:space:]' >"$CLUSTER_ID_FILE"
    [[ -s "$CLUSTER_ID_FILE" ]] || die "StorageTool random-uuid produced no cluster id"
  fi
  log "formatting storage in $DATA_DIR (cluster id $(cat "$CLUSTER_ID_FILE"))"
  scram=()
  if sasl_enabled; then
    scram_password="$(cat "$SASL_DIR/password")"
    scram=(--add-scram "SCRAM-SHA-256=[name=$KAFKA_SCRAM_USER,password=$scram_password]"
      --add-scram "SCRAM-SHA-512=[name=$KAFKA_SCRAM_USER,password=$scram_password]")
  fi
  kafka_tool kafka.tools.StorageTool format --ignore-formatted \
    -t "$(cat "$CLUSTER_ID_FILE")" -c "$SERVER_PROPERTIES" "${scram[@]}" >"$RUN_DIR/format.log" 2>&1 ||
    { cat "$RUN_DIR/format.log" >&2; die "formatting the storage failed"; }
  if sasl_enabled; then scram_stamp >"$SCRAM_MARKER"; fi
fi

echo "$KAFKA_PORT" >"$PORT_FILE"
if sasl_enabled; then echo "$KAFKA_SASL_PORT" >"$SASL_PORT_FILE"; else rm -f "$SASL_PORT_FILE"; fi
log "starting broker on $bootstrap (controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT, heap $KAFKA_HEAP_OPTS)"
printf '\n==== %s start ====\n' "$(date -Is)" >>"$CONSOLE_LOG"
# setsid + nohup: the broker outlives this shell and ignores the terminal's signals; stop.sh ends it.
launcher=(nohup)
command -v setsid >/dev/null 2>&1 && launcher=(setsid nohup)
# shellcheck disable=SC2086 # KAFKA_HEAP_OPTS and KAFKA_JVM_OPTS are word lists on purpose
(cd "$RUN_DIR" && exec "${launcher[@]}" "$JAVA" $KAFKA_HEAP_OPTS \
  -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} \
  -Dkafka.logs.dir="$LOG_DIR" -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
  -cp "$LIB_DIR/*" kafka.Kafka "$SERVER_PROPERTIES" >>"$CONSOLE_LOG" 2>&1 </dev/null) &
pid=$!
echo "$pid" >"$PID_FILE"
wait_until_ready "$pid"
if sasl_enabled; then ensure_scram_user; fi

#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at $PGHOST:$PGPORT (default 127.0.0.1:5432).
# If nothing answers and a local Debian/Ubuntu cluster on that port is installed but down, starts it
# with pg_ctlcluster, then waits until pg_isready says it accepts connections.
# Also creates the app's database ($ENSURE_DATABASE, default eenplan) when missing, best effort;
# set ENSURE_DATABASE= to skip that.
# Idempotent: does nothing when the server already answers. Exit 1 with the reason when impossible.
set -euo pipefail

PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
TIMEOUT="${PG_ENSURE_TIMEOUT:-60}"
ENSURE_DATABASE="${ENSURE_DATABASE-eenplan}"

log() { printf '[postgres] %s\n' "$*"; }
die() { printf '[postgres] ERROR: %s\n' "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }

# 0 when the server accepts connections.
ready() {
  if have pg_isready; then
    pg_isready -q -h "$PGHOST" -p "$PGPORT" -t 3
  else
    (exec 3<>"/dev/tcp/$PGHOST/$PGPORT") 2>/dev/null
  fi
}

wait_ready() {
  local deadline=$((SECONDS + TIMEOUT))
  until ready; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

ensure_database() {
  [[ -n "$ENSURE_DATABASE" ]] || return 0
  if ! have psql; then
    log "psql not installed; not checking that database $ENSURE_DATABASE exists"
    return 0
  fi
  local exists
  if ! exists="$(psql -X -q -t -A -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -w \
                   -c "select 1 from pg_database where datname = '$ENSURE_DATABASE'" 2>&1)"; then
    log "warning: could not connect as $PGUSER to check database $ENSURE_DATABASE: $exists"
    return 0
  fi
  if [[ "$exists" != "1" ]]; then
    if psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -w \
         -c "create database \"$ENSURE_DATABASE\"" >/dev/null 2>&1; then
      log "created database $ENSURE_DATABASE"
    else
      log "warning: could not create database $ENSURE_DATABASE (it may have been created concurrently)"
    fi
  fi
}

if ready; then
  log "server answers at $PGHOST:$PGPORT"
  ensure_database
  exit 0
fi

if ! have pg_lsclusters || ! have pg_ctlcluster; then
  die "nothing answers at $PGHOST:$PGPORT and no local cluster tools (pg_ctlcluster) are installed.
  Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql-15) or start the container:
  docker compose -f infra/compose.yaml up -d postgres"
fi

# pg_lsclusters -h: version cluster port status owner datadir logfile
mapfile -t clusters < <(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port { print $1, $2, $4, $7 }')
if ((${#clusters[@]} == 0)); then
  die "nothing answers at $PGHOST:$PGPORT and no local cluster is configured on port $PGPORT
  (pg_lsclusters lists: $(pg_lsclusters -h | awk '{ print $1 "/" $2 " port " $3 " " $4 }' | paste -sd, -)).
  Create one (pg_createcluster 15 main --start) or set PGPORT."
fi

for c in "${clusters[@]}"; do
  read -r version name status logfile <<<"$c"
  if [[ "$status" == online* ]]; then
    log "cluster $version/$name is online but $PGHOST:$PGPORT does not answer yet; waiting"
    continue
  fi
  log "starting local cluster $version/$name (port $PGPORT)"
  if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start 2>&1)"; then
    [[ "$out" == *"already running"* ]] || {
      printf '%s\n' "$out" >&2
      [[ -r "$logfile" ]] && { printf '[postgres] ---- last 20 lines of %s ----\n' "$logfile" >&2; tail -n 20 "$logfile" >&2; }
      if [[ "$(id -u)" != 0 ]]; then
        die "could not start cluster $version/$name as $(id -un); run this script as root or as the cluster owner (e.g. sudo -u postgres bash $0)"
      fi
      die "could not start cluster $version/$name"
    }
  fi
done

if ! wait_ready; then
  die "started, but $PGHOST:$PGPORT still does not accept connections after ${TIMEOUT}s (PG_ENSURE_TIMEOUT); see the cluster log in /var/log/postgresql/"
fi
log "server answers at $PGHOST:$PGPORT"
ensure_database

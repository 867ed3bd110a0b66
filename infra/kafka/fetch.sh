#!/usr/bin/env bash
# Puts a Kafka 3.9 broker and its tools into infra/kafka/lib from Maven Central (see pom.xml).
# Idempotent: does nothing when lib/ already holds the jars for the current pom.xml.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stamp="$(sha256sum "$KAFKA_DIR/pom.xml" | cut -d' ' -f1)"
if [[ -f "$LIB_MARKER" && "$(cat "$LIB_MARKER")" == "$stamp" ]]; then
  log "jars already in $LIB_DIR ($(find "$LIB_DIR" -name '*.jar' | wc -l) jars); nothing to fetch"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "mvn not found; install Maven 3.6.3+ (Debian: apt-get install maven)"

log "fetching Kafka jars from Maven Central into $LIB_DIR"
tmp="$KAFKA_DIR/lib.tmp.$$"
out="$(mktemp)"
trap 'rm -rf "$tmp" "$out"' EXIT
# Debian's Maven 3.8 prints stray colour codes even with -q; keep its output unless it fails.
if ! (cd "$KAFKA_DIR" && mvn -q -B -Dstyle.color=never ${KAFKA_MVN_ARGS:-} \
      dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime) >"$out" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$out" >&2
  die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
fi
ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "mvn finished but kafka_2.13 jar is missing from $tmp"
ls "$tmp"/slf4j-reload4j-*.jar >/dev/null 2>&1 || die "mvn finished but the slf4j-reload4j binding is missing"
echo "$stamp" >"$tmp/.complete"
rm -rf "$LIB_DIR"
mv "$tmp" "$LIB_DIR"
log "done: $(find "$LIB_DIR" -name '*.jar' | wc -l) jars, $(du -sh "$LIB_DIR" | cut -f1)"

#!/bin/bash
# Runs Keycloak in development mode with the options infra/lib/servers.js uses.
#   keycloak.sh prepare   (image build) start once, import the realm, stop: the image then holds the
#                         built server and the imported realm, and a container skips both steps.
#   KEYCLOAK_HEAP         JVM heap bounds (default -Xms64m -Xmx768m)
set -eu
export JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx768m}"
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-kc-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-kc-admin-dev-password}"
OPTS=(
  start-dev --import-realm --http-port=8080 --http-host=0.0.0.0 --http-management-port=9000
  --health-enabled=true --log-level=WARN,org.keycloak.services:INFO,io.quarkus:INFO
  --spi-brute-force-protector--default-brute-force-detector--allow-concurrent-requests=true
)
if [ "${1:-}" != prepare ]; then
  exec /opt/keycloak/bin/kc.sh "${OPTS[@]}"
fi
log=/tmp/keycloak-prepare.log
/opt/keycloak/bin/kc.sh "${OPTS[@]}" >"$log" 2>&1 &
kc=$!
for _ in $(seq 1 600); do
  if grep -q 'Listening on' "$log"; then
    grep -q 'KC-SERVICES0032' "$log" || { cat "$log"; echo 'realm import did not finish' >&2; exit 1; }
    kill -TERM "$kc"
    wait "$kc" || true
    rm -f "$log"
    exit 0
  fi
  kill -0 "$kc" 2>/dev/null || { cat "$log"; echo 'keycloak exited during the build' >&2; exit 1; }
  sleep 0.5
done
cat "$log"
echo 'keycloak did not start within 300 s during the build' >&2
exit 1

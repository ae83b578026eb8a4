#!/usr/bin/env bash
# Runs the packaged app WITHOUT the Functions host, on a stand-in: the durabletask-go sidecar (the Durable
# engine, scripts/sidecar.sh) and the test tree's SidecarBridge, which plays the host and the Java worker and
# answers the README's HTTP calls on http://localhost:7071 (POST /orchestrators/{functionName}, the status
# webhook). It is not the Functions host: no function keys, no other triggers, no host logs. Use `func start`
# (scripts/run-local.sh) where Core Tools is installed.
#
# App settings come from local.settings.json, as with func. Azurite keeps its data in .azurite/ and the
# sidecar its task hub in .tools/run/; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
http_port=${HTTP_PORT:-7071}

[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund
echo "stand-in: building the package and the bridge's class path (Maven)" >&2
mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/stand-in.classpath \
    -Dmdep.includeScope=test >&2
sidecar_port=$(scripts/sidecar.sh start .tools/run/sidecar)

pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    scripts/sidecar.sh stop .tools/run/sidecar
}
trap stop EXIT
trap 'exit 130' INT TERM

mkdir -p .azurite
node_modules/.bin/azurite-blob --location .azurite --blobHost 127.0.0.1 --blobPort 10000 --silent \
    --skipApiVersionCheck --disableTelemetry &
pids+=($!)

# local.settings.json's Values become the bridge's environment, as func makes them the host's.
mapfile -t settings < <(node -e 'const v = require("./local.settings.json").Values;
  for (const [k, s] of Object.entries(v)) console.log(k + "=" + s);')
echo "stand-in: the Functions host and Java worker are played by SidecarBridge (not func); engine: durabletask-go" \
     "on 127.0.0.1:$sidecar_port" >&2
env -i PATH="$PATH" HOME="$HOME" LANG="${LANG:-C.UTF-8}" "${settings[@]}" \
    java -cp "target/test-classes:$(cat target/stand-in.classpath)" com.contoso.sitebackup.engine.SidecarBridge \
    --sidecar "127.0.0.1:$sidecar_port" --http-port "$http_port" &
pids+=($!)
wait "${pids[-1]}"

#!/usr/bin/env bash
# Runs the packaged app WITHOUT the Functions host, on a stand-in: the durabletask-go sidecar (the Durable engine,
# scripts/sidecar.sh) and the bridge of tools/standin (com.contoso.sitebackup.standin.serve.StandInServer, from its
# jar), which plays the host and the Java worker and answers the README's HTTP calls on http://localhost:7071
# (POST /orchestrators/{functionName}, GET /snapshots/{container}, the status webhook). It is not the Functions host:
# no function keys, no other triggers, no host logs. Use `func start` (scripts/run-local.sh) where Core Tools is
# installed.
#
# App settings come from local.settings.json, as with func. Azurite keeps its data in .azurite/ (port 10000); each
# start has a fresh task hub in .tools/run/stand-in/. One stand-in at a time: a second start is refused before it
# builds anything (.tools/run/stand-in.lock). Ctrl-C stops all three.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
http_port=${HTTP_PORT:-7071}

mkdir -p .tools/run
exec 9>>.tools/run/stand-in.lock
if ! flock -n 9; then
    echo "stand-in: already running (pid $(cat .tools/run/stand-in.pid 2>/dev/null || echo '?')) on" \
         "http://localhost:$(cat .tools/run/stand-in.port 2>/dev/null || echo "$http_port"); stop it (Ctrl-C in its" \
         "terminal) before starting another" >&2
    exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
    echo "stand-in: port $http_port is in use by another program; free it or set HTTP_PORT" >&2
    exit 1
fi
echo $$ > .tools/run/stand-in.pid
echo "$http_port" > .tools/run/stand-in.port

[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund
# shellcheck source=scripts/built.sh
. "$root/scripts/built.sh"
ensure_built stand-in
scripts/sidecar.sh install >/dev/null

export AZURITE_HOME="$root/node_modules/azurite" LC_ALL=C.UTF-8
# exec: the JVM keeps descriptor 9, so the lock is held exactly as long as the stand-in runs.
HTTP_PORT=$http_port exec java -Dsitebackup.project="$root" -cp "$standin_jar" \
    com.contoso.sitebackup.standin.serve.StandInServer

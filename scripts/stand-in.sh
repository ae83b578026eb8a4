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
# builds anything (.tools/run/local.lock). Ctrl-C stops all three.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
http_port=${HTTP_PORT:-7071}

mkdir -p .tools/run
# One local app per folder, the stand-in or func (.tools/run/local.lock, shared with scripts/run-local.sh, which
# holds it already when it became this script): a second start is refused before it builds or starts anything.
if [[ "${SITE_BACKUP_LOCAL_LOCK:-}" != "$$" ]]; then
    exec 8>>.tools/run/local.lock
    if ! flock -n 8; then
        running_pid=$(cat .tools/run/local.pid 2>/dev/null || echo '?')
        running_port=$(cat .tools/run/stand-in.port 2>/dev/null || echo "$http_port")
        echo "stand-in: the app is already running from this folder (pid $running_pid; the stand-in answers on" \
             "http://localhost:$running_port); stop it (Ctrl-C in its terminal) before starting another." \
             "Nothing was built or started." >&2
        exit 1
    fi
    echo $$ > .tools/run/local.pid
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; then
    echo "stand-in: port $http_port is in use by another program; free it or set HTTP_PORT" >&2
    exit 1
fi
echo "$http_port" > .tools/run/stand-in.port

[ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund
# shellcheck source=scripts/built.sh
. "$root/scripts/built.sh"
ensure_built stand-in
scripts/sidecar.sh install >/dev/null

export AZURITE_HOME="$root/node_modules/azurite" LC_ALL=C.UTF-8
# exec: the JVM keeps descriptor 8, so the lock is held exactly as long as the stand-in runs.
HTTP_PORT=$http_port exec java -Dsitebackup.project="$root" -cp "$standin_jar" \
    com.contoso.sitebackup.standin.serve.StandInServer

#!/usr/bin/env bash
# Runs the app locally: installs and starts Azurite (blob, queue and table on the default ports that
# UseDevelopmentStorage=true expects), builds the app and starts the Functions host on it.
# Needs Java 17, Maven, Node.js and Azure Functions Core Tools v4 (`func`); without func it runs the stand-in
# (scripts/stand-in.sh, which needs Go instead) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

# One local app per folder: a second `npm start` would rebuild target/ under the running one and start a second
# engine on its task hub. The lock (descriptor 8) is held until this script, or the stand-in it becomes, ends.
mkdir -p .tools/run
exec 8>>.tools/run/local.lock
if ! flock -n 8; then
    echo "npm start: the app is already running from this folder (pid $(cat .tools/run/local.pid 2>/dev/null ||" \
         "echo '?')); stop it (Ctrl-C in its terminal) before starting it again. Nothing was built or started." >&2
    exit 1
fi
echo $$ > .tools/run/local.pid
export SITE_BACKUP_LOCAL_LOCK=$$ # scripts/stand-in.sh, when this script becomes it, holds the lock already
# Core Tools pinned in package.json (optionalDependencies) lands in node_modules/.bin where its download works.
PATH="$PWD/node_modules/.bin:$PATH"

if ! command -v func >/dev/null; then
    echo "Azure Functions Core Tools (func) is not installed: running the packaged app on the stand-in instead" \
         "(scripts/stand-in.sh: the durabletask-go engine and a bridge that plays the host; NOT the Functions host)." \
         "For the real host, install Core Tools v4: https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2
    exec scripts/stand-in.sh
fi
echo "Running the Functions host (func start)." >&2
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

mkdir -p .azurite
npx azurite --location .azurite --silent --skipApiVersionCheck --disableTelemetry &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

mvn -B clean package -DskipTests
app_dir=$(ls -d target/azure-functions/*/ | head -n 1)
cd "$app_dir" && func start

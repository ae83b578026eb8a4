#!/usr/bin/env bash
# Runs the app locally: installs and starts Azurite (blob, queue and table on the default ports that
# UseDevelopmentStorage=true expects), builds the app and starts the Functions host on it.
# Needs Java 17, Maven, Node.js and Azure Functions Core Tools v4 (`func`).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v func >/dev/null || { echo "Azure Functions Core Tools v4 (func) is required: https://learn.microsoft.com/azure/azure-functions/functions-run-local" >&2; exit 1; }
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

mkdir -p .azurite
npx azurite --location .azurite --silent --skipApiVersionCheck --disableTelemetry &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

mvn -B clean package -DskipTests
app_dir=$(ls -d target/azure-functions/*/ | head -n 1)
cd "$app_dir" && func start

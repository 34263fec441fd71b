#!/usr/bin/env bash
# Starts WalletPasses locally: Azurite (storage emulator), development certificates on first run,
# and the app on http://localhost:7071. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK is required (https://dot.net)." >&2; exit 1; }
command -v node >/dev/null || { echo "run.sh: Node.js 20+ is required for the Azurite storage emulator." >&2; exit 1; }

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
[ -f local.settings.json ] || { cp local.settings.example.json local.settings.json; echo "run.sh: created local.settings.json from the example."; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_open 10000 && port_open 10001 && port_open 10002; then
  echo "run.sh: a storage emulator is already listening on 10000-10002; using it."
else
  mkdir -p .azurite
  node_modules/.bin/azurite --silent --location .azurite --debug .azurite/debug.log \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --disableTelemetry --skipApiVersionCheck &
  pids+=($!)
  for _ in $(seq 1 100); do port_open 10000 && port_open 10001 && port_open 10002 && break; sleep 0.1; done
  port_open 10002 || { echo "run.sh: Azurite did not start; see .azurite/debug.log" >&2; exit 1; }
fi

dotnet build src/WalletPasses -c Release --nologo -v quiet
app=src/WalletPasses/bin/Release/net10.0/WalletPasses.dll
export WALLETPASSES_LOCAL_SETTINGS="$PWD/local.settings.json" # the standalone host reads it only when named
dotnet "$app" init-dev
dotnet "$app" &
pids+=($!)
wait "${pids[-1]}"

#!/usr/bin/env bash
# Runs every test. Integration tests start their own Azurite on free ports and stop it.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is required." >&2; exit 1; }
command -v node >/dev/null || { echo "test.sh: Node.js 20+ is required for Azurite." >&2; exit 1; }
if ! command -v openssl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openssl >/dev/null
fi
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund

mkdir -p test-artifacts
set +e
dotnet test WalletPasses.sln -c Release --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" \
  --results-directory test-artifacts 2>&1 | tee test-artifacts/test-output.txt
status=${PIPESTATUS[0]}
set -e

# One plain closing line: "N passed, N failed".
count() { grep -oE "$1: +[0-9]+" test-artifacts/test-output.txt | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}' || true; }
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"

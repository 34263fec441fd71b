#!/usr/bin/env bash
# Runs every test. Integration tests start their own Azurite on free ports and stop it.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK is required." >&2; exit 1; }
command -v node >/dev/null || { echo "test.sh: Node.js 20+ is required for Azurite." >&2; exit 1; }
missing=()
command -v openssl >/dev/null || missing+=(openssl)
# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing ${missing[*]}; install as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]} with apt-get."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# npm ci when node_modules is missing or older than the lock file (a pinned package was added or changed).
if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

mkdir -p test-artifacts
set +e
dotnet test WalletPasses.sln -c Release --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" \
  --results-directory test-artifacts 2>&1 | tee test-artifacts/test-output.txt
status=${PIPESTATUS[0]}
set -e

# The failures again at the end, where a reader of a truncated log looks first: name, message and the first frames.
if grep -qE '^\s+Failed [A-Za-z_]' test-artifacts/test-output.txt; then
  echo "Failed tests (full output in test-artifacts/test-output.txt, results in test-artifacts/results.trx):"
  grep -E -A12 '^\s+Failed [A-Za-z_]' test-artifacts/test-output.txt | grep -vE '^\s+at (System|Microsoft|Xunit)\.' | head -80
fi

# One plain closing line: "N passed, N failed".
count() { grep -oE "$1: +[0-9]+" test-artifacts/test-output.txt | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}' || true; }
passed=$(count Passed)
failed=$(count Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"

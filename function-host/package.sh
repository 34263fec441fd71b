#!/usr/bin/env bash
# Builds the deployment package of the Functions app: publishes function-host/ for linux-x64 with
# ReadyToRun (precompiled code, a shorter cold start), zips the publish folder and prints the zip's path
# as the last line of output. The zip's root is what the Functions host loads: host.json,
# functions.metadata, worker.config.json, extensions.json, .azurefunctions/ and the worker.
#
#   function-host/package.sh [zip-path]     (default: publish/walletpasses-functions.zip)
#
# Deploy it with `az functionapp deployment source config-zip --src <zip>` (README, "Deploying to Azure").
# The build runs in a scratch folder (--artifacts-path), so it neither reads nor disturbs the
# repository's bin/ and obj/ folders.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

command -v dotnet >/dev/null || { echo "package.sh: the .NET 10 SDK is required." >&2; exit 1; }
command -v zip >/dev/null || { echo "package.sh: 'zip' is required (apt-get install zip)." >&2; exit 1; }

zip_path="${1:-$root/publish/walletpasses-functions.zip}"
mkdir -p "$(dirname "$zip_path")"
zip_path="$(cd "$(dirname "$zip_path")" && pwd)/$(basename "$zip_path")"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/walletpasses-package.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
out="$scratch/publish"

# Framework-dependent: Flex Consumption provides the .NET 10 runtime (functionAppConfig.runtime).
dotnet publish "$here/WalletPasses.Functions.csproj" -c Release --nologo -v quiet \
  -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  --artifacts-path "$scratch/artifacts" -o "$out" >&2

# The package must never carry local settings or key material, whatever is lying around in the tree.
leaks="$(cd "$out" && find . \( -name 'local.settings*.json' -o -name '*.p12' -o -name '*.pfx' -o -name '*.pem' \
  -o -name '*.key' -o -name '.dev-certs' \) -print)"
if [ -n "$leaks" ]; then
  echo "package.sh: refusing to package development settings or key material:" >&2
  echo "$leaks" >&2
  exit 1
fi
for required in host.json functions.metadata worker.config.json extensions.json .azurefunctions; do
  [ -e "$out/$required" ] || { echo "package.sh: $required is missing from the publish folder." >&2; exit 1; }
done

rm -f "$zip_path"
(cd "$out" && zip -q -r -X "$zip_path" .)
echo "$zip_path"

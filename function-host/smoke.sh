#!/usr/bin/env bash
# Post-deploy smoke test of a WalletPasses deployment (Functions app or standalone host):
#   1. GET /api/health answers 200 (retried for up to a minute: a scaled-to-zero app starts first);
#   2. one loyalty event for a dedicated smoke member goes onto the loyalty-events queue through
#      POST /api/loyalty-events (the HTTP route queues it exactly as a backend writing to the queue would,
#      and needs no storage credentials), and the member must show the new points within a minute, which
#      proves the queue trigger (or the standalone poller) and storage work.
#
#   function-host/smoke.sh <base-url> <backend-key>
#
# Environment: SMOKE_MEMBER_ID (default walletpasses-smoke; the member is created on the first run and
# keeps a running count of points), SMOKE_TIER (a tier id of the deployment's template; default silver,
# the first tier of the built-in template), SMOKE_TIMEOUT_SECONDS (default 60), WALLETPASSES_EVENTS_SIGNING_SECRET
# (when the deployment sets WalletPasses__Events__SigningSecret, the event is signed with it).
# Exit code 0 when both steps pass; otherwise non-zero with a line saying which step failed and why.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <base-url> <backend-key>   (e.g. https://myapp.azurewebsites.net)" >&2
  exit 2
fi
command -v curl >/dev/null || { echo "smoke: curl is required." >&2; exit 2; }

base="${1%/}"
key="$2"
member="${SMOKE_MEMBER_ID:-walletpasses-smoke}"
tier="${SMOKE_TIER:-silver}"
timeout="${SMOKE_TIMEOUT_SECONDS:-60}"
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

# call METHOD PATH [JSON] -> prints the HTTP status; the body lands in $body_file.
call() {
  local args=(-sS -o "$body_file" -w '%{http_code}' --max-time 30 -X "$1" -H "Authorization: Bearer $key")
  if [ $# -ge 3 ]; then
    args+=(-H "Content-Type: application/json" --data-binary "$3")
    if [ -n "${WALLETPASSES_EVENTS_SIGNING_SECRET:-}" ] && [ "$2" = "/api/loyalty-events" ]; then
      command -v openssl >/dev/null || fail "openssl is needed to sign events (WALLETPASSES_EVENTS_SIGNING_SECRET is set)."
      local t signature
      t="$(date +%s)"
      signature="$(printf '%s.%s' "$t" "$3" | openssl dgst -sha256 -hmac "$WALLETPASSES_EVENTS_SIGNING_SECRET" -r | cut -d' ' -f1)"
      args+=(-H "X-WalletPasses-Signature: t=$t,v1=$signature")
    fi
  fi
  curl "${args[@]}" "$base$2" || echo 000
}

points_of_member() { grep -o '"points":[ ]*-\?[0-9]*' "$body_file" | head -1 | grep -o -- '-\?[0-9]*$'; }

# 1. Health.
deadline=$((SECONDS + timeout))
while :; do
  status="$(call GET /api/health)"
  [ "$status" = 200 ] && break
  [ "$SECONDS" -ge "$deadline" ] && fail "GET $base/api/health answered $status for ${timeout}s: $(head -c 500 "$body_file")"
  sleep 2
done
echo "smoke: health ok"

# 2. The smoke member, created once.
status="$(call GET "/api/members/$member")"
if [ "$status" = 404 ]; then
  status="$(call PUT "/api/members/$member" "{\"displayName\": \"Smoke Test\", \"points\": 0, \"tier\": \"$tier\"}")"
  [ "$status" = 200 ] || [ "$status" = 201 ] || fail "could not create smoke member '$member': PUT answered $status: $(head -c 500 "$body_file")"
elif [ "$status" != 200 ]; then
  fail "GET /api/members/$member answered $status (is the backend key right?): $(head -c 500 "$body_file")"
fi
before="$(points_of_member)" || fail "no points in the member document: $(head -c 500 "$body_file")"
expected=$((before + 1))

# 3. One event through the queue. Sequence: milliseconds since the epoch, higher than any earlier run's.
now_ms="$(date +%s%3N)"
case "$now_ms" in *[!0-9]*) now_ms="$(($(date +%s) * 1000))" ;; esac # a date without %N (BSD, macOS)
event="{\"eventId\": \"smoke-$now_ms-$$\", \"memberId\": \"$member\", \"sequence\": $now_ms, \"occurredAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"type\": \"points.changed\", \"points\": $expected}"
status="$(call POST /api/loyalty-events "$event")"
[ "$status" = 202 ] || fail "POST /api/loyalty-events answered $status: $(head -c 500 "$body_file")"
echo "smoke: event queued (points $before -> $expected)"

deadline=$((SECONDS + timeout))
while :; do
  status="$(call GET "/api/members/$member")"
  if [ "$status" = 200 ] && [ "$(points_of_member || true)" = "$expected" ]; then
    break
  fi
  [ "$SECONDS" -ge "$deadline" ] && fail "member '$member' still shows $(points_of_member || echo '?') points ${timeout}s after the event (expected $expected): is the queue trigger running? Look for messages in loyalty-events-poison."
  sleep 1
done
echo "smoke: ok: member '$member' changed within ${timeout}s"

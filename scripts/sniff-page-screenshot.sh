#!/usr/bin/env bash
# Shows the sniffer page working in a real headless browser: starts Ordermesh on a scratch home,
# opens /admin/sniff.html in Debian's Chromium with an admin token, places an order meanwhile, and
# saves what the page shows as a PNG once it lists live rows. Needs Debian's chromium (apt-get install
# chromium) and npm (playwright-core is installed into a scratch folder, it downloads no browser).
# Usage: scripts/sniff-page-screenshot.sh [out.png]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/target/sniff-page.png}"
HOME_DIR="$(mktemp -d /tmp/ordermesh-sniff-XXXX)"; chmod 755 "$HOME_DIR"
PORT="${PORT:-18080}"; MAILBOX=$((PORT + 1))
mkdir -p "$(dirname "$OUT")"
"$ROOT/ordermesh" run --home "$HOME_DIR" --http-port "$PORT" --mailbox-port "$MAILBOX" --pg-port $((PORT + 2)) \
  --kafka-port $((PORT + 3)) > "$HOME_DIR/run.log" 2>&1 &
RUN=$!
trap 'kill $RUN 2>/dev/null; wait $RUN 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://localhost:$PORT/health/ready" > /dev/null && break; sleep 1; done
ADMIN=$("$ROOT/ordermesh" token --home "$HOME_DIR" --sub ops --role admin)
ALICE=$("$ROOT/ordermesh" token --home "$HOME_DIR" --sub alice)
DRIVER="$HOME_DIR/driver"; mkdir -p "$DRIVER"; cp "$ROOT/scripts/sniff-page-screenshot.mjs" "$DRIVER/"
(cd "$DRIVER" && npm install --silent --no-save --no-audit --no-fund playwright-core > /dev/null)
( sleep 4
  for i in 1 2 3 4 5; do
    curl -s -X POST -H "Authorization: Bearer $ALICE" -H "Content-Type: application/json" \
      -H "Idempotency-Key: sniff-demo-$i" -H "X-Correlation-ID: sniff-demo-$i" \
      -d '{"lines":[{"sku":"SKU-1","quantity":1}]}' "http://localhost:$PORT/api/v1/orders" > /dev/null
    curl -s -H "Authorization: Bearer $ALICE" "http://localhost:$PORT/api/v1/products" > /dev/null
  done ) &
node "$DRIVER/sniff-page-screenshot.mjs" "http://localhost:$PORT/admin/sniff.html#token=$ADMIN" "$OUT"

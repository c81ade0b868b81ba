#!/usr/bin/env bash
# Builds the release browser bundle (`cargo leptos build --release --frontend-only`: LTO,
# opt-level "z", wasm-opt; into target/site-release, the same build bench/lighthouse.sh
# audits) and reports the size of what a browser downloads to hydrate a page — the WASM
# module, the JS glue and the CSS, raw and gzip-compressed — and the largest functions in
# the WASM: the browser compiles each function on its first call, on the main thread, so
# one huge function called at hydration (the router's route choice once was 400 KB) blocks
# every page. Writes bench/results/wasm-size.md. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

TARGET=${CARGO_TARGET_DIR:-target}
start=$(date +%s)
LEPTOS_SITE_ROOT="$TARGET/site-release" cargo leptos build --release --frontend-only
took=$(( $(date +%s) - start ))
# Before the results file is rewritten (which would mark the tree as changed).
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)

pkg=$TARGET/site-release/pkg
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
row() {
  local label=$1 file=$2
  local raw gz
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  printf '| %s | `%s` | %d | %s KB | %d | %s KB |\n' "$label" "$(basename "$file")" "$raw" "$(kb "$raw")" "$gz" "$(kb "$gz")"
}
newest() { ls -t "$pkg"/*."$1" | head -n 1; }
wasm=$(newest wasm)
js=$(newest js)
css=$(newest css)
total_raw=$(( $(stat -c %s "$wasm") + $(stat -c %s "$js") ))
total_gz=$(( $(gzip -9 -c "$wasm" | wc -c) + $(gzip -9 -c "$js" | wc -c) ))

{
  echo "# Release bundle size"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, commit \`$commit\`; \`cargo leptos build --release --frontend-only\` took ${took} s (incremental state as found)."
  echo
  echo "| Part | File | Bytes | Raw | Gzip bytes | Gzip |"
  echo "|---|---|---:|---:|---:|---:|"
  row WASM "$wasm"
  row JS "$js"
  row CSS "$css"
  printf '| **WASM + JS** | | %d | %s KB | %d | %s KB |\n' "$total_raw" "$(kb "$total_raw")" "$total_gz" "$(kb "$total_gz")"
  echo
  # The code section: a count of function bodies, each a size-prefixed byte string.
  node - "$wasm" <<'JS'
const bytes = require('fs').readFileSync(process.argv[2]);
let at = 8;
const leb = () => {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return value;
};
const sizes = [];
while (at < bytes.length) {
  const id = bytes[at++];
  const length = leb();
  const end = at + length;
  if (id === 10) {
    for (let count = leb(), i = 0; i < count; i++) { const size = leb(); sizes.push(size); at += size; }
  }
  at = end;
}
sizes.sort((a, b) => b - a);
const total = sizes.reduce((sum, size) => sum + size, 0);
console.log(`Code: ${sizes.length} functions, ${(total / 1024).toFixed(1)} KB. Largest (KB): ${sizes.slice(0, 5).map((s) => (s / 1024).toFixed(1)).join(', ')}.`);
JS
} | tee bench/results/wasm-size.md

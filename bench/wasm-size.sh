#!/usr/bin/env bash
# Builds the release version (`cargo leptos build --release`: LTO, opt-level "z" for the
# WASM, wasm-opt) and reports the size of what a browser downloads to hydrate a page:
# the WASM module, the JS glue and the CSS, raw and gzip-compressed.
# Writes bench/results/wasm-size.md. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

start=$(date +%s)
cargo leptos build --release
took=$(( $(date +%s) - start ))

pkg=target/site/pkg
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
row() {
  local label=$1 file=$2
  local raw gz
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  printf '| %s | `%s` | %d | %s KB | %d | %s KB |\n' "$label" "$(basename "$file")" "$raw" "$(kb "$raw")" "$gz" "$(kb "$gz")"
}
wasm=$(ls $pkg/*.wasm)
js=$(ls $pkg/*.js)
css=$(ls $pkg/*.css)
total_raw=$(( $(stat -c %s "$wasm") + $(stat -c %s "$js") ))
total_gz=$(( $(gzip -9 -c "$wasm" | wc -c) + $(gzip -9 -c "$js" | wc -c) ))

{
  echo "# Release bundle size"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores; \`cargo leptos build --release\` took ${took} s (incremental state as found)."
  echo
  echo "| Part | File | Bytes | Raw | Gzip bytes | Gzip |"
  echo "|---|---|---:|---:|---:|---:|"
  row WASM "$wasm"
  row JS "$js"
  row CSS "$css"
  printf '| **WASM + JS** | | %d | %s KB | %d | %s KB |\n' "$total_raw" "$(kb "$total_raw")" "$total_gz" "$(kb "$total_gz")"
} | tee bench/results/wasm-size.md

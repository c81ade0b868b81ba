#!/usr/bin/env bash
# Property-based fuzzing on stable Rust (proptest): CASES (100,000) inputs for each
# property of the password checker, the activation-code parser, the e-mail and mobile
# number parsers, the text rules, the upload multipart reader and the form decoding of
# the server functions. A failing input is shrunk and saved by proptest under
# */proptest-regressions/ — commit that file: every later `cargo test` replays it.
# Writes bench/results/fuzz.md. Takes several minutes; not in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
source scripts/env.sh
CASES=${CASES:-100000}
OUT=bench/results/fuzz.md
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
cargo test --locked -p app -p server --no-run >/dev/null 2>&1

{
  echo "# Fuzzing"
  echo
  echo "\`bench/fuzz.sh\`, $(date -u +%Y-%m-%d), ${CASES} cases per property (proptest, debug build)."
  echo
  echo "| Target | Properties | Cases each | Time | Result |"
  echo "|---|---:|---:|---:|---|"
} >"$OUT"

run() {
  local target=$1; shift
  local started=$SECONDS
  if PROPTEST_CASES=$CASES cargo test --locked "$@" >"$LOG" 2>&1; then result=passed; else result="**failed** (see proptest-regressions)"; fi
  local count
  count=$(grep -cE '^test .* \.\.\. (ok|FAILED)$' "$LOG" || true)
  echo "| $target | $count | $CASES | $(( SECONDS - started )) s | $result |" >>"$OUT"
  [ "$result" = passed ] || { cat "$LOG"; return 1; }
}

status=0
run "password checker (browser checklist and server agree)" -p app --features ssr --lib backend::password_policy || status=1
run "activation code parser" -p app --lib domain::activation_code || status=1
run "e-mail address parser" -p app --lib domain::email || status=1
run "mobile number and SMS code" -p app --lib domain::mobile_number || status=1
run "text rules (single line, search key)" -p app --lib domain::text || status=1
run "upload file types" -p app --lib domain::upload || status=1
run "multipart reader of the upload routes" -p server --lib http::upload_body::fuzz || status=1
run "form decoding of the server functions" -p app --test form_decoding || status=1
cat "$OUT"
exit $status

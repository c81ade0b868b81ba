#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of the public pages
# `/`, `/anmelden` and `/registrieren`, with Lighthouse's default mobile settings
# (emulated phone, simulated slow 4G and 4x CPU slowdown).
#
#   1. builds the release bundle (`cargo leptos build --release --frontend-only`, into
#      target/site-release) and the development server that serves it;
#   2. installs Lighthouse (pinned in bench/package.json / package-lock.json, kept apart
#      from the root package.json so `make test` never installs it) into bench/node_modules;
#   3. starts the server on a free local port, development mode, with a fresh SQLite
#      database and demo data, and checks that the bundle the pages reference is served;
#   4. runs Lighthouse RUNS times per page (default 5) against Debian's Chromium
#      (CHROME_PATH; Lighthouse never downloads a browser) and writes, per page, the
#      median run's scores and main metrics, the range over all runs and, for every
#      median score below 95, the audits that failed (score < 0.9). (Lighthouse's own
#      advice: single runs vary by several points, the median of five is the result.)
#
# Usage:
#   bench/lighthouse.sh                                     # release build, then audit
#   bench/lighthouse.sh --no-build                          # audit the last build again (target/lighthouse/release)
#   bench/lighthouse.sh --no-build --server target/debug/server   # quick check of a debug build
# Options: --server PATH (or SERVER_BIN), --site DIR (or SITE_ROOT; default target/site:
# it must hold the bundle that binary was built with), --out FILE, --keep (keep the temp
# directory with the JSON and HTML reports), --runs N (or RUNS). BENCH_PORT fixes the port.
#
# Lighthouse 13 declares Node >= 22.19; it runs on this machine's Node 20 (npm only warns,
# the warning is hidden). Should a later Node 20 break it, 12.8.2 is the newest release
# for Node 18/20.
#
# Writes bench/results/lighthouse.md for a release binary; any other build (debug, …)
# goes to bench/results/lighthouse-<kind>.md (git-ignored) so a quick check never passes
# for the benchmark result. Not part of `make test` or CI. Bar: every score ≥ 95.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${CARGO_TARGET_DIR:-target}
BUILD=1
KEEP=0
SERVER_BIN=${SERVER_BIN:-}
SITE_ROOT=${SITE_ROOT:-$TARGET/site}
OUT=
RUNS=${RUNS:-5}
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --server) SERVER_BIN=$2; shift ;;
    --site) SITE_ROOT=$2; shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    --runs) RUNS=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$SERVER_BIN" ] && [ "$BUILD" = 1 ]; then
  echo "--server needs --no-build (a build produces $TARGET/lighthouse/release/server)" >&2
  exit 2
fi
SERVER_BIN=${SERVER_BIN:-$TARGET/lighthouse/release/server}
if [ "$BUILD" = 0 ] && [ "$SITE_ROOT" = "$TARGET/site" ] && [ "$SERVER_BIN" = "$TARGET/lighthouse/release/server" ]; then SITE_ROOT=$TARGET/site-release; fi

PAGES=(/ /anmelden /registrieren)
CATEGORIES=performance,accessibility,best-practices,seo
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROME_DOWNLOAD=1
start=$(date +%s)
BUILD_NOTE=

if [ "$BUILD" = 1 ]; then
  scripts/setup.sh
  source scripts/env.sh
  # What the browser gets is the release bundle (optimised WASM, wasm-opt, hashed names),
  # built into a site directory of its own. The server binary is the development one:
  # an LTO server build takes far longer on two cores and does not change these metrics
  # (the pages are rendered in a few milliseconds either way). The binary finds the
  # bundle's names in hash.txt next to itself, hence the hard link.
  cargo leptos build
  LEPTOS_SITE_ROOT="$TARGET/site-release" cargo leptos build --release --frontend-only
  mkdir -p "$TARGET/lighthouse/release"
  ln -f "$TARGET/debug/server" "$TARGET/lighthouse/release/server"
  cp "$TARGET/release/hash.txt" "$TARGET/lighthouse/release/hash.txt"
  SERVER_BIN=$TARGET/lighthouse/release/server
  SITE_ROOT=$TARGET/site-release
  BUILD_NOTE=" (the builds took $(( $(date +%s) - start )) s of it)"
else
  command -v npm >/dev/null || { echo "npm is missing: run scripts/setup.sh" >&2; exit 1; }
fi
[ -x "$SERVER_BIN" ] || { echo "no server binary at $SERVER_BIN (build it, or pass --server)" >&2; exit 1; }
[ -d "$SITE_ROOT/pkg" ] || { echo "no bundle in $SITE_ROOT/pkg (build it, or pass --site)" >&2; exit 1; }

# Debian's Chromium, never a downloaded one.
if [ ! -x "$CHROME_PATH" ] && [ "$CHROME_PATH" = /usr/bin/chromium ]; then
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 ||
    (apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null)
fi
CHROMIUM_VERSION=$("$CHROME_PATH" --version 2>/dev/null | head -n 1 | sed 's/ built on .*//')

# Lighthouse into bench/node_modules, only when missing or the lock file changed.
if [ ! -d bench/node_modules ] || [ ! -f bench/node_modules/.package-lock.json ] ||
  { [ -f bench/package-lock.json ] && [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; }; then
  echo "[lighthouse] installing Lighthouse into bench/node_modules"
  if [ -f bench/package-lock.json ]; then
    (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd bench && npm install --no-audit --no-fund --loglevel=error)
  fi
fi
LIGHTHOUSE=bench/node_modules/.bin/lighthouse
LIGHTHOUSE_VERSION=$(node -p 'require("./bench/node_modules/lighthouse/package.json").version')

case "$(basename "$(dirname "$SERVER_BIN")")" in
  release) KIND=release ;;
  debug) KIND=debug ;;
  *) KIND=$(basename "$(dirname "$SERVER_BIN")") ;;
esac
if [ -z "$OUT" ]; then
  if [ "$KIND" = release ]; then OUT=bench/results/lighthouse.md; else OUT="bench/results/lighthouse-$KIND.md"; fi
fi

PORT=${BENCH_PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
BASE="http://localhost:$PORT"
DATA=$(mktemp -d /tmp/portal-lighthouse.XXXXXX)
SERVER=
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ "$KEEP" = 1 ]; then echo "[lighthouse] reports kept in $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Development mode (plain-HTTP PUBLIC_URL allowed); no SMTP_URL/SMS_GATEWAY_URL, so
# mails would only go to the local preview — these pages send none.
APP_ENV=development DATABASE_URL="sqlite://$DATA/portal.db" BIND_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
  LEPTOS_SITE_ROOT="$SITE_ROOT" DEMO_SEED=true RUST_LOG=warn \
  "$SERVER_BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do
  curl -fs "$BASE/readyz" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "the server stopped:" >&2; cat "$DATA/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -fs "$BASE/readyz" >/dev/null || { echo "the server did not get ready in 120 s:" >&2; cat "$DATA/server.log" >&2; exit 1; }

# The binary names its bundle files (content hashes); they must be in the site directory.
for asset in $(curl -fs "$BASE/" | grep -oE '/pkg/[^"'"'"' ]+\.(js|wasm|css)' | sort -u); do
  curl -fso /dev/null "$BASE$asset" ||
    { echo "$SITE_ROOT lacks $asset, which $SERVER_BIN serves pages with: build both together (or pass --site)" >&2; exit 1; }
done

for page in "${PAGES[@]}"; do
  name=$(echo "$page" | tr -c 'a-z0-9\n' '_')
  for run in $(seq 1 "$RUNS"); do
    echo "[lighthouse] $BASE$page (run $run of $RUNS)"
    "$LIGHTHOUSE" "$BASE$page" --quiet --no-enable-error-reporting \
      --only-categories="$CATEGORIES" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --output=json --output=html --output-path="$DATA/page${name}run$run" 2>"$DATA/lighthouse$name.log" ||
      { echo "Lighthouse failed for $page:" >&2; tail -n 30 "$DATA/lighthouse$name.log" >&2; exit 1; }
  done
done
took=$(( $(date +%s) - start ))

case "$KIND" in
  release) BUILT="release bundle (\`cargo leptos build --release --frontend-only\`) served by the development server binary" ;;
  debug) BUILT="**debug build** (\`cargo leptos build\`: unoptimised WASM, so performance is far below the release result; not the benchmark result)" ;;
  *) BUILT="**$KIND build** (not the benchmark result)" ;;
esac
INFO="Measured $(date -u +%Y-%m-%d) on $(nproc) cores, commit \`$(git describe --always --dirty 2>/dev/null || echo unknown)\`, $BUILT: \`$SERVER_BIN\` with \`$SITE_ROOT\`. $CHROMIUM_VERSION (Debian, \`--headless=new\`), Lighthouse $LIGHTHOUSE_VERSION, default mobile settings (emulated phone, simulated slow 4G, 4x CPU slowdown), median of $RUNS runs per page; the whole run took ${took} s$BUILD_NOTE."

mkdir -p "$(dirname "$OUT")"
node - "$KIND" "$INFO" "$DATA" "$RUNS" "${PAGES[@]}" >"$DATA/report.md" <<'JS'
const fs = require('fs');
const path = require('path');
const [kind, info, dir, runCount, ...pages] = process.argv.slice(2);
const categories = [
  ['performance', 'Performance'],
  ['accessibility', 'Accessibility'],
  ['best-practices', 'Best practices'],
  ['seo', 'SEO'],
];
const BAR = 95;
const score = (category) => (category && category.score !== null ? Math.round(category.score * 100) : null);
// Per page: every run, and the median run by performance score (the reported one).
const reports = pages.map((page) => {
  const runs = [];
  for (let run = 1; run <= Number(runCount); run++) {
    const file = path.join(dir, 'page' + page.replace(/[^a-z0-9]/g, '_') + `run${run}.report.json`);
    runs.push(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  const sorted = [...runs].sort((a, b) => (score(a.categories.performance) ?? 0) - (score(b.categories.performance) ?? 0));
  return { page, runs, lhr: sorted[Math.floor((sorted.length - 1) / 2)] };
});
const cell = (s) => (s === null ? 'n/a' : s < BAR ? `**${s}**` : String(s));
const md = (text) => String(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const lines = [];
lines.push(kind === 'release' ? '# Lighthouse' : `# Lighthouse (${kind} build: not the benchmark result)`, '');
lines.push(info, '');
lines.push(`Bar: every score ≥ ${BAR} (scores below it in bold). Scores and metrics are those of each page's median run.`, '');
lines.push('| Page | ' + categories.map(([, title]) => title).join(' | ') + ' |');
lines.push('|---|' + categories.map(() => '---:').join('|') + '|');
for (const { page, lhr } of reports) {
  lines.push(`| \`${page}\` | ` + categories.map(([id]) => cell(score(lhr.categories[id]))).join(' | ') + ' |');
}
const metrics = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'Speed Index'],
  ['total-byte-weight', 'Transferred'],
];
const value = (audit) =>
  !audit ? 'n/a' : audit.id === 'total-byte-weight' ? `${Math.round(audit.numericValue / 1024).toLocaleString('en')} KiB` : md(audit.displayValue ?? 'n/a');
lines.push('', 'Metrics (simulated mobile):', '');
lines.push('| Page | ' + metrics.map(([, title]) => title).join(' | ') + ' |');
lines.push('|---|' + metrics.map(() => '---:').join('|') + '|');
for (const { page, lhr } of reports) {
  lines.push(`| \`${page}\` | ` + metrics.map(([id]) => value(lhr.audits[id])).join(' | ') + ' |');
}
lines.push('', `All ${runCount} runs per page (performance score, total blocking time):`, '');
lines.push('| Page | Performance (min–max) | Every run | TBT every run (ms) |');
lines.push('|---|---:|---|---|');
for (const { page, runs } of reports) {
  const perf = runs.map((r) => score(r.categories.performance));
  const tbt = runs.map((r) => Math.round(r.audits['total-blocking-time']?.numericValue ?? NaN));
  lines.push(`| \`${page}\` | ${Math.min(...perf)}–${Math.max(...perf)} | ${perf.join(', ')} | ${tbt.join(', ')} |`);
}
const all = reports.flatMap(({ runs }) => runs);
const warnings = [...new Set(all.flatMap((lhr) => [...(lhr.runWarnings ?? []), lhr.runtimeError?.message].filter(Boolean)))];
const benchmark = all.map((lhr) => Math.round(lhr.environment?.benchmarkIndex ?? 0));
lines.push('', `Host CPU benchmark index (Lighthouse's own measure; a loaded machine scores lower and slows the simulated metrics): ${Math.min(...benchmark)}–${Math.max(...benchmark)}.`);
if (warnings.length) lines.push('', 'Lighthouse warnings:', '', ...warnings.map((w) => `- ${md(w)}`));

const failing = [];
for (const { page, lhr } of reports) {
  for (const [id, title] of categories) {
    const category = lhr.categories[id];
    const s = score(category);
    if (s === null || s >= BAR) continue;
    const audits = category.auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a && a.score !== null && a.score < 0.9 && !['informative', 'manual', 'notApplicable'].includes(a.scoreDisplayMode))
      .sort((a, b) => a.score - b.score);
    failing.push(`### \`${page}\` — ${title} ${s}`, '');
    if (!audits.length) failing.push('- (no single audit below 0.9; the score comes from several audits just below 1)');
    for (const a of audits) {
      const shown = a.displayValue ? ` — ${md(a.displayValue)}` : '';
      failing.push(`- ${md(a.title)}${shown} (\`${a.id}\`, score ${a.score.toFixed(2)})`);
    }
    failing.push('');
  }
}
if (failing.length) {
  lines.push('', `## Audits to fix (score < 0.9, in every category below ${BAR})`, '', ...failing);
} else {
  lines.push('', `Every score is at least ${BAR}.`);
}
console.log(lines.join('\n').trimEnd());
JS
cp "$DATA/report.md" "$OUT"
cat "$OUT"

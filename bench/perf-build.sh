# Sourced by the bench scripts (from the repository root): installs what the tests need,
# loads the toolchain environment and builds the browser bundle and the server with the
# `perf` profile (release optimisation, no LTO). With the argument `seed` it also builds
# the seeding tool app/examples/bench_seed.rs.
scripts/setup.sh --test >/dev/null
source scripts/env.sh
cargo leptos build --frontend-only >/dev/null
cargo build --profile perf -p server
# The page shell names the content-hashed bundle files from hash.txt next to the binary.
cp "${CARGO_TARGET_DIR:-target}/debug/hash.txt" "${CARGO_TARGET_DIR:-target}/perf/hash.txt"
if [ "${1:-}" = seed ]; then
  cargo build --profile perf -p app --features ssr --example bench_seed
fi

# Sourced by the run and test scripts: puts the pinned npm tools (tailwindcss,
# wasm-opt) and cargo-installed tools on PATH for cargo-leptos.
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Tailwind v4: cargo-leptos passes the input file; v4 needs no config file.
export LEPTOS_TAILWIND_VERSION="v4.3.5"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

//! The scripts and stylesheet of the browser bundle, with the CSP nonce on every
//! element that loads script (Leptos' own `HydrationScripts` leaves it off the
//! module preload, which a strict CSP then reports).

use std::sync::{Arc, OnceLock};

use leptos::{config::LeptosOptions, nonce::use_nonce, prelude::*};

/// URLs of the bundle files (content-hashed when `cargo leptos` hashed them).
#[derive(Debug, Clone)]
pub struct BundleNames {
    /// The JS glue module.
    pub js: Arc<str>,
    /// The WASM module.
    pub wasm: Arc<str>,
    /// The stylesheet.
    pub css: Arc<str>,
}

/// Resolves the bundle URLs once per process (reads `hash.txt` next to the binary).
pub fn bundle_names(options: &LeptosOptions) -> BundleNames {
    static NAMES: OnceLock<BundleNames> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let hashes = if options.hash_files { read_hashes(&options.hash_file) } else { Vec::new() };
            let name = |kind: &str, ext: &str| -> Arc<str> {
                let hash = hashes.iter().find(|(k, _)| k == kind).map(|(_, h)| format!(".{h}"));
                format!(
                    "/{}/{}{}.{ext}",
                    options.site_pkg_dir,
                    options.output_name,
                    hash.unwrap_or_default()
                )
                .into()
            };
            BundleNames { js: name("js", "js"), wasm: name("wasm", "wasm"), css: name("css", "css") }
        })
        .clone()
}

fn read_hashes(file_name: &str) -> Vec<(String, String)> {
    let path = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(file_name)));
    let Some(content) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        tracing::error!("file hashing is on but {file_name} is missing next to the executable");
        return Vec::new();
    };
    content
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_owned(), hash.trim().to_owned()))
        .collect()
}

/// Runs before the page is painted: marks the document as scripted and keeps the
/// install prompt event for [`crate::ui::components::install_hint`].
const HEAD_SCRIPT: &str = "document.documentElement.classList.add('js');\
addEventListener('beforeinstallprompt',function(e){e.preventDefault();window.portalInstallPrompt=e;\
dispatchEvent(new Event('portalinstallable'))});";

/// Loads the bundle once the server-rendered page is on screen, then hydrates it.
///
/// Every page works without the bundle (forms post to the server), so painting it
/// comes first: the 1.5 MB (compressed) WASM download starts after the first frame
/// instead of sharing the connection with the stylesheet, and instantiating the
/// module and hydrating the page run as two tasks, so the browser can handle input
/// and paint in between. Only the small JS glue is preloaded. (A page opened in a
/// background tab hydrates when it is first shown.)
#[component]
pub fn BundleScripts(bundle: BundleNames) -> impl IntoView {
    let nonce = use_nonce();
    let script = format!(
        "requestAnimationFrame(()=>setTimeout(()=>{{const w=fetch({wasm:?});\
import({js:?}).then(m=>m.default({{module_or_path:w}}).then(()=>setTimeout(m.hydrate)))}}));",
        js = bundle.js,
        wasm = bundle.wasm
    );
    view! {
        // Marks the page as scripted before it is painted, so hints meant only for
        // browsers without JavaScript (`.without-js`) never flash up.
        // Also keeps the browser's install offer, which may come before the app is
        // interactive (the start page's "App installieren" button uses it).
        <script nonce=nonce.clone()>{HEAD_SCRIPT}</script>
        <link rel="modulepreload" href=bundle.js.to_string() nonce=nonce.clone() />
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}

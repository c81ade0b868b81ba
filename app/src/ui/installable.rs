//! The installable app (PWA): the web app manifest and the service worker's script,
//! both written per process from the portal's name and the current bundle names, so an
//! installed app never runs a stale bundle after an update.

use crate::domain::routes;
use serde::Serialize;

use crate::ui::{shell::BundleNames, site::THEME_COLOUR, translate::*};

#[derive(Serialize)]
struct Manifest<'a> {
    id: &'a str,
    name: &'a str,
    short_name: &'a str,
    description: String,
    lang: &'a str,
    dir: &'a str,
    start_url: &'a str,
    scope: &'a str,
    display: &'a str,
    theme_color: &'a str,
    background_color: &'a str,
    icons: Vec<Icon<'a>>,
    shortcuts: Vec<Shortcut<'a>>,
}

#[derive(Serialize)]
struct Icon<'a> {
    src: &'a str,
    sizes: &'a str,
    #[serde(rename = "type")]
    mime: &'a str,
    purpose: &'a str,
}

#[derive(Serialize)]
struct Shortcut<'a> {
    name: String,
    url: &'a str,
    icons: Vec<Icon<'a>>,
}

const ICONS: [(&str, &str, &str, &str); 4] = [
    ("/icons/icon-192.png", "192x192", "image/png", "any"),
    ("/icons/icon-512.png", "512x512", "image/png", "any"),
    ("/icons/maskable-512.png", "512x512", "image/png", "maskable"),
    ("/icons/icon.svg", "any", "image/svg+xml", "any"),
];

fn icons() -> Vec<Icon<'static>> {
    ICONS.iter().map(|&(src, sizes, mime, purpose)| Icon { src, sizes, mime, purpose }).collect()
}

/// The web app manifest (German, the portal's language) as JSON.
pub fn manifest_json(portal_name: &str) -> String {
    let locale = Locale::de;
    let shortcut_icon = || vec![Icon { src: "/icons/icon-192.png", sizes: "192x192", mime: "image/png", purpose: "any" }];
    let manifest = Manifest {
        id: "/",
        name: portal_name,
        short_name: short_name(portal_name),
        description: td_string!(locale, pwa.description).to_string(),
        lang: "de",
        dir: "ltr",
        start_url: "/",
        scope: "/",
        display: "standalone",
        theme_color: THEME_COLOUR,
        background_color: "#ffffff",
        icons: icons(),
        shortcuts: vec![
            Shortcut { name: td_string!(locale, pwa.shortcut_postbox).to_string(), url: routes::POSTBOX, icons: shortcut_icon() },
            Shortcut { name: td_string!(locale, pwa.shortcut_appointments).to_string(), url: routes::APPOINTMENTS, icons: shortcut_icon() },
        ],
    };
    serde_json::to_string_pretty(&manifest).unwrap_or_default()
}

/// A name for the home screen: the portal's name if short, else its first word.
fn short_name(portal_name: &str) -> &str {
    if portal_name.chars().count() <= 12 {
        portal_name
    } else {
        portal_name.split_whitespace().next().unwrap_or(portal_name)
    }
}

/// The offline page, the one page the service worker keeps.
pub const OFFLINE_PAGE: &str = routes::OFFLINE;

/// The files the service worker keeps for this version: the bundle, the stylesheet,
/// the icons and the offline page.
pub fn shell_files(bundle: &BundleNames) -> Vec<String> {
    let mut files = vec![OFFLINE_PAGE.to_owned(), bundle.js.to_string(), bundle.wasm.to_string(), bundle.css.to_string()];
    files.extend(["/favicon.svg", "/icons/icon-192.png", routes::MANIFEST].map(str::to_owned));
    files
}

/// The version of the app: changes whenever a bundle file's (content-hashed) name does.
pub fn version(bundle: &BundleNames) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in [env!("CARGO_PKG_VERSION"), &bundle.js, &bundle.wasm, &bundle.css] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The service worker's script for the current bundle.
pub fn service_worker_js(bundle: &BundleNames) -> String {
    let files = serde_json::to_string(&shell_files(bundle)).unwrap_or_else(|_| "[]".to_owned());
    let version = serde_json::to_string(&version(bundle)).unwrap_or_else(|_| "\"0\"".to_owned());
    include_str!("installable/service_worker.js")
        .replace("__VERSION__", &version)
        .replace("__SHELL__", &files)
        .replace("__OFFLINE__", &serde_json::to_string(OFFLINE_PAGE).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(hash: &str) -> BundleNames {
        BundleNames {
            js: format!("/pkg/portal.{hash}.js").into(),
            wasm: format!("/pkg/portal.{hash}.wasm").into(),
            css: format!("/pkg/portal.{hash}.css").into(),
        }
    }

    #[test]
    fn the_worker_keeps_exactly_the_current_bundle() {
        let script = service_worker_js(&bundle("abc"));
        assert!(script.contains("\"/pkg/portal.abc.wasm\""));
        assert!(script.contains("\"/offline\""));
        assert!(!script.contains("__"), "a placeholder was left: {script}");
    }

    #[test]
    fn a_new_bundle_is_a_new_version() {
        assert_ne!(version(&bundle("abc")), version(&bundle("abd")));
        assert_eq!(version(&bundle("abc")), version(&bundle("abc")));
    }

    #[test]
    fn the_manifest_names_the_portal_and_its_shortcuts() {
        let manifest: serde_json::Value = serde_json::from_str(&manifest_json("Jobcenter digital")).expect("json");
        assert_eq!(manifest["name"], "Jobcenter digital");
        assert_eq!(manifest["short_name"], "Jobcenter");
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["lang"], "de");
        assert_eq!(manifest["shortcuts"][0]["url"], "/postfach");
        assert_eq!(manifest["shortcuts"][1]["url"], "/termine");
        assert!(manifest["icons"].as_array().is_some_and(|icons| icons.iter().any(|i| i["purpose"] == "maskable")));
    }
}

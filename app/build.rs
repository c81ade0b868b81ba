//! Generates the typed translation module (`crate::i18n`) from `locales/*.json`.
//! A key missing from a locale or an unknown interpolation fails the build.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::{error::Error, path::PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");

    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let i18n_mod_directory = PathBuf::from(out_dir).join("i18n");

    // `interpolate_display` lets mails and server messages render translated strings
    // with values outside a reactive view (`td_string!`).
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("de")?.add_locale("en")?.parse_options(options);
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(i18n_mod_directory)?;
    Ok(())
}

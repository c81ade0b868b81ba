//! Guards the translations: both locale files have the same keys and placeholders,
//! and no visible German text is hard-coded in the Rust sources (UI, server
//! functions, mails and SMS) instead of coming from `locales/*.json`.

mod common;

use common::rust_files;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const LOCALES: [&str; 2] = ["de", "en"];

/// Source trees whose string literals may reach users (the server's plain HTTP answers too).
const SCANNED_DIRS: [&str; 4] = ["src/ui", "src/api", "src/backend", "../server/src"];

/// Common German words; a literal with whitespace containing one of them is treated
/// as German text (compared in lower case, as whole words).
const GERMAN_WORDS: &[&str] = &[
    "sie", "ihr", "ihre", "ihren", "ihrem", "ihnen", "und", "der", "die", "das", "den", "dem", "nicht", "bitte",
    "oder", "mit", "für", "von", "zu", "auf", "wird", "wurde", "werden", "haben", "ist", "ein", "eine", "einen",
    "kein", "keine",
    // The German reply prefix ("Antwort"); English uses "Re".
    "aw",
];

/// Lines whose literals are log messages, not user-visible text.
const LOG_MARKERS: [&str; 6] = ["tracing::", "info!(", "warn!(", "error!(", "debug!(", "trace!("];

/// Intentional German literals: (file relative to the crate, literal, reason).
const ALLOWED: &[(&str, &str, &str)] = &[
    ("src/backend/demo.rs", "Musterstraße 1", "address of the demo job centre (seed data, not UI text)"),
    ("src/backend/demo.rs", "Heidestraße 17", "address of a demo client (seed data, not UI text)"),
];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A locale file flattened to dotted keys.
fn flat_locale(name: &str) -> BTreeMap<String, Value> {
    let path = crate_dir().join("locales").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
    let mut flat = BTreeMap::new();
    flatten("", &json, &mut flat);
    flat
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, child, out);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

/// The names of the `{{ name }}` interpolations in a translation.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{").skip(1).filter_map(|rest| rest.split_once("}}")).map(|(name, _)| name.trim().to_owned()).collect()
}

#[test]
fn locales_have_the_same_keys_and_placeholders() {
    let [de, en] = LOCALES.map(flat_locale);
    let mut problems = Vec::new();
    for (name, this, other) in [("en", &de, &en), ("de", &en, &de)] {
        for key in this.keys().filter(|key| !other.contains_key(*key)) {
            problems.push(format!("{name}.json is missing key {key}"));
        }
    }
    for (name, locale) in [("de", &de), ("en", &en)] {
        for (key, value) in locale {
            match value.as_str() {
                None => problems.push(format!("{name}.json: {key} is not a string: {value}")),
                Some(text) if text.trim().is_empty() => problems.push(format!("{name}.json: {key} is empty")),
                Some(_) => {}
            }
        }
    }
    for (key, de_value) in &de {
        let (Some(de_text), Some(en_text)) = (de_value.as_str(), en.get(key).and_then(Value::as_str)) else { continue };
        let (de_names, en_names) = (placeholders(de_text), placeholders(en_text));
        if de_names != en_names {
            problems.push(format!("{key}: placeholders differ: de {de_names:?}, en {en_names:?}"));
        }
    }
    assert!(problems.is_empty(), "locale problems:\n{}", problems.join("\n"));
}

/// The source without its trailing unit tests (`#[cfg(test)]` + `mod tests`).
fn without_tests(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let end = lines
        .windows(2)
        .position(|pair| pair[0].trim() == "#[cfg(test)]" && pair[1].trim().starts_with("mod tests"))
        .unwrap_or(lines.len());
    lines[..end].join("\n")
}

/// The string literals of Rust source with the line each starts on; skips comments,
/// char literals and lifetimes. Simple escapes become their character (`\n` a space).
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let is_ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let (mut i, mut line, mut found) = (0, 1, Vec::new());
    // Advances one char, counting lines.
    let mut step = |i: &mut usize| {
        if at(*i) == '\n' {
            line += 1;
        }
        *i += 1;
        line
    };
    while i < c.len() {
        let (ch, next) = (at(i), at(i + 1));
        if ch == '/' && next == '/' {
            while i < c.len() && at(i) != '\n' {
                step(&mut i);
            }
        } else if ch == '/' && next == '*' {
            let mut depth = 0;
            while i < c.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    step(&mut i);
                }
            }
        } else if ch == 'r'
            && (next == '"' || next == '#')
            && (i == 0 || !is_ident(at(i - 1)) || (at(i - 1) == 'b' && (i < 2 || !is_ident(at(i - 2)))))
        {
            // Raw string r"…", r#"…"# (or a raw identifier r#name, which is skipped).
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            if at(i + 1 + hashes) != '"' {
                i += 1;
                continue;
            }
            let start = step(&mut i);
            i += hashes + 1;
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let mut text = String::new();
            while i < c.len() && !c[i..].starts_with(&closing) {
                text.push(at(i));
                step(&mut i);
            }
            i += closing.len();
            found.push((start, text));
        } else if ch == '"' {
            let start = step(&mut i);
            let mut text = String::new();
            while i < c.len() && at(i) != '"' {
                if at(i) == '\\' {
                    let escaped = at(i + 1);
                    text.push(if matches!(escaped, 'n' | 't' | 'r' | '\n') { ' ' } else { escaped });
                    step(&mut i);
                } else {
                    text.push(at(i));
                }
                step(&mut i);
            }
            step(&mut i);
            found.push((start, text));
        } else if ch == '\'' && next == '\\' {
            // Escaped char literal: '\'' '\\' '\n' '\u{e4}'.
            i += 3;
            while i < c.len() && at(i) != '\'' {
                i += 1;
            }
            i += 1;
        } else if ch == '\'' && at(i + 2) == '\'' {
            i += 3; // Char literal such as '"'; otherwise a lifetime or label.
        } else {
            step(&mut i);
        }
    }
    found
}

/// Whether a literal looks like German prose.
fn looks_german(text: &str) -> bool {
    if text.chars().any(|ch| "äöüÄÖÜß".contains(ch)) {
        return true;
    }
    // Whole words; hyphens and underscores join (HTML ids like "kein-konto" are no prose).
    let words = text.split(|ch: char| !(ch.is_alphanumeric() || ch == '-' || ch == '_'));
    text.contains(char::is_whitespace) && words.map(str::to_lowercase).any(|word| GERMAN_WORDS.contains(&word.as_str()))
}

#[test]
fn no_german_text_hard_coded_in_rust_sources() {
    let root = crate_dir();
    let mut files = Vec::new();
    for dir in SCANNED_DIRS {
        rust_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut offenders = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&root).expect("scanned files lie below the crate").to_string_lossy().replace('\\', "/");
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let source = without_tests(&source);
        let lines: Vec<&str> = source.lines().collect();
        for (number, literal) in string_literals(&source) {
            let line = lines.get(number - 1).copied().unwrap_or_default();
            let skipped = line.trim_start().starts_with("#[doc")
                || LOG_MARKERS.iter().any(|marker| line.contains(marker))
                || literal.starts_with('/')
                || literal.contains("://")
                || ALLOWED.iter().any(|(file, allowed, _)| *file == relative && *allowed == literal);
            if !skipped && looks_german(&literal) {
                offenders.push(format!("{relative}:{number}: {literal:?}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "German text hard-coded in Rust (move it to locales/*.json, or add it to ALLOWED with a reason):\n{}",
        offenders.join("\n")
    );
}

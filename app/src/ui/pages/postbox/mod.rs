//! The citizen's Leistungspostfach: `/postfach` (inbox with filter and pages),
//! `/postfach/{id}` (one item with its files and conversation) and
//! `/postfach/schreiben` (message or evidence to the job centre).

pub mod inbox;
pub mod item;
pub mod write;

use crate::{domain::postbox::ItemKind, ui::translate::*};

/// The name of a kind ("Bescheid").
pub fn kind_label(i18n: I18n, kind: ItemKind) -> String {
    match kind {
        ItemKind::Bescheid => t_string!(i18n, postbox.kind_bescheid),
        ItemKind::Schreiben => t_string!(i18n, postbox.kind_schreiben),
        ItemKind::Nachweis => t_string!(i18n, postbox.kind_nachweis),
        ItemKind::Nachricht => t_string!(i18n, postbox.kind_nachricht),
    }
    .to_string()
}

/// A file size for people ("12 KB", "1,5 MB" in German).
pub fn file_size(i18n: I18n, bytes: i64) -> String {
    let comma = matches!(i18n.0, Locale::de);
    let text = if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    };
    if comma { text.replace('.', ",") } else { text }
}

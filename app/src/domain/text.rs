//! Text as people type it — and as attackers do. One rule for every single-line field
//! (names, subjects, places, file names): no control characters (a line break in a
//! subject would forge a line in the Eingangsbestätigung) and no bidirectional
//! formatting characters (U+202E "right-to-left override" shows `rechnung\u{202E}fdp.exe`
//! as `rechnungexe.pdf`), Unicode TR9 and CVE-2021-42574 ("Trojan Source"). And, on the
//! server, the search form of a name: case- and accent-insensitive ("öztürk" finds
//! "Öztürk", "strasse" finds "Straße").

/// Whether `c` is a bidirectional formatting character (Unicode TR9: embeddings,
/// overrides, isolates, the implicit marks, and the Arabic letter mark).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether `c` is an invisible character that only hides or disguises text: zero-width
/// space, word joiner and invisible operators, byte-order mark, soft hyphen, combining
/// grapheme joiner, Mongolian vowel separator, the Hangul fillers, the blank Braille
/// pattern and the tag characters (Unicode TR36 "Unicode Security Considerations").
/// The zero-width joiner and non-joiner stay: emoji sequences and several scripts need
/// them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{115F}' | '\u{1160}'
            | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{E0000}'..='\u{E007F}'
    )
}

/// Whether `c` must not appear in a single-line field: a control character (C0, DEL,
/// C1), a line or paragraph separator, a bidirectional formatting character or an
/// invisible one ([`is_invisible`]).
pub fn is_forbidden_in_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c) || is_invisible(c)
}

/// Whether `input` shows anything once stored: a required field must (a subject of
/// only spaces, control, bidirectional or invisible characters, joiners or variation
/// selectors counts as empty).
pub fn has_visible(input: &str) -> bool {
    input.chars().any(|c| {
        !c.is_whitespace() && !is_forbidden_in_line(c) && !matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
    })
}

/// A single-line field as stored and shown: every Unicode white space (line breaks, tabs,
/// no-break and ideographic spaces) becomes a space, other control and bidirectional
/// formatting characters are removed, runs of spaces become one, and the ends are
/// trimmed.
pub fn single_line(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut space = false;
    for c in input.chars() {
        let c = match c {
            c if c.is_whitespace() => ' ',
            c if is_forbidden_in_line(c) => continue,
            c => c,
        };
        if c == ' ' {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// A multi-line text as stored: line breaks kept (`\r\n` as `\n`), other control and all
/// bidirectional formatting characters removed, the ends trimmed.
pub fn multi_line(input: &str) -> String {
    input
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !is_forbidden_in_line(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The search form of a text (server side): Unicode compatibility decomposition without
/// combining marks, lower case (Unicode), "ß" as "ss", non-alphanumerics as single
/// spaces — then twice, once with the German transliteration (ä → ae, ö → oe, ü → ue), so
/// that "Müller", "muller" and "mueller" all find "Müller".
#[cfg(feature = "ssr")]
pub fn search_key(input: &str) -> String {
    let folded = fold(input, false);
    let transliterated = fold(input, true);
    if folded == transliterated {
        folded
    } else {
        format!("{folded} | {transliterated}")
    }
}

/// The search form of what someone types into a search field (see [`search_key`]): one
/// form, which the stored key contains if the record matches.
#[cfg(feature = "ssr")]
pub fn search_query(input: &str) -> String {
    fold(input, false)
}

#[cfg(feature = "ssr")]
fn fold(input: &str, transliterate: bool) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut expanded = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            'ß' | 'ẞ' => expanded.push_str("ss"),
            'ä' | 'Ä' if transliterate => expanded.push_str("ae"),
            'ö' | 'Ö' if transliterate => expanded.push_str("oe"),
            'ü' | 'Ü' if transliterate => expanded.push_str("ue"),
            'æ' | 'Æ' => expanded.push_str("ae"),
            'ø' | 'Ø' => expanded.push('o'),
            'ł' | 'Ł' => expanded.push('l'),
            'đ' | 'Đ' => expanded.push('d'),
            'ı' => expanded.push('i'),
            c => expanded.push(c),
        }
    }
    let mut out = String::with_capacity(expanded.len());
    let mut space = false;
    for c in expanded.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space && !out.is_empty() {
            out.push(' ');
            space = true;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_subject_cannot_forge_a_line() {
        assert_eq!(single_line("Antrag\nDatei: quittung.pdf SHA-256: 00"), "Antrag Datei: quittung.pdf SHA-256: 00");
        assert_eq!(single_line("  a\r\n\tb \u{2028} c  "), "a b c");
        assert_eq!(single_line("rechnung\u{202E}fdp.exe"), "rechnungfdp.exe");
        assert_eq!(single_line("\u{2066}x\u{2069}\u{0}\u{7F}\u{85}"), "x");
        assert_eq!(single_line("Öztürk-Ünal"), "Öztürk-Ünal", "letters stay");
        assert_eq!(single_line("👩‍👩‍👧"), "👩‍👩‍👧", "joiners in emoji stay");
        assert_eq!(single_line("\u{a0}Anna\u{3000}\u{2003}Schmidt\u{a0}"), "Anna Schmidt", "every white space is a space");
        assert_eq!(single_line("a\u{200B}.pdf\u{FEFF}\u{E0041}"), "a.pdf", "invisible characters go");
    }

    #[test]
    fn a_required_field_needs_something_visible() {
        for blank in ["", " ", "\u{202E}", "\u{0}", "\u{200B}", "\u{200D}\u{200C}", "\u{3164}", "\u{2800}", "\u{FEFF}\u{00AD}", "\u{FE0F}"] {
            assert!(!has_visible(blank), "{blank:?}");
        }
        for shown in ["a", "Ö", "👩‍👩‍👧", "-", "١"] {
            assert!(has_visible(shown), "{shown:?}");
        }
    }

    #[test]
    fn multi_line_keeps_lines_only() {
        assert_eq!(multi_line("Guten Tag,\r\nanbei\u{202E} die Unterlagen.\u{7}\n"), "Guten Tag,\nanbei die Unterlagen.");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn search_ignores_case_and_accents() {
        for (stored, typed) in [
            ("Öztürk", "Öztürk"),
            ("Öztürk", "öztürk"),
            ("Öztürk", "ozturk"),
            ("Ünal", "ünal"),
            ("ÄRZTE-Müller", "ärzte-müller"),
            ("ÄRZTE-Müller", "arzte muller"),
            ("Müller", "mueller"),
            ("Straße", "strasse"),
            ("STRASSE", "Straße"),
            ("Łukasz Ødegård", "lukasz odegard"),
            ("İbrahim Yıldız", "ibrahim yildiz"),
            ("Zoë", "ZOE"),
        ] {
            assert!(search_key(stored).contains(&search_query(typed)), "{typed:?} finds {stored:?}: {} / {}", search_key(stored), search_query(typed));
        }
        assert!(!search_key("Meier").contains(&search_query("Müller")));
    }

    proptest! {
        #[test]
        fn a_single_line_has_no_forbidden_character(input in "\\PC{0,80}|[\\x00-\\x1f\\u{2028}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069} a-zäöü]{0,80}") {
            let line = single_line(&input);
            prop_assert!(!line.chars().any(is_forbidden_in_line));
            prop_assert_eq!(line.trim(), line.as_str());
            prop_assert_eq!(single_line(&line), line.clone(), "idempotent");
        }

        #[cfg(feature = "ssr")]
        #[test]
        fn every_name_finds_itself_whatever_its_case(name in "[a-zA-ZäöüÄÖÜßéèçñøåÅÉ -]{1,40}") {
            prop_assert!(search_key(&name).contains(&search_query(&name)));
            prop_assert!(search_key(&name).contains(&search_query(&name.to_uppercase())));
            prop_assert!(search_key(&name).contains(&search_query(&name.to_lowercase())));
        }
    }
}

//! The activation code ("Freischaltcode"): 12 characters shown as `XXXX-XXXX-XXXX`.
//!
//! The alphabet has 29 characters — the digits 2–9 without 5 and the capital letters
//! without I, L, O and Z — so nothing can be mistaken for 0/O, 1/I/L, 2/Z or 5/S. The
//! last character is a check character: with each character's position in the
//! alphabet as its value and the weights 12, 11, …, 1, the weighted sum is divisible by
//! 29. As 29 is prime, every single wrong character and every swap of two characters is
//! detected. The flyer's example `HET2-2X8A-UXAS` is a valid code.
//!
//! The browser formats and checks as the user types; the server checks the same way
//! before it looks anything up.

use serde::{Deserialize, Serialize};

/// The characters a code is made of, in value order.
pub const ALPHABET: &str = "2346789ABCDEFGHJKMNPQRSTUVWXY";
/// Characters in a code (without dashes).
pub const LENGTH: usize = 12;
/// Characters per group in the displayed form.
pub const GROUP: usize = 4;

const MODULUS: u32 = 29;

fn value(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

fn weighted_sum(values: impl Iterator<Item = u32>) -> u32 {
    values.zip((1..=LENGTH as u32).rev()).map(|(v, w)| v * w).sum::<u32>() % MODULUS
}

/// The check character for the first 11 characters (all from [`ALPHABET`]).
pub fn check_character(first_eleven: &str) -> Option<char> {
    let values: Option<Vec<u32>> = first_eleven.chars().map(value).collect();
    let values = values.filter(|v| v.len() == LENGTH - 1)?;
    // Weight 1 for the last character: it must bring the sum to 0 (mod 29).
    let partial = weighted_sum(values.into_iter());
    let needed = (MODULUS - partial) % MODULUS;
    ALPHABET.chars().nth(needed as usize)
}

/// What is wrong with an entered code (in the order they are reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeProblem {
    /// Nothing entered.
    Missing,
    /// Characters that never occur in a code (e.g. `0`, `O`, `1`, `I`, `ä`).
    InvalidCharacters,
    /// Fewer than 12 characters.
    TooShort,
    /// More than 12 characters.
    TooLong,
    /// 12 valid characters, but the check character does not fit (a typing error).
    CheckCharacter,
}

/// Why a well-formed code was refused (the flyer: "Freischaltcode ungültig / abgelaufen").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeRefusal {
    /// Not known (or a typing error that still passed the check character).
    Unknown,
    /// Expired at the given time.
    Expired(i64),
    /// Already used.
    Used,
    /// Withdrawn by the job centre (or replaced by a newer code).
    Revoked,
    /// Too many wrong codes; try again after the given time.
    Locked(i64),
    /// This account already has a profile.
    AlreadyLinked,
}

/// The letters and digits of an entry, upper-cased, without spaces and dashes.
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '‐' && *c != '–')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The entry as the user should see it: upper case, dashes after every fourth
/// character (as many characters as were typed, including wrong ones).
pub fn format(input: &str) -> String {
    let normalised = normalise(input);
    let mut out = String::with_capacity(normalised.len() + 2);
    for (i, c) in normalised.chars().enumerate() {
        if i > 0 && i % GROUP == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// Where the cursor belongs after [`format`]: behind the same number of code
/// characters as before it in the raw input (`cursor` counts characters).
pub fn formatted_cursor(input: &str, cursor: usize) -> usize {
    let before = normalise(&input.chars().take(cursor).collect::<String>()).chars().count();
    if before == 0 {
        return 0;
    }
    // Each complete group before the cursor adds a dash, except behind the last character
    // of a group, where the cursor stays in front of the dash.
    before + (before - 1) / GROUP
}

/// A well-formed code (right length, alphabet and check character).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationCode(String);

impl ActivationCode {
    /// Checks an entry (any case, with or without dashes and spaces).
    pub fn parse(input: &str) -> Result<Self, CodeProblem> {
        let code = normalise(input);
        if code.is_empty() {
            return Err(CodeProblem::Missing);
        }
        if code.chars().any(|c| value(c).is_none()) {
            return Err(CodeProblem::InvalidCharacters);
        }
        let count = code.chars().count();
        if count < LENGTH {
            return Err(CodeProblem::TooShort);
        }
        if count > LENGTH {
            return Err(CodeProblem::TooLong);
        }
        if weighted_sum(code.chars().filter_map(value)) != 0 {
            return Err(CodeProblem::CheckCharacter);
        }
        Ok(Self(code))
    }

    /// Builds a code from 11 random alphabet indices (each taken modulo the alphabet
    /// size) and appends the check character.
    pub fn from_indices(indices: [u8; LENGTH - 1]) -> Self {
        let body: String = indices.iter().filter_map(|i| ALPHABET.chars().nth(usize::from(*i) % ALPHABET.len())).collect();
        let check = check_character(&body).unwrap_or('2');
        Self(format!("{body}{check}"))
    }

    /// The 12 characters without dashes (what is hashed and stored).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `XXXX-XXXX-XXXX`.
    pub fn display(&self) -> String {
        format(&self.0)
    }
}

/// The live verdict for a partly typed entry: `None` while it could still become a valid
/// code (only valid characters, not too long), else the problem.
pub fn live_problem(input: &str) -> Option<CodeProblem> {
    let code = normalise(input);
    if code.is_empty() {
        return None;
    }
    match ActivationCode::parse(input) {
        Ok(_) => None,
        Err(CodeProblem::TooShort) => None,
        Err(problem) => Some(problem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_flyer_example_is_valid() {
        let code = ActivationCode::parse("HET2-2X8A-UXAS").expect("valid");
        assert_eq!(code.as_str(), "HET22X8AUXAS");
        assert_eq!(code.display(), "HET2-2X8A-UXAS");
        assert_eq!(ActivationCode::parse("het22x8auxas"), Ok(code.clone()));
        assert_eq!(ActivationCode::parse(" het2 2x8a uxas "), Ok(code));
        assert_eq!(check_character("HET22X8AUXA"), Some('S'));
    }

    #[test]
    fn alphabet_has_no_look_alikes() {
        assert_eq!(ALPHABET.chars().count(), 29);
        for c in ['0', '1', '5', 'O', 'I', 'L', 'Z'] {
            assert!(!ALPHABET.contains(c), "{c}");
        }
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(ActivationCode::parse(""), Err(CodeProblem::Missing));
        assert_eq!(ActivationCode::parse("---"), Err(CodeProblem::Missing));
        assert_eq!(ActivationCode::parse("HET2-2X8A"), Err(CodeProblem::TooShort));
        assert_eq!(ActivationCode::parse("HET2-2X8A-UXASS"), Err(CodeProblem::TooLong));
        assert_eq!(ActivationCode::parse("HET2-2X8A-UXA5"), Err(CodeProblem::InvalidCharacters));
        assert_eq!(ActivationCode::parse("HET2-2X8A-UXAÄ"), Err(CodeProblem::InvalidCharacters));
        assert_eq!(ActivationCode::parse("A1B2-C3D4-E5F6"), Err(CodeProblem::InvalidCharacters));
        assert_eq!(ActivationCode::parse("HET2-2X8A-UXAT"), Err(CodeProblem::CheckCharacter));
    }

    #[test]
    fn live_check_waits_for_a_complete_entry() {
        assert_eq!(live_problem(""), None);
        assert_eq!(live_problem("het2"), None);
        assert_eq!(live_problem("het0"), Some(CodeProblem::InvalidCharacters));
        assert_eq!(live_problem("HET2-2X8A-UXAT"), Some(CodeProblem::CheckCharacter));
        assert_eq!(live_problem("HET2-2X8A-UXAS-2"), Some(CodeProblem::TooLong));
    }

    #[test]
    fn formats_while_typing() {
        assert_eq!(format("h"), "H");
        assert_eq!(format("het2"), "HET2");
        assert_eq!(format("het22"), "HET2-2");
        assert_eq!(format("het22x8auxas"), "HET2-2X8A-UXAS");
        assert_eq!(format("HET2--2X8A"), "HET2-2X8A");
    }

    #[test]
    fn cursor_follows_the_typed_character() {
        // Typing the fifth character: the dash is inserted before it.
        assert_eq!(formatted_cursor("het22", 5), 6);
        // Behind the fourth character the cursor stays before the coming dash.
        assert_eq!(formatted_cursor("het2", 4), 4);
        // Editing in the middle: after "HE" of "HET2-2X8A" the cursor is after "HE".
        assert_eq!(formatted_cursor("HET2-2X8A", 2), 2);
        // After "HET2-2" (raw position 6) it is behind the 2 after the dash.
        assert_eq!(formatted_cursor("HET2-2X8A", 6), 6);
        assert_eq!(formatted_cursor("", 0), 0);
    }

    proptest! {
        #[test]
        fn generated_codes_are_valid(indices in proptest::array::uniform11(0u8..=255)) {
            let code = ActivationCode::from_indices(indices);
            prop_assert_eq!(ActivationCode::parse(&code.display()), Ok(code.clone()));
            prop_assert_eq!(ActivationCode::parse(&code.as_str().to_lowercase()), Ok(code));
        }

        #[test]
        fn every_single_substitution_is_detected(indices in proptest::array::uniform11(0u8..=255), position in 0usize..LENGTH, shift in 1usize..29) {
            let code = ActivationCode::from_indices(indices);
            let mut chars: Vec<char> = code.as_str().chars().collect();
            // Another character of the alphabet, never the same one (no input is rejected).
            let at = ALPHABET.chars().position(|c| c == chars[position]).unwrap_or(0);
            let replacement = ALPHABET.chars().nth((at + shift) % 29).unwrap_or('2');
            chars[position] = replacement;
            let altered: String = chars.into_iter().collect();
            prop_assert_eq!(ActivationCode::parse(&altered), Err(CodeProblem::CheckCharacter));
        }

        #[test]
        fn every_swap_is_detected(indices in proptest::array::uniform11(0u8..=255), a in 0usize..LENGTH, offset in 1usize..LENGTH) {
            let b = (a + offset) % LENGTH;
            let code = ActivationCode::from_indices(indices);
            let mut chars: Vec<char> = code.as_str().chars().collect();
            // Two equal characters swapped leave the code as it is (and valid); no input is
            // rejected, so any number of cases runs (bench/fuzz.sh: 100,000).
            let same = chars[a] == chars[b];
            chars.swap(a, b);
            let altered: String = chars.into_iter().collect();
            if same {
                prop_assert!(ActivationCode::parse(&altered).is_ok());
            } else {
                prop_assert_eq!(ActivationCode::parse(&altered), Err(CodeProblem::CheckCharacter));
            }
        }

        #[test]
        fn format_then_parse_agrees_with_parse(input in "[a-zA-Z0-9 -]{0,20}") {
            prop_assert_eq!(ActivationCode::parse(&format(&input)), ActivationCode::parse(&input));
        }
    }
}

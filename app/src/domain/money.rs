//! Amounts of money in euro as people write them on German forms (`1.234,56`), the rule
//! the browser checks as you type and the server checks again.
//!
//! Amounts are kept as whole cents (`i64`), never as floating point.

use serde::{Deserialize, Serialize};

/// The largest amount a form accepts, in cents (9,999,999.99 €): beyond any income,
/// rent or asset a benefit application asks about, and far inside `i64`.
pub const MAX_CENTS: i64 = 999_999_999;

/// Why an entry is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountProblem {
    /// Nothing entered.
    Empty,
    /// Not written as a German amount: digits, `.` between groups of three, `,` and at
    /// most two decimal places (`1.234,56`, `1234,5`, `80`), optionally followed by `€`
    /// or `EUR`.
    Format,
    /// A minus sign: the forms ask for amounts, a loss is said in words.
    Negative,
    /// More than [`MAX_CENTS`].
    TooLarge,
}

/// The amount in cents written in `input` (German notation, see [`AmountProblem::Format`]).
/// Surrounding white space and a trailing `€`/`EUR` are ignored.
pub fn parse_euro(input: &str) -> Result<i64, AmountProblem> {
    let mut text = input.trim();
    if text.is_empty() {
        return Err(AmountProblem::Empty);
    }
    for suffix in ["€", "EUR", "Euro"] {
        if let Some(rest) = text.strip_suffix(suffix) {
            text = rest.trim_end();
            break;
        }
    }
    if text.starts_with('-') || text.starts_with('\u{2212}') {
        return Err(AmountProblem::Negative);
    }
    let (whole, fraction) = match text.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits = whole_digits(whole).ok_or(AmountProblem::Format)?;
    let cents_part = match fraction {
        None => 0,
        Some(f) if (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            let value: i64 = f.parse().map_err(|_| AmountProblem::Format)?;
            if f.len() == 1 { value * 10 } else { value }
        }
        Some(_) => return Err(AmountProblem::Format),
    };
    // More than 9 whole digits cannot be within MAX_CENTS (and would not fit the parse).
    if digits.len() > 9 {
        return Err(AmountProblem::TooLarge);
    }
    let euros: i64 = digits.parse().map_err(|_| AmountProblem::Format)?;
    let cents = euros * 100 + cents_part;
    if cents > MAX_CENTS {
        return Err(AmountProblem::TooLarge);
    }
    Ok(cents)
}

/// The digits of the part before the comma: plain (`1234`) or grouped by `.` in threes
/// (`1.234`, `12.345.678`); `None` for anything else (an empty part, `1.23`, `.123`).
fn whole_digits(whole: &str) -> Option<String> {
    if whole.is_empty() {
        return None;
    }
    let groups: Vec<&str> = whole.split('.').collect();
    let first_ok = (1..=3).contains(&groups[0].len()) || groups.len() == 1;
    let ok = first_ok
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && groups.iter().skip(1).all(|g| g.len() == 3);
    ok.then(|| groups.concat())
}

/// `cents` written the German way with thousands separators and two decimals, without
/// the currency sign: `123456` → `1.234,56`. The inverse of [`parse_euro`].
pub fn format_euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let euros = (cents / 100).to_string();
    let mut grouped = String::with_capacity(euros.len() + euros.len() / 3);
    for (i, digit) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn german_amounts_are_read() {
        assert_eq!(parse_euro("1.234,56"), Ok(123_456));
        assert_eq!(parse_euro("1234,56"), Ok(123_456));
        assert_eq!(parse_euro(" 80 "), Ok(8_000));
        assert_eq!(parse_euro("80,5"), Ok(8_050));
        assert_eq!(parse_euro("0,99 €"), Ok(99));
        assert_eq!(parse_euro("1.234.567,00 EUR"), Ok(123_456_700));
        assert_eq!(parse_euro("450€"), Ok(45_000));
    }

    #[test]
    fn what_is_not_a_german_amount_is_refused() {
        assert_eq!(parse_euro(""), Err(AmountProblem::Empty));
        assert_eq!(parse_euro("   "), Err(AmountProblem::Empty));
        assert_eq!(parse_euro("-5"), Err(AmountProblem::Negative));
        for text in ["1,234.56", "1.23", ".5", ",5", "1,", "1,234", "12a", "1 234", "1..234", "1.234.", "€"] {
            assert_eq!(parse_euro(text), Err(AmountProblem::Format), "{text}");
        }
        assert_eq!(parse_euro("10.000.000,00"), Err(AmountProblem::TooLarge));
        assert_eq!(parse_euro("99999999999999999999"), Err(AmountProblem::TooLarge));
    }

    #[test]
    fn amounts_are_written_the_german_way() {
        assert_eq!(format_euro(0), "0,00");
        assert_eq!(format_euro(5), "0,05");
        assert_eq!(format_euro(123_456), "1.234,56");
        assert_eq!(format_euro(100_000_000), "1.000.000,00");
    }

    proptest! {
        #[test]
        fn writing_and_reading_agree(cents in 0..=MAX_CENTS) {
            prop_assert_eq!(parse_euro(&format_euro(cents)), Ok(cents));
            prop_assert_eq!(parse_euro(&format_euro(cents).replace('.', "")), Ok(cents));
        }

        #[test]
        fn any_text_is_an_amount_within_bounds_or_a_problem(text in "\\PC{0,24}") {
            if let Ok(cents) = parse_euro(&text) {
                prop_assert!((0..=MAX_CENTS).contains(&cents));
            }
        }
    }
}

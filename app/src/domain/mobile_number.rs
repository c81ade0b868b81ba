//! Mobile numbers for SMS and the code that confirms one: the rules the browser checks
//! as you type and the server checks again.

use serde::{Deserialize, Serialize};

/// Digits in an SMS confirmation code.
pub const SMS_CODE_LENGTH: usize = 6;

/// The normalised mobile number (`+` and 8–16 digits, German `0…` numbers become
/// `+49…`), if the input is one. Spaces, `/` and `-` are ignored.
pub fn normalise(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '/' && *c != '-').collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    let ok = digits.chars().all(|c| c.is_ascii_digit()) && (7..=15).contains(&digits.len()) && (plus || digits.starts_with('0'));
    ok.then(|| if plus { format!("+{digits}") } else { format!("+49{}", &digits[1..]) })
}

/// Why an SMS code entry is not a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsCodeProblem {
    /// Nothing entered.
    Empty,
    /// Not exactly six digits.
    Format,
}

/// The six digits of an SMS code entry (spaces ignored).
pub fn parse_sms_code(input: &str) -> Result<String, SmsCodeProblem> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Err(SmsCodeProblem::Empty);
    }
    if digits.len() != SMS_CODE_LENGTH || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(SmsCodeProblem::Format);
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mobile_numbers_are_normalised() {
        assert_eq!(normalise("0151 2345 6789").as_deref(), Some("+4915123456789"));
        assert_eq!(normalise("+49 151/23456789").as_deref(), Some("+4915123456789"));
        assert_eq!(normalise("0151-2345-6789").as_deref(), Some("+4915123456789"));
        assert_eq!(normalise("151234"), None);
        assert_eq!(normalise("0151 2345 678x"), None);
        assert_eq!(normalise(""), None);
    }

    #[test]
    fn sms_codes_are_six_digits() {
        assert_eq!(parse_sms_code(" 123 456 "), Ok("123456".to_owned()));
        assert_eq!(parse_sms_code(""), Err(SmsCodeProblem::Empty));
        assert_eq!(parse_sms_code("12345"), Err(SmsCodeProblem::Format));
        assert_eq!(parse_sms_code("12345a"), Err(SmsCodeProblem::Format));
        assert_eq!(parse_sms_code("1234567"), Err(SmsCodeProblem::Format));
    }

    proptest! {
        #[test]
        fn a_normalised_number_normalises_to_itself(digits in "[1-9][0-9]{6,14}") {
            let number = normalise(&format!("+{digits}")).expect("valid");
            prop_assert_eq!(normalise(&number), Some(number.clone()));
            prop_assert!(number.starts_with('+'));
        }

        #[test]
        fn any_six_digits_are_a_code(code in "[0-9]{6}") {
            prop_assert_eq!(parse_sms_code(&code), Ok(code.clone()));
        }
    }
}

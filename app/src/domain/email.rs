//! E-mail address syntax: a pragmatic check of what people actually type, plus the
//! normal form used to compare addresses, so that one mailbox is one account:
//! - the whole address in lower case (every common provider treats mailboxes
//!   case-insensitively, although RFC 5321 would allow otherwise);
//! - an internationalised domain in its ASCII form (IDNA/UTS #46, RFC 5891, e.g.
//!   `bücher.example` → `xn--bcher-kva.example`, which is also what browsers submit), on
//!   the server; the browser checks the syntax only;
//! - the local part only in ASCII: a mailbox like `jürgen@…` needs SMTPUTF8 (RFC 6531)
//!   on every server on the way, which many do not offer — refused with a clear
//!   message rather than accepted and never delivered.

use serde::{Deserialize, Serialize};

/// Longest address accepted (RFC 5321 path limit).
pub const MAX_LEN: usize = 254;
/// Longest local part (before the `@`).
pub const MAX_LOCAL_LEN: usize = 64;

/// Why an address was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailError {
    /// Nothing entered.
    Empty,
    /// Longer than 254 characters (or the local part longer than 64).
    TooLong,
    /// Not of the form `name@domain.tld`.
    Invalid,
    /// Letters other than a–z (umlauts, ß …) before the `@`.
    NonAsciiLocalPart,
}

/// A syntactically valid e-mail address in normal form (trimmed, lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Checks and normalises what the user typed.
    pub fn parse(input: &str) -> Result<EmailAddress, EmailError> {
        let value = input.trim();
        if value.is_empty() {
            return Err(EmailError::Empty);
        }
        if value.chars().count() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = value.rsplit_once('@').ok_or(EmailError::Invalid)?;
        if local.chars().count() > MAX_LOCAL_LEN {
            return Err(EmailError::TooLong);
        }
        if !valid_local(local) || !valid_domain(domain) {
            return Err(EmailError::Invalid);
        }
        if !local.is_ascii() {
            return Err(EmailError::NonAsciiLocalPart);
        }
        let domain = ascii_domain(domain)?;
        Ok(EmailAddress(format!("{}@{domain}", local.to_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map(|(local, _)| local).unwrap_or(&self.0)
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The domain in lower case and, on the server, in its ASCII (punycode) form.
#[cfg(feature = "ssr")]
fn ascii_domain(domain: &str) -> Result<String, EmailError> {
    let ascii = idna::domain_to_ascii(domain).map_err(|_| EmailError::Invalid)?;
    if ascii.len() > MAX_LEN || !valid_domain(&ascii) {
        return Err(EmailError::Invalid);
    }
    Ok(ascii)
}

#[cfg(not(feature = "ssr"))]
fn ascii_domain(domain: &str) -> Result<String, EmailError> {
    Ok(domain.to_lowercase())
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";
    !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || SPECIALS.contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_addresses_are_accepted_and_normalised() {
        for (input, normal) in [
            ("max.mustermann@example.org", "max.mustermann@example.org"),
            ("  Max.Mustermann@Example.ORG ", "max.mustermann@example.org"),
            ("a+tag@sub.example.de", "a+tag@sub.example.de"),
            ("o'neil@example.co.uk", "o'neil@example.co.uk"),
        ] {
            assert_eq!(EmailAddress::parse(input).map(|e| e.0), Ok(normal.to_owned()), "{input}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn one_mailbox_is_one_address() {
        // Issue input: what one person types and what Chromium submits for it.
        let typed = EmailAddress::parse("anna@bücher.example").expect("valid");
        let submitted = EmailAddress::parse("anna@xn--bcher-kva.example").expect("valid");
        assert_eq!(typed, submitted);
        assert_eq!(typed.as_str(), "anna@xn--bcher-kva.example");
        assert_eq!(EmailAddress::parse("Anna@BÜCHER.Example").expect("valid"), typed);
        assert_eq!(EmailAddress::parse("max@müller.de").map(|e| e.0), Ok("max@xn--mller-kva.de".to_owned()));
    }

    #[test]
    fn a_local_part_with_umlauts_is_refused_with_its_own_reason() {
        assert_eq!(EmailAddress::parse("jürgen@example.de"), Err(EmailError::NonAsciiLocalPart));
        assert_eq!(EmailAddress::parse("straße@example.de"), Err(EmailError::NonAsciiLocalPart));
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        assert_eq!(EmailAddress::parse("   "), Err(EmailError::Empty));
        for bad in [
            "plainaddress",
            "@example.org",
            "name@",
            "name@example",
            "name@.example.org",
            "name@example..org",
            "name@-example.org",
            "na me@example.org",
            ".name@example.org",
            "name.@example.org",
            "na..me@example.org",
            "name@example.o",
            "name@127.0.0.1",
            "name@exam ple.org",
            "<name@example.org>",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
    }

    #[test]
    fn length_limits() {
        let local = "a".repeat(65);
        assert_eq!(EmailAddress::parse(&format!("{local}@example.org")), Err(EmailError::TooLong));
        let long = format!("a@{}.org", "b".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn local_part() {
        let email = EmailAddress::parse("Max.Muster@example.org").expect("valid");
        assert_eq!(email.local_part(), "max.muster");
    }

    proptest::proptest! {
        /// Any text is an address or a clear refusal; an accepted address is normalised
        /// once and for all (parsing it again gives it back) and has one `@` with text
        /// on both sides. `PROPTEST_CASES` sets the number (bench/fuzz.sh: 100,000).
        #[test]
        fn any_text_is_an_address_or_refused(input in "\\PC{0,80}|[a-zA-Z0-9.+_-]{0,20}@[a-zA-Z0-9äöüß.-]{0,30}") {
            if let Ok(address) = EmailAddress::parse(&input) {
                let again = EmailAddress::parse(address.as_str());
                proptest::prop_assert_eq!(again.as_ref().map(|a| a.as_str()), Ok(address.as_str()));
                let (local, domain) = address.as_str().split_once('@').expect("one @");
                proptest::prop_assert!(!local.is_empty() && !domain.is_empty() && !domain.contains('@'));
            }
        }
    }
}

//! The rules for a client record entered at the staff desk.

use serde::{Deserialize, Serialize};

use super::text::{has_visible, single_line};

use super::mobile_number;

/// The salutations a record may carry.
pub const SALUTATIONS: [&str; 3] = ["frau", "herr", "keine"];

/// The fields of a client record as the desk's form names them. `M` is how the mobile
/// number is held: as typed ([`ClientInput`]) or checked ([`ClientRecord`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFields<M> {
    /// "Kundennummer", unique within the job centre (in capitals once checked).
    pub customer_number: String,
    /// `frau`, `herr` or `keine`.
    pub salutation: String,
    /// "Vorname".
    pub given_name: String,
    /// "Nachname".
    pub family_name: String,
    /// "Geburtsdatum", `YYYY-MM-DD`.
    pub birth_date: String,
    /// "Straße und Hausnummer".
    pub street: String,
    /// "Postleitzahl".
    pub postcode: String,
    /// "Ort".
    pub city: String,
    /// "Mobilfunknummer" (optional): as typed, or in international form once checked.
    pub mobile: M,
}

/// The fields as typed (the form comes back with them when a check fails).
pub type ClientInput = ClientFields<String>;

/// A checked client record, normalised (trimmed, customer number in capitals, mobile
/// number in international form, `None` if there is none). What the job centre holds
/// about a person; made only by [`ClientRecord::from_input`].
pub type ClientRecord = ClientFields<Option<String>>;

impl ClientRecord {
    /// Checks and normalises typed fields (`today` is `YYYY-MM-DD`).
    pub fn from_input(input: &ClientInput, today: &str) -> Result<ClientRecord, Vec<ClientField>> {
        let problems = problems(input, today);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ClientRecord {
            customer_number: single_line(&input.customer_number).to_uppercase(),
            salutation: single_line(&input.salutation),
            given_name: single_line(&input.given_name),
            family_name: single_line(&input.family_name),
            birth_date: single_line(&input.birth_date),
            street: single_line(&input.street),
            postcode: single_line(&input.postcode),
            city: single_line(&input.city),
            mobile: mobile_number::normalise(&input.mobile),
        })
    }

    /// "Erika Mustermann".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A field that is missing or malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientField {
    /// Customer number: 3–20 letters, digits or dashes.
    CustomerNumber,
    /// Salutation not one of [`SALUTATIONS`].
    Salutation,
    /// Given name missing.
    GivenName,
    /// Family name missing.
    FamilyName,
    /// Not a real date in the past.
    BirthDate,
    /// Street missing.
    Street,
    /// Postcode: five digits.
    Postcode,
    /// City missing.
    City,
    /// Mobile number: `+` or `0`, then 7–15 digits (spaces allowed).
    Mobile,
}

fn valid_date(text: &str, today: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    if y.to_string().len() != 4 || !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize];
    (1..=days).contains(&d) && text.len() == 10 && text < today
}

/// A stored date (`YYYY-MM-DD`) as Germans write it (`DD.MM.YYYY`); anything else as is.
pub fn german_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// The fields with problems (empty if the record can be stored). `today` is `YYYY-MM-DD`.
pub fn problems(input: &ClientInput, today: &str) -> Vec<ClientField> {
    let mut out = Vec::new();
    let number = input.customer_number.trim();
    if !(3..=20).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        out.push(ClientField::CustomerNumber);
    }
    if !SALUTATIONS.contains(&input.salutation.as_str()) {
        out.push(ClientField::Salutation);
    }
    if !has_visible(&input.given_name) || input.given_name.len() > 100 {
        out.push(ClientField::GivenName);
    }
    if !has_visible(&input.family_name) || input.family_name.len() > 100 {
        out.push(ClientField::FamilyName);
    }
    if !valid_date(input.birth_date.trim(), today) {
        out.push(ClientField::BirthDate);
    }
    if !has_visible(&input.street) || input.street.len() > 200 {
        out.push(ClientField::Street);
    }
    let postcode = input.postcode.trim();
    if postcode.len() != 5 || !postcode.chars().all(|c| c.is_ascii_digit()) {
        out.push(ClientField::Postcode);
    }
    if !has_visible(&input.city) || input.city.len() > 100 {
        out.push(ClientField::City);
    }
    if !input.mobile.trim().is_empty() && mobile_number::normalise(&input.mobile).is_none() {
        out.push(ClientField::Mobile);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ClientInput {
        ClientInput {
            customer_number: "123D456789".into(),
            salutation: "frau".into(),
            given_name: "Erika".into(),
            family_name: "Mustermann".into(),
            birth_date: "1984-02-29".into(),
            street: "Musterweg 3".into(),
            postcode: "12345".into(),
            city: "Musterstadt".into(),
            mobile: String::new(),
        }
    }

    #[test]
    fn a_complete_record_passes() {
        assert_eq!(problems(&valid(), "2026-11-27"), vec![]);
    }

    /// A change that breaks one field, and the field it breaks.
    type Breakage = (fn(&mut ClientInput), ClientField);

    #[test]
    fn each_field_is_checked() {
        let cases: [Breakage; 9] = [
            (|c| c.customer_number = "1".into(), ClientField::CustomerNumber),
            (|c| c.salutation = "dr".into(), ClientField::Salutation),
            (|c| c.given_name = " ".into(), ClientField::GivenName),
            (|c| c.family_name = String::new(), ClientField::FamilyName),
            (|c| c.birth_date = "1985-02-29".into(), ClientField::BirthDate),
            (|c| c.street = String::new(), ClientField::Street),
            (|c| c.postcode = "1234".into(), ClientField::Postcode),
            (|c| c.city = String::new(), ClientField::City),
            (|c| c.mobile = "12ab".into(), ClientField::Mobile),
        ];
        for (change, field) in cases {
            let mut input = valid();
            change(&mut input);
            assert_eq!(problems(&input, "2026-11-27"), vec![field]);
        }
        let mut future = valid();
        future.birth_date = "2030-01-01".into();
        assert_eq!(problems(&future, "2026-11-27"), vec![ClientField::BirthDate]);
    }

    #[test]
    fn dates_are_shown_the_german_way() {
        assert_eq!(german_date("1984-08-12"), "12.08.1984");
        assert_eq!(german_date("unbekannt"), "unbekannt");
    }
}

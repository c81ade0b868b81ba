//! Whatever a browser (or anyone) posts to a server function, decoding the form ends
//! with the arguments or an error — never a panic. The decoder is the one the server
//! functions use (`serde_qs`, depth 5, non-strict: server_fn's `PostUrl` codec).
//! `PROPTEST_CASES` sets the number of bodies (`bench/fuzz.sh` runs 100,000).

use app::api::{
    appointments::{CancelAppointment, CreateAppointment},
    auth::{Register, SignIn},
    postbox::MarkDone,
    profile::{RedeemCode, SetOption},
    staff::{CreateClient, LoadClient},
};
use proptest::prelude::*;
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned>(body: &str) -> bool {
    serde_qs::Config::new(5, false).deserialize_str::<T>(body).is_ok()
}

fn decode_all(body: &str) {
    let _ = (
        decode::<Register>(body),
        decode::<SignIn>(body),
        decode::<RedeemCode>(body),
        decode::<SetOption>(body),
        decode::<CreateClient>(body),
        decode::<LoadClient>(body),
        decode::<CreateAppointment>(body),
        decode::<CancelAppointment>(body),
        decode::<MarkDone>(body),
    );
}

/// Forms made of the real field names (and others), with values that are numbers,
/// text, percent escapes, brackets and nothing.
fn form() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("email".to_owned()),
        Just("password".to_owned()),
        Just("code".to_owned()),
        Just("enabled".to_owned()),
        Just("client_id".to_owned()),
        Just("id".to_owned()),
        Just("thread_id".to_owned()),
        Just("next".to_owned()),
        "[a-z_\\[\\]]{0,12}",
    ];
    let value = prop_oneof!["-?[0-9]{0,25}", ".{0,40}", "(%[0-9A-Fa-f]{0,2}){0,8}", "(true|false|on|1|0)", "[\\[\\]=&%+]{0,10}"];
    proptest::collection::vec((key, value, any::<bool>()), 0..12).prop_map(|pairs| {
        pairs.into_iter().map(|(k, v, with_eq)| if with_eq { format!("{k}={v}") } else { k }).collect::<Vec<_>>().join("&")
    })
}

proptest! {
    #[test]
    fn any_form_decodes_or_is_refused(body in form()) {
        decode_all(&body);
    }

    #[test]
    fn any_text_decodes_or_is_refused(body in "\\PC{0,200}") {
        decode_all(&body);
    }

    #[test]
    fn a_well_formed_sign_in_decodes(email in "[a-z]{1,10}@[a-z]{1,10}\\.de", password in "[A-Za-z0-9]{1,30}") {
        let body = format!("email={email}&password={password}");
        prop_assert!(decode::<SignIn>(&body), "{}", body);
    }
}

#[test]
fn ids_must_be_numbers() {
    assert!(decode::<LoadClient>("id=42"));
    assert!(!decode::<LoadClient>("id=zweiundvierzig"));
    assert!(!decode::<LoadClient>("id=99999999999999999999"));
}

//! The browser's side of passkeys: `navigator.credentials.create/get` through web-sys,
//! with the conversions of `webauthn-rs-proto`. Only the hydrated page has a browser;
//! on the server these report "not supported" (they are only called from event handlers).

use crate::ui::translate::*;
use webauthn_rs_proto::{CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse};

/// Why the browser did not produce a passkey answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserError {
    /// The browser has no WebAuthn support.
    Unsupported,
    /// The user cancelled, or the request timed out or was aborted.
    Cancelled,
    /// Anything else (message from the browser).
    Failed(String),
}

/// Whether the browser supports passkeys at all.
pub fn supported() -> bool {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Reflect::has(&leptos::prelude::window(), &"PublicKeyCredential".into()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

#[cfg(feature = "hydrate")]
fn error_from(value: leptos::wasm_bindgen::JsValue) -> BrowserError {
    use leptos::wasm_bindgen::JsCast;
    match value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name())) {
        Some(name) if name == "NotAllowedError" || name == "AbortError" => BrowserError::Cancelled,
        Some(name) if name == "NotSupportedError" => BrowserError::Unsupported,
        Some(name) => BrowserError::Failed(name),
        None => BrowserError::Failed(format!("{value:?}")),
    }
}

/// Asks the browser to create a passkey.
pub async fn create(challenge: CreationChallengeResponse) -> Result<RegisterPublicKeyCredential, BrowserError> {
    #[cfg(feature = "hydrate")]
    {
        if !supported() {
            return Err(BrowserError::Unsupported);
        }
        let options: web_sys::CredentialCreationOptions = challenge.into();
        let promise = leptos::prelude::window()
            .navigator()
            .credentials()
            .create_with_options(&options)
            .map_err(error_from)?;
        let credential = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(error_from)?;
        Ok(RegisterPublicKeyCredential::from(web_sys::PublicKeyCredential::from(credential)))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = challenge;
        Err(BrowserError::Unsupported)
    }
}

/// Asks the browser for a passkey assertion (optionally abortable).
pub async fn get(challenge: RequestChallengeResponse, abort: Option<Abort>) -> Result<PublicKeyCredential, BrowserError> {
    #[cfg(feature = "hydrate")]
    {
        if !supported() {
            return Err(BrowserError::Unsupported);
        }
        let options: web_sys::CredentialRequestOptions = challenge.into();
        if let Some(abort) = &abort {
            options.set_signal(&abort.0.signal());
        }
        let promise = leptos::prelude::window()
            .navigator()
            .credentials()
            .get_with_options(&options)
            .map_err(error_from)?;
        let credential = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(error_from)?;
        Ok(PublicKeyCredential::from(web_sys::PublicKeyCredential::from(credential)))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (challenge, abort);
        Err(BrowserError::Unsupported)
    }
}

/// Whether the browser can offer passkeys in the user-name field's autofill.
///
/// Not in automated browsers (`navigator.webdriver`): their virtual authenticators
/// answer an autofill request at once, without anyone choosing a passkey, which would
/// sign a test user in unasked the moment the sign-in page opens.
pub async fn conditional_mediation_available() -> bool {
    #[cfg(feature = "hydrate")]
    {
        let navigator = leptos::prelude::window().navigator();
        let automated = js_sys::Reflect::get(&navigator, &"webdriver".into()).ok().and_then(|v| v.as_bool()) == Some(true);
        if !supported() || automated {
            return false;
        }
        let class = js_sys::Reflect::get(&leptos::prelude::window(), &"PublicKeyCredential".into()).ok();
        let check = class
            .as_ref()
            .and_then(|c| js_sys::Reflect::get(c, &"isConditionalMediationAvailable".into()).ok())
            .and_then(|f| leptos::wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
        let (Some(class), Some(check)) = (class, check) else { return false };
        let Ok(promise) = check.call0(&class) else { return false };
        let Ok(promise) = leptos::wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(promise) else { return false };
        wasm_bindgen_futures::JsFuture::from(promise).await.map(|v| v.as_bool() == Some(true)).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// A handle that cancels a pending [`get`] (the autofill request before a dialog).
#[derive(Clone)]
pub struct Abort(#[cfg(feature = "hydrate")] web_sys::AbortController);

impl Abort {
    /// A new handle (none on the server).
    pub fn new() -> Option<Abort> {
        #[cfg(feature = "hydrate")]
        {
            web_sys::AbortController::new().ok().map(Abort)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    }

    /// Cancels the request.
    pub fn abort(&self) {
        #[cfg(feature = "hydrate")]
        self.0.abort();
    }
}

/// What went wrong in the browser, as a message.
pub fn browser_error_message(i18n: I18n, error: &BrowserError) -> String {
    match error {
        BrowserError::Unsupported => t_string!(i18n, mfa.passkey_unsupported),
        BrowserError::Cancelled => t_string!(i18n, mfa.passkey_cancelled),
        BrowserError::Failed(_) => t_string!(i18n, mfa.passkey_failed),
    }
    .to_string()
}

//! Signing in with a passkey: the "Mit Passkey anmelden" link on the sign-in page, the
//! "Passkey verwenden" button (second step and the passkey sign-in page) and the
//! ceremony both run.

use crate::domain::routes;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::mfa::{finish_passkey_sign_in, start_passkey_sign_in, FactorOutcome},
    domain::navigation::local_path,
    ui::translate::*,
    ui::{
        components::{form::hard_navigate, passkey_browser},
        components::passkey_browser::browser_error_message,
    },
};

/// Where the passkey sign-in page lives (it also serves browsers without JavaScript).
pub const PASSKEY_SIGN_IN_PAGE: &str = routes::SIGN_IN_PASSKEY;

/// The page asked for after signing in: the `next` parameter if it is a local path.
/// Without one the server decides where the account lands ([`crate::domain::access::landing`]).
pub fn next_after_sign_in(next: Option<String>) -> Option<String> {
    next.filter(|n| local_path(n).is_some())
}

/// Runs a passkey sign-in (dialog, or autofill with `conditional`) and, on success,
/// opens `next`. The error is the message to show.
pub async fn passkey_sign_in(
    i18n: I18n,
    conditional: bool,
    abort: Option<passkey_browser::Abort>,
    next: Option<String>,
) -> Result<(), String> {
    let challenge = start_passkey_sign_in(conditional).await.map_err(|_| t_string!(i18n, mfa.passkey_failed).to_string())?;
    let response = passkey_browser::get(challenge, abort).await.map_err(|e| browser_error_message(i18n, &e))?;
    match finish_passkey_sign_in(response, next).await {
        Ok(FactorOutcome::SignedIn { next, .. }) => {
            hard_navigate(&next);
            Ok(())
        }
        _ => Err(t_string!(i18n, mfa.passkey_failed).to_string()),
    }
}

/// The state of a passkey control: busy while the dialog is open, and the message to
/// show when it failed.
#[derive(Clone, Copy)]
struct Ceremony {
    busy: ReadSignal<bool>,
    message: ReadSignal<Option<String>>,
    run: Callback<Option<String>>,
}

/// Runs `passkey_sign_in` towards a destination, tracking busy state and message.
fn use_ceremony(i18n: I18n) -> Ceremony {
    let (busy, set_busy) = signal(false);
    let (message, set_message) = signal(None::<String>);
    let run = Callback::new(move |next: Option<String>| {
        set_busy.set(true);
        set_message.set(None);
        spawn_local(async move {
            if let Err(text) = passkey_sign_in(i18n, false, None, next).await {
                set_message.set(Some(text));
            }
            set_busy.set(false);
        });
    });
    Ceremony { busy, message, run }
}

/// The message area below a passkey control (hidden while empty).
#[component]
fn PasskeyMessage(message: ReadSignal<Option<String>>) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert" class:is-hidden=move || message.get().is_none()>
            <p>{move || message.get()}</p>
        </div>
    }
}

/// "Passkey verwenden": needs JavaScript, so it is hidden without it and invisible (its
/// place kept) until the page is interactive.
#[component]
pub fn PasskeyButton(
    /// The page asked for afterwards (else where the account lands).
    next: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pending = crate::ui::components::needs_app::app_pending();
    let Ceremony { busy, message, run } = use_ceremony(i18n);
    view! {
        <div class="passkey-sign-in with-js" class:is-pending=move || pending.get()>
            <button type="button" class="button" on:click=move |_| run.run(next.clone()) disabled=move || busy.get()>
                {t!(i18n, second.passkey)}
            </button>
            <PasskeyMessage message />
        </div>
    }
}

/// "Mit Passkey anmelden" on the sign-in page. With JavaScript it opens the browser's
/// passkey dialog right here; without, the button (in a `GET` form) leads to the passkey
/// sign-in page, which says what is needed.
#[component]
pub fn PasskeySignInButton(
    /// The page asked for afterwards (else where the account lands).
    next: Option<String>,
    /// Called before the dialog opens (to cancel a pending autofill request).
    before: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Ceremony { busy, message, run } = use_ceremony(i18n);
    let asked = next.clone();
    let open_dialog = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        before.run(());
        run.run(next.clone());
    };
    view! {
        <form class="passkey-sign-in" method="get" action=PASSKEY_SIGN_IN_PAGE>
            {asked.map(|asked| view! { <input type="hidden" name="next" value=asked /> })}
            <button type="submit" class="button" on:click=open_dialog disabled=move || busy.get()>
                {t!(i18n, sign_in.passkey)}
            </button>
            <PasskeyMessage message />
        </form>
    }
}

//! The pages e-mail links lead to, and the pages to ask for a new link:
//! `/registrieren/bestaetigen` (confirmation, the flyer's second success message),
//! `/registrieren/link-anfordern` (new confirmation link).

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::{check_confirmation_link, ConfirmEmail, LinkOutcome, LinkRequestOutcome, ResendConfirmation},
    ui::translate::*,
    ui::components::{
        email_link::{link_check, EmailLinkFields, EmailLinkRequest, LinkPage, LinkProblem, PressButton},
        form::{latest, use_flash},
        page::PageHeading,
    },
};

/// `/registrieren/bestaetigen?token=…`: checks the link without using it (mail
/// scanners fetch links), confirms the address when the button is pressed — which the
/// page does by itself once it runs in the browser — and says so (the flyer's second
/// success message).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once: the token belongs to this visit of the page.
    let (token, next) = use_query_map().with_untracked(|q| (q.get("token").unwrap_or_default(), crate::domain::navigation::next_param(|name| q.get(name)).unwrap_or_default()));
    // Signing in continues where the visitor was going before registering.
    let sign_in = crate::domain::navigation::with_next(routes::SIGN_IN, &next);
    let action = ServerAction::<ConfirmEmail>::new();
    let outcome = latest(action, use_flash::<LinkOutcome>(FlashForm::ConfirmEmail));
    let check = link_check(&token, check_confirmation_link);
    let done = move |result: LinkOutcome| match result {
        LinkOutcome::Valid => view! {
            <div class="notice notice--success" role="status">
                <h2>{t!(i18n, confirm.success_title)}</h2>
                <p>{t!(i18n, confirm.success_text)}</p>
            </div>
            <p><a class="button" href=sign_in.clone()>{t!(i18n, site.sign_in)}</a></p>
        }
        .into_any(),
        problem => view! { <LinkProblem problem new_link=routes::RESEND_CONFIRMATION /> }.into_any(),
    };
    let label = Signal::derive(move || t_string!(i18n, confirm.press).to_string());
    let press = {
        let token = token.clone();
        move || {
            let token = token.clone();
            view! { <ActionForm action attr:class="form"><PressButton token label pending=action.pending() /></ActionForm> }.into_any()
        }
    };
    let dispatch = move || {
        action.dispatch(ConfirmEmail { token: token.clone() });
    };
    view! {
        <LinkPage
            title=Signal::derive(move || t_string!(i18n, confirm.title).to_string())
            check outcome new_link=routes::RESEND_CONFIRMATION
            intro=Signal::derive(move || t_string!(i18n, confirm.press_intro).to_string())
            done press dispatch
        />
    }
}

/// `/registrieren/link-anfordern`: sends a new confirmation link.
#[component]
pub fn ResendConfirmationPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResendConfirmation>::new();
    let outcome = latest(action, use_flash::<LinkRequestOutcome>(FlashForm::Resend));
    let query = use_query_map();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, resend.title).to_string()) />
        <EmailLinkRequest
            outcome
            intro=Signal::derive(move || t_string!(i18n, resend.intro).to_string())
            sent=Signal::derive(move || t_string!(i18n, resend.sent).to_string())
        >
            <ActionForm action attr:class="form" attr:novalidate=true>
                <EmailLinkFields outcome prefill=Signal::derive(move || query.with(|q| q.get("email")).unwrap_or_default()) />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t!(i18n, resend.submit)}
                </button>
            </ActionForm>
        </EmailLinkRequest>
    }
}


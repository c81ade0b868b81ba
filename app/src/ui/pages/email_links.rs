//! The pages e-mail links lead to, and the pages to ask for a new link:
//! `/registrieren/bestaetigen` (confirmation, the flyer's second success message),
//! `/registrieren/link-anfordern` (new confirmation link).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::auth::{confirm_email, LinkOutcome, LinkRequestOutcome, ResendConfirmation},
    ui::translate::*,
    ui::components::{
        error::ErrorNotice,
        form::{latest, use_flash, ErrorSummary, FieldError, TextField},
        messages::email_message,
        page::PageHeading,
    },
};

/// `/registrieren/bestaetigen?token=…`: confirms the address once and says so.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    // Read once: the token belongs to this visit of the page.
    let (token, next) = use_query_map().with_untracked(|q| (q.get("token").unwrap_or_default(), q.get("weiter").unwrap_or_default()));
    // Signing in continues where the visitor was going before registering.
    let sign_in = crate::domain::navigation::with_next("/anmelden", &next);
    let result = Resource::new(
        move || token.clone(),
        |token| async move {
            if token.is_empty() {
                Ok(LinkOutcome::Invalid)
            } else {
                confirm_email(token).await
            }
        },
    );
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, confirm.title).to_string()) />
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {move || { let sign_in = sign_in.clone(); Suspend::new(async move {
                match result.await {
                    Ok(LinkOutcome::Valid) => view! {
                        <div class="notice notice--success" role="status">
                            <h2>{t!(i18n, confirm.success_title)}</h2>
                            <p>{t!(i18n, confirm.success_text)}</p>
                        </div>
                        <p><a class="button" href=sign_in>{t!(i18n, site.sign_in)}</a></p>
                    }
                    .into_any(),
                    Ok(problem) => view! { <LinkProblem problem new_link="/registrieren/link-anfordern" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// Why a link from an e-mail did not work, with the way to a new one.
#[component]
pub fn LinkProblem(problem: LinkOutcome, new_link: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match problem {
        LinkOutcome::Used => t_string!(i18n, links.used),
        LinkOutcome::Expired => t_string!(i18n, links.expired),
        LinkOutcome::Invalid | LinkOutcome::Valid => t_string!(i18n, links.invalid),
    };
    view! {
        <div class="notice notice--warning" role="alert">
            <h2>{t!(i18n, links.problem_title)}</h2>
            <p>{text}</p>
        </div>
        <div class="button-row">
            <a class="button" href=new_link>{t!(i18n, links.request_new)}</a>
            <a class="button button--secondary" href="/anmelden">{t!(i18n, site.sign_in)}</a>
        </div>
    }
}

/// `/registrieren/link-anfordern`: sends a new confirmation link.
#[component]
pub fn ResendConfirmationPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResendConfirmation>::new();
    let outcome = latest(action, use_flash::<LinkRequestOutcome>("resend"));
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

/// The frame of a "send me a link" page: the intro, or the neutral confirmation once sent.
#[component]
pub fn EmailLinkRequest(
    outcome: Signal<Option<Result<LinkRequestOutcome, crate::api::ApiError>>>,
    #[prop(into)] intro: Signal<String>,
    #[prop(into)] sent: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(LinkRequestOutcome::Sent { .. })) => view! {
            <div class="notice notice--success" role="status">
                <p>{move || sent.get()}</p>
            </div>
        }
        .into_any(),
        Some(Err(error)) => view! { <ErrorNotice error />{children()} }.into_any(),
        _ => view! { <p>{move || intro.get()}</p>{children()} }.into_any(),
    }
}

/// The e-mail field of a "send me a link" form, with its error and summary.
#[component]
pub fn EmailLinkFields(
    outcome: Signal<Option<Result<LinkRequestOutcome, crate::api::ApiError>>>,
    #[prop(into)] prefill: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = move || match outcome.get() {
        Some(Ok(LinkRequestOutcome::Invalid { email, problem })) => Some((email, problem)),
        _ => None,
    };
    let error = Signal::derive(move || invalid().map(|(_, problem)| email_message(i18n, problem)));
    let value = Signal::derive(move || invalid().map(|(email, _)| email).unwrap_or_else(|| prefill.get()));
    let summary = Signal::derive(move || {
        error.get().map(|message| vec![FieldError { field: "email", message }]).unwrap_or_default()
    });
    view! {
        <ErrorSummary errors=summary />
        <TextField
            id="email"
            name="email"
            label=Signal::derive(move || t_string!(i18n, register.email_label).to_string())
            error
            value
            input_type="email"
            autocomplete="email"
            required=true
        />
    }
}

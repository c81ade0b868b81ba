//! Pieces of the pages that e-mail links lead to: why a link does not work (with the way
//! to a new one), the "send me a link" form, and the rule that opening a link does not
//! spend it.

use crate::domain::routes;
use leptos::prelude::*;

use crate::{
    api::{
        auth::{LinkOutcome, LinkRequestOutcome},
        ApiError,
    },
    ui::{
        components::{
            error::ErrorNotice,
            form::{ErrorSummary, FieldError, TextField},
            loading::Loaded,
            page::PageHeading,
            messages::email_message,
        },
        translate::*,
    },
};

/// The check of the link whose token is `token` (from the page's query), done by the
/// server function `check` — which reads the link and does not use it. An empty token
/// is an invalid link without asking.
pub fn link_check<F, Fut>(token: &str, check: F) -> Resource<Result<LinkOutcome, crate::api::ApiError>>
where
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<LinkOutcome, crate::api::ApiError>> + Send + 'static,
{
    let token = token.to_owned();
    Resource::new(move || token.clone(), move |token| async move {
        if token.is_empty() {
            Ok(LinkOutcome::Invalid)
        } else {
            check(token).await
        }
    })
}

/// Presses a link page's button by itself once, when the page runs in the browser and
/// the link can be used (`check` says `Valid`) and nothing was submitted yet (`done`).
/// Mail scanners fetch links without running the page, so only a person's browser (or
/// the button, without JavaScript) spends the link; the flyer's "click the link →
/// success message" stays one click.
pub fn press_once_valid(
    check: Resource<Result<LinkOutcome, crate::api::ApiError>>,
    done: Signal<bool>,
    press: impl Fn() + Send + Sync + 'static,
) {
    Effect::new(move |pressed: Option<bool>| {
        if pressed == Some(true) || done.get_untracked() {
            return true;
        }
        if let Some(Ok(LinkOutcome::Valid)) = check.get() {
            press();
            return true;
        }
        false
    });
}

/// Why a link from an e-mail did not work, with the way to a new one.
#[component]
pub fn LinkProblem(problem: LinkOutcome, new_link: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match problem {
        LinkOutcome::Used => t_string!(i18n, links.used),
        LinkOutcome::Expired => t_string!(i18n, links.expired),
        LinkOutcome::Voided => t_string!(i18n, links.voided),
        LinkOutcome::Invalid | LinkOutcome::Valid => t_string!(i18n, links.invalid),
    };
    view! {
        <div class="notice notice--warning" role="alert">
            <h2>{t!(i18n, links.problem_title)}</h2>
            <p>{text}</p>
        </div>
        <div class="button-row">
            <a class="button" href=new_link>{t!(i18n, links.request_new)}</a>
            <a class="button button--secondary" href=routes::SIGN_IN>{t!(i18n, site.sign_in)}</a>
        </div>
    }
}

/// A page an e-mail link opens. It checks the link without using it (mail scanners
/// fetch links), shows `intro` and the button `press` while the link can be used —
/// pressing it by itself once the page runs in the browser ([`press_once_valid`] with
/// `dispatch`) — and then what pressing it came to (`done`), or why the link does not
/// work, with the way to `new_link`.
#[component]
pub fn LinkPage<O, D, P>(
    /// The page's heading.
    #[prop(into)]
    title: Signal<String>,
    /// The check of the link ([`link_check`]).
    check: Resource<Result<LinkOutcome, ApiError>>,
    /// What pressing the button came to, once pressed.
    outcome: Signal<Option<Result<O, ApiError>>>,
    /// Where a new link is asked for.
    new_link: &'static str,
    /// The text above the button.
    #[prop(into)]
    intro: Signal<String>,
    /// The view of the outcome.
    done: D,
    /// The form with the button (a [`PressButton`] inside the page's `ActionForm`).
    press: P,
    /// Presses the button (dispatches the page's action).
    dispatch: impl Fn() + Send + Sync + 'static,
) -> impl IntoView
where
    O: Clone + Send + Sync + 'static,
    D: Fn(O) -> AnyView + Send + Sync + 'static,
    P: Fn() -> AnyView + Send + Sync + Clone + 'static,
{
    press_once_valid(check, Signal::derive(move || outcome.get().is_some()), dispatch);
    let with_intro = move || view! { <p>{move || intro.get()}</p>{press()} };
    view! {
        <PageHeading text=title />
        {move || match outcome.get() {
            Some(Ok(result)) => done(result),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => view! { <CheckedLink check new_link press=with_intro.clone() /> }.into_any(),
        }}
    }
}

/// A link page before its button is pressed: "Wird geladen …" while the link is
/// checked, then `press` (the button that uses the link) if it can be used, else why not
/// with the way to `new_link`.
#[component]
pub fn CheckedLink<V, F>(
    /// The check of the link (it does not use it).
    check: Resource<Result<LinkOutcome, ApiError>>,
    /// Where a new link is asked for.
    new_link: &'static str,
    /// The intro and the button.
    press: F,
) -> impl IntoView
where
    V: IntoView + 'static,
    F: Fn() -> V + Send + Sync + Clone + 'static,
{
    let content = move |outcome: LinkOutcome| match outcome {
        LinkOutcome::Valid => press().into_any(),
        problem => view! { <LinkProblem problem new_link /> }.into_any(),
    };
    view! { <Loaded resource=check content /> }
}

/// The button of a link page, with the link's token.
#[component]
pub fn PressButton(token: String, #[prop(into)] label: Signal<String>, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    view! {
        <input type="hidden" name="token" value=token />
        <button type="submit" class="button" disabled=move || pending.get()>{move || label.get()}</button>
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
        <TextField id="email" name="email"
            label=Signal::derive(move || t_string!(i18n, register.email_label).to_string())
            error
            value
            input_type="email" autocomplete="email" required=true
        />
    }
}

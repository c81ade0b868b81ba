//! Form building blocks after the GOV.UK/KERN pattern: label above the field, hint
//! and error message linked with `aria-describedby`, an error summary at the top that
//! links to each field and takes focus.

use leptos::{html, prelude::*};
use serde::{de::DeserializeOwned, Serialize};

use crate::ui::translate::*;

/// One entry of the error summary: the field's id and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `id` of the field the link jumps to.
    pub field: &'static str,
    /// The message (also shown at the field).
    pub message: String,
}

/// "Bitte prüfen Sie Ihre Eingaben" with a link to every field in error. Takes focus
/// when it appears so screen-reader and keyboard users land on it.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if !errors.get().is_empty() {
            if let Some(el) = node.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <Show when=move || !errors.get().is_empty()>
            <div class="error-summary" role="alert" tabindex="-1" node_ref=node autofocus>
                <h2 class="error-summary__title">{t!(i18n, form.error_summary_title)}</h2>
                <ul class="error-summary__list">
                    {move || {
                        errors
                            .get()
                            .into_iter()
                            .map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message}</a></li> })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// The ids an input refers to in `aria-describedby`.
fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Label, hint, message and a text input.
#[component]
pub fn TextField(
    /// Element id (also the error summary's link target).
    id: &'static str,
    /// Form field name (the server function's argument).
    name: &'static str,
    /// Visible label.
    #[prop(into)]
    label: Signal<String>,
    /// Hint below the label.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// Error message, if the field is in error.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Initial value (kept after a failed submission).
    #[prop(optional, into)]
    value: Signal<String>,
    /// `type` attribute.
    #[prop(default = "text")]
    input_type: &'static str,
    /// `autocomplete` attribute.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// Whether the field is required.
    #[prop(optional)]
    required: bool,
    /// Called with the value on every keystroke.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
) -> impl IntoView {
    let has_hint = hint.is_some();
    view! {
        <FieldFrame id label hint error>
            <input
                class="field__input"
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                required=required
                spellcheck="false"
                on:input=move |ev| {
                    if let Some(callback) = on_input {
                        callback.run(event_target_value(&ev));
                    }
                }
                value=move || value.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || described_by(id, has_hint, error.get().is_some())
            />
        </FieldFrame>
    }
}

/// A form field around its input (`children`): the label, the hint and the error
/// message, with the error style when there is one.
#[component]
fn FieldFrame(id: &'static str, label: Signal<String>, hint: Option<Signal<String>>, error: Signal<Option<String>>, children: Children) -> impl IntoView {
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field__label" for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{move || hint.get()}</p> })}
            <FieldMessage id error />
            {children()}
        </div>
    }
}

/// The message under a label, announced as part of the field's description.
#[component]
pub fn FieldMessage(id: &'static str, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|message| {
            view! {
                <p class="field__error" id=format!("{id}-error")>
                    <span class="visually-hidden">{t!(i18n, form.error_prefix)}" "</span>
                    {message}
                </p>
            }
        })
    }
}

/// A password input bound to a signal (for the live checklist). The value is never
/// pre-filled from the server.
#[component]
pub fn PasswordField(
    /// Element id, as for [`TextField`].
    id: &'static str,
    /// Field name, as for [`TextField`].
    name: &'static str,
    /// Visible label, hint (`None`: none) and error message, as for [`TextField`].
    #[prop(into)] label: Signal<String>,
    #[prop(optional_no_strip, into)] hint: Option<Signal<String>>,
    #[prop(into)] error: Signal<Option<String>>,
    /// The typed value.
    value: RwSignal<String>,
    /// Show the characters instead of dots.
    #[prop(into)]
    revealed: Signal<bool>,
    /// `autocomplete` (`new-password` or `current-password`).
    autocomplete: &'static str,
    /// Extra ids for `aria-describedby` (e.g. the criteria list).
    #[prop(optional)]
    also_described_by: Option<&'static str>,
    /// Whether the field is required.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let describe = move || {
        let base = described_by(id, has_hint, error.get().is_some());
        match (base, also_described_by) {
            (Some(b), Some(extra)) => Some(format!("{b} {extra}")),
            (None, Some(extra)) => Some(extra.to_owned()),
            (b, None) => b,
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    // The signal leads, but what was typed into the server-rendered page while the WASM
    // loaded is kept rather than wiped by hydration.
    let hydrating = Owner::current_shared_context().is_some_and(|context| context.during_hydration());
    Effect::new(move |synced: Option<bool>| {
        let wanted = value.get();
        let Some(element) = input.get() else { return false };
        if hydrating && synced != Some(true) && wanted.is_empty() {
            let typed = element.value();
            if !typed.is_empty() {
                value.set(typed);
            }
        } else if element.value() != wanted {
            element.set_value(&wanted);
        }
        true
    });
    view! {
        <FieldFrame id label hint error>
            <input
                node_ref=input
                class="field__input"
                id=id
                name=name
                type=move || if revealed.get() { "text" } else { "password" }
                autocomplete=autocomplete
                required=required
                spellcheck="false"
                autocapitalize="off"
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=describe
            />
        </FieldFrame>
    }
}

/// A button that shows or hides passwords. It needs JavaScript: hidden without it, and
/// its place is kept (invisible) until the page is interactive, so nothing moves.
#[component]
pub fn RevealToggle(revealed: RwSignal<bool>, #[prop(into)] controls: String) -> impl IntoView {
    let i18n = use_i18n();
    let pending = crate::ui::components::needs_app::app_pending();
    view! {
        <button
            type="button"
            class="button button--secondary button--small with-js"
            class:is-pending=move || pending.get()
            aria-controls=controls
            aria-pressed=move || revealed.get().to_string()
            on:click=move |_| revealed.update(|r| *r = !*r)
        >
            {move || if revealed.get() { t_string!(i18n, form.hide_passwords) } else { t_string!(i18n, form.show_passwords) }}
        </button>
    }
}

/// A checkbox with its label and message.
#[component]
pub fn Checkbox(
    /// Element id.
    id: &'static str,
    /// Field name.
    name: &'static str,
    /// Error message.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Initially checked.
    #[prop(into)]
    checked: Signal<bool>,
    /// The label text.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="checkbox" class:field--error=move || error.get().is_some()>
            <FieldMessage id error />
            <input
                class="checkbox__input"
                type="checkbox"
                id=id
                name=name
                value="on"
                required=true
                checked=move || checked.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| format!("{id}-error"))
            />
            <label class="checkbox__label" for=id>{children()}</label>
        </div>
    }
}

/// The result a server function left for this page after a plain (no-JavaScript)
/// form submission; `None` otherwise. Read once while the page renders on the server.
pub fn use_flash<T>(form: crate::api::flash_form::FlashForm) -> Option<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    SharedValue::new(move || take_flash::<T>(form.key())).into_inner()
}

#[cfg(feature = "ssr")]
fn take_flash<T: DeserializeOwned>(form: &'static str) -> Option<T> {
    crate::api::flash::take(form)
}

#[cfg(not(feature = "ssr"))]
fn take_flash<T: DeserializeOwned>(_form: &'static str) -> Option<T> {
    None
}

/// The latest result of `action`, or else the no-JavaScript flash result.
pub fn latest<I, O>(action: ServerAction<I>, flash: Option<O>) -> Signal<Option<Result<O, crate::api::ApiError>>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::api::ApiError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().or_else(|| flash.clone().map(Ok)))
}

/// Opens `path` with a full page load (after sign-in and sign-out, so the whole page,
/// header included, reflects the new state).
pub fn hard_navigate(path: &str) {
    let _ = window().location().assign(path);
}

/// Escapes text for markup: a `<textarea>`'s initial content is set with `inner_html`
/// (a text child would gain the hydration marker in its value).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A six-digit code field (numeric keyboard, one-time-code autofill).
#[component]
pub fn OneTimeCodeField(id: &'static str, name: &'static str, #[prop(into)] label: Signal<String>, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field__label" for=id>{move || label.get()}</label>
            <p class="field__hint" id=format!("{id}-hint")>{t!(i18n, mfa.code_hint)}</p>
            <FieldMessage id error />
            <input
                class="field__input field__input--code"
                id=id
                name=name
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9 ]*"
                maxlength="7"
                required=true
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || if error.get().is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-hint") }
            />
        </div>
    }
}

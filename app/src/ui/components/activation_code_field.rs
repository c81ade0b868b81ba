//! The "Freischaltcode *" field: upper-cases and inserts the dashes while the user
//! types or pastes (the cursor stays behind the character just typed) and says live
//! what is wrong, with the rules of [`crate::domain::activation_code`].

use leptos::{html, prelude::*};

use crate::{
    domain::activation_code::{format, formatted_cursor, live_problem, normalise, CodeProblem, LENGTH},
    ui::{components::form::FieldMessage, translate::*},
};

/// The message for a problem with an entered code.
pub fn code_problem_message(i18n: I18n, problem: CodeProblem, entered: &str) -> String {
    let count = normalise(entered).chars().count();
    match problem {
        CodeProblem::Missing => t_string!(i18n, activation.missing).to_string(),
        CodeProblem::InvalidCharacters => t_string!(i18n, activation.invalid_characters).to_string(),
        CodeProblem::TooShort | CodeProblem::TooLong => {
            t_string!(i18n, activation.wrong_length, count = count, length = LENGTH).to_string()
        }
        CodeProblem::CheckCharacter => t_string!(i18n, activation.check_character).to_string(),
    }
}

/// The field. `initial` is the (formatted) value to start with; `error` a message from
/// the server after submitting.
#[component]
pub fn ActivationCodeField(initial: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<html::Input>::new();
    let (typed, set_typed) = signal(initial.clone());
    let live = Signal::derive(move || live_problem(&typed.get()).map(|p| code_problem_message(i18n, p, &typed.get())));
    // The server's message until the user types again.
    let (edited, set_edited) = signal(false);
    let shown = Signal::derive(move || if edited.get() { live.get() } else { error.get().or_else(|| live.get()) });
    let on_input = move |_| {
        let Some(element) = input.get() else { return };
        let raw = element.value();
        let cursor = element.selection_start().ok().flatten().map(|c| c as usize).unwrap_or(raw.chars().count());
        let formatted = format(&raw);
        if formatted != raw {
            let position = formatted_cursor(&raw, cursor) as u32;
            element.set_value(&formatted);
            let _ = element.set_selection_range(position, position);
        }
        set_edited.set(true);
        set_typed.set(formatted);
    };
    view! {
        <div class="field" class:field--error=move || shown.get().is_some()>
            <label class="field__label" for="code">{t!(i18n, activation.code_label)}</label>
            <p class="field__hint" id="code-hint">{t!(i18n, activation.code_hint)}</p>
            <FieldMessage id="code" error=shown />
            <input
                node_ref=input
                class="field__input field__input--code"
                id="code"
                name="code"
                type="text"
                inputmode="text"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                maxlength="20"
                required=true
                value=initial
                on:input=on_input
                aria-invalid=move || shown.get().is_some().then_some("true")
                aria-describedby=move || if shown.get().is_some() { "code-hint code-error" } else { "code-hint" }
            />
            // One polite announcement of the verdict (not of every character).
            <p class="visually-hidden" aria-live="polite">{move || live.get()}</p>
        </div>
    }
}

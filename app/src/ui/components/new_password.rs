//! The group every form that sets a password shares — registration, "Neues Passwort
//! festlegen" after a reset, and the password change on "Sicherheit": the new password,
//! its repetition, "Passwort anzeigen" and the live checklist of the flyer's seven
//! criteria (`domain::password`).

use leptos::prelude::*;

use crate::ui::{
    components::{
        form::{PasswordField, RevealToggle},
        password_checklist::PasswordChecklist,
    },
    translate::*,
};

/// The new-password fields (`password`, `password_repeat`) with toggle and checklist.
#[component]
pub fn NewPasswordFields(
    /// The new password's label ("Passwort", "Neues Passwort").
    #[prop(into)]
    label: Signal<String>,
    /// A hint under the label.
    #[prop(optional_no_strip, into)]
    hint: Option<Signal<String>>,
    /// The new password's message.
    #[prop(into)]
    password_error: Signal<Option<String>>,
    /// The repetition's message.
    #[prop(into)]
    repetition_error: Signal<Option<String>>,
    /// The typed password.
    password: RwSignal<String>,
    /// The typed repetition.
    repetition: RwSignal<String>,
    /// Shown in clear text.
    revealed: RwSignal<bool>,
    /// Another password field the toggle shows too (the current password's id).
    #[prop(optional)]
    also_reveals: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let controls = match also_reveals {
        Some(id) => format!("{id} password password_repeat"),
        None => "password password_repeat".to_owned(),
    };
    view! {
        <PasswordField id="password" name="password"
            label
            hint
            error=password_error
            value=password
            revealed autocomplete="new-password" also_described_by="kriterien" required=true
        />
        <PasswordField id="password_repeat" name="password_repeat"
            label=Signal::derive(move || t_string!(i18n, register.repetition_label).to_string())
            error=repetition_error
            value=repetition
            revealed autocomplete="new-password" required=true
        />
        <RevealToggle revealed controls />
        <PasswordChecklist id="kriterien" password repetition />
    }
}

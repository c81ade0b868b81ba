//! A communication option as a real switch (`role="switch"`): saved at once with
//! JavaScript (shown switched while saving, switched back with a message if saving
//! fails), and a plain form post without.

use leptos::prelude::*;

use crate::{
    api::profile::{OptionOutcome, SetOption},
    domain::communication::CommunicationOption,
    ui::translate::*,
};

/// One switch. `enabled` is the saved state; the page reads it too.
#[component]
pub fn OptionSwitch(
    /// Which option.
    option: CommunicationOption,
    /// Its label ("E-Mail-Benachrichtigung").
    #[prop(into)]
    label: Signal<String>,
    /// Its sub-label ("E-Mail bei neuen Mitteilungen").
    #[prop(into)]
    detail: Signal<String>,
    /// The saved state.
    enabled: RwSignal<bool>,
    /// The result of a form post without JavaScript.
    flash: Option<OptionOutcome>,
    /// Told about every saved change (option, new state, time).
    on_saved: Callback<(CommunicationOption, bool, i64)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetOption>::new();
    let name = option.as_str();
    let label_id = format!("switch-{name}-label");
    let detail_id = format!("switch-{name}-detail");
    let message_id = format!("switch-{name}-message");
    // While saving, show the requested state (optimistic).
    let shown = Signal::derive(move || match action.input().get() {
        Some(input) => input.enabled,
        None => enabled.get(),
    });
    let (message, set_message) = signal(match flash {
        Some(OptionOutcome::MobileRequired) if option == CommunicationOption::SmsNotifications => {
            Some(t_string!(i18n, profile.mobile_required).to_string())
        }
        _ => None,
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(OptionOutcome::Saved { enabled: now, at, .. })) => {
            if enabled.get_untracked() != now {
                on_saved.run((option, now, at));
            }
            enabled.set(now);
            set_message.set(None);
        }
        Some(Ok(OptionOutcome::MobileRequired)) => set_message.set(Some(t_string!(i18n, profile.mobile_required).to_string())),
        Some(Err(_)) => set_message.set(Some(t_string!(i18n, profile.save_failed).to_string())),
        None => {}
    });
    let describe = format!("{detail_id} {message_id}");
    view! {
        <div class="switch-row">
            <ActionForm action attr:class="switch-form">
                <input type="hidden" name="option" value=name />
                <input type="hidden" name="enabled" value=move || (!enabled.get()).to_string() />
                <div class="switch-row__text">
                    <span class="switch-row__label" id=label_id.clone()>{move || label.get()}</span>
                    <span class="switch-row__detail" id=detail_id>{move || detail.get()}</span>
                </div>
                <button
                    type="submit"
                    class="switch"
                    role="switch"
                    aria-checked=move || shown.get().to_string()
                    aria-labelledby=label_id
                    aria-describedby=describe
                    aria-busy=move || action.pending().get().then_some("true")
                >
                    <span class="switch__track" aria-hidden="true"><span class="switch__thumb"></span></span>
                    <span class="switch__state" aria-hidden="true">
                        {move || if shown.get() { t_string!(i18n, profile.on) } else { t_string!(i18n, profile.off) }}
                    </span>
                </button>
            </ActionForm>
            <p class="switch-row__message" id=message_id role="status">{move || message.get()}</p>
        </div>
    }
}

//! The flyer's seven password criteria, ticked live while typing. Each item shows its
//! state by icon and by (screen-reader) text, not by colour alone. Changes are
//! announced politely once typing pauses, as one short summary, not on every key.

use leptos::prelude::*;

use crate::{
    domain::password::{self, Criterion},
    ui::translate::*,
};

/// How long typing must pause before the summary is announced.
const ANNOUNCE_AFTER_MS: u64 = 1200;

fn label(i18n: I18n, criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Length => t_string!(i18n, password.length),
        Criterion::Uppercase => t_string!(i18n, password.uppercase),
        Criterion::Lowercase => t_string!(i18n, password.lowercase),
        Criterion::Digit => t_string!(i18n, password.digit),
        Criterion::Special => t_string!(i18n, password.special),
        Criterion::NoInvalidCharacters => t_string!(i18n, password.no_invalid),
        Criterion::RepetitionMatches => t_string!(i18n, password.repetition),
    }
}

fn slug(criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Length => "length",
        Criterion::Uppercase => "uppercase",
        Criterion::Lowercase => "lowercase",
        Criterion::Digit => "digit",
        Criterion::Special => "special",
        Criterion::NoInvalidCharacters => "no-invalid",
        Criterion::RepetitionMatches => "repetition",
    }
}

/// The checklist for `password` and its `repetition`.
#[component]
pub fn PasswordChecklist(
    /// `id` of the list (inputs refer to it with `aria-describedby`).
    id: &'static str,
    /// The password as typed.
    #[prop(into)]
    password: Signal<String>,
    /// The repetition as typed.
    #[prop(into)]
    repetition: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let check = Memo::new(move |_| password::check(&password.get(), &repetition.get()));
    let (announcement, set_announcement) = signal(String::new());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |previous: Option<()>| {
        let current = check.get();
        // Nothing to announce for the initial state.
        if previous.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let met = Criterion::ALL.iter().filter(|c| current.is_met(**c)).count();
        let message = if current.all_met() {
            t_string!(i18n, password.all_met).to_string()
        } else {
            t_string!(i18n, password.status, met = met, total = Criterion::ALL.len()).to_string()
        };
        let handle = set_timeout_with_handle(
            move || set_announcement.set(message),
            std::time::Duration::from_millis(ANNOUNCE_AFTER_MS),
        )
        .ok();
        pending.set_value(handle);
    });

    view! {
        <div class="checklist-box">
            <p id=format!("{id}-intro")>{t!(i18n, password.intro)}</p>
            <ul class="criteria" id=id aria-labelledby=format!("{id}-intro")>
                {Criterion::ALL
                    .into_iter()
                    .map(|criterion| {
                        let met = move || check.get().is_met(criterion);
                        view! {
                            <li
                                class="criteria__item"
                                class:is-met=met
                                data-criterion=slug(criterion)
                                data-met=move || met().to_string()
                            >
                                <span class="criteria__icon" aria-hidden="true">
                                    {move || if met() { "✓" } else { "✗" }}
                                </span>
                                <span class="criteria__text">{move || label(i18n, criterion)}</span>
                                <span class="visually-hidden">
                                    {move || {
                                        if met() {
                                            t_string!(i18n, password.met)
                                        } else {
                                            t_string!(i18n, password.not_met)
                                        }
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="checklist-box__note">{t!(i18n, password.note)}</p>
            <p class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || announcement.get()}
            </p>
        </div>
    }
}

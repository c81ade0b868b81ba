//! The "Kommunikationsoptionen" as words and the history of every change, shown to the
//! citizen on `/profil` and to staff on the client record.

use leptos::prelude::*;

use crate::{
    api::staff::OptionChangeView,
    domain::{communication::CommunicationOption, datetime::format_date_time, language::Language},
    ui::translate::*,
};

/// The label and sub-label of an option.
pub fn option_labels(i18n: I18n, option: CommunicationOption) -> (String, String) {
    match option {
        CommunicationOption::EmailNotifications => {
            (t_string!(i18n, profile.email_label).to_string(), t_string!(i18n, profile.email_detail).to_string())
        }
        CommunicationOption::SmsNotifications => {
            (t_string!(i18n, profile.sms_label).to_string(), t_string!(i18n, profile.sms_detail).to_string())
        }
        CommunicationOption::OnlineCommunication => {
            (t_string!(i18n, profile.online_label).to_string(), t_string!(i18n, profile.online_detail).to_string())
        }
    }
}

/// The history of option changes as a table.
#[component]
pub fn OptionHistory(#[prop(into)] history: Signal<Vec<OptionChangeView>>, language: Language) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section" aria-labelledby="verlauf">
            <h2 id="verlauf">{t!(i18n, profile.history_heading)}</h2>
            {move || { let history = history.get(); if history.is_empty() {
                view! { <p>{t!(i18n, profile.history_empty)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="verlauf">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, profile.history_when)}</th>
                                    <th scope="col">{t!(i18n, profile.history_option)}</th>
                                    <th scope="col">{t!(i18n, profile.history_state)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {history
                                    .into_iter()
                                    .map(|change| {
                                        let (label, _) = option_labels(i18n, change.option);
                                        view! {
                                            <tr>
                                                <td>{format_date_time(change.at, language)}</td>
                                                <td>{label}</td>
                                                <td>{if change.enabled { t_string!(i18n, profile.on) } else { t_string!(i18n, profile.off) }}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}}
        </section>
    }
}

//! The staff desk (`/intern/…`): search and create client records, issue activation
//! codes and print their letters. Only for staff of a job centre, who see only their
//! own job centre's clients (the server functions enforce it).

pub mod appointments;
pub mod client;
pub mod desk;
pub mod feedback;
pub mod letter;
pub mod messages;
pub mod new_client;
pub mod postbox;
pub mod print_queue;

use leptos::prelude::*;

use crate::{
    api::staff::{desk_overview, Desk},
    ui::{components::error::ErrorNotice, translate::*},
};

/// Loads the desk (who is signed in, which job centre) and renders `content` for staff;
/// others get a clear refusal.
#[component]
pub fn StaffOnly<V: IntoView + 'static>(content: impl Fn(Desk) -> V + Send + Sync + Clone + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let desk = Resource::new(|| (), |_| desk_overview());
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, site.loading)}</p> }>
            {
                let content = content.clone();
                move || {
                    let content = content.clone();
                    Suspend::new(async move {
                        match desk.await {
                            Ok(desk) => content(desk).into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// The salutation as shown ("Frau", "Herr", or nothing).
pub fn salutation_text(i18n: I18n, salutation: &str) -> String {
    match salutation {
        "frau" => t_string!(i18n, staff.salutation_frau).to_string(),
        "herr" => t_string!(i18n, staff.salutation_herr).to_string(),
        _ => String::new(),
    }
}

//! The frame of every staff page: loads the desk (who is signed in, which job centre)
//! and refuses everyone else; and the salutation as staff pages show it.

use leptos::prelude::*;

use crate::{
    api::staff::{desk_overview, Desk},
    ui::{components::loading::Loaded, translate::*},
};

/// Loads the desk (who is signed in, which job centre) and renders `content` for staff;
/// others get a clear refusal.
#[component]
pub fn StaffOnly<V: IntoView + 'static>(content: impl Fn(Desk) -> V + Send + Sync + Clone + 'static) -> impl IntoView {
    let desk = Resource::new(|| (), |_| desk_overview());
    view! { <Loaded resource=desk content /> }
}

/// The salutation as shown ("Frau", "Herr", or nothing).
pub fn salutation_text(i18n: I18n, salutation: &str) -> String {
    match salutation {
        "frau" => t_string!(i18n, staff.salutation_frau).to_string(),
        "herr" => t_string!(i18n, staff.salutation_herr).to_string(),
        _ => String::new(),
    }
}

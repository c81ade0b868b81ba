//! Page scaffolding: the document title and the single `h1` of a page.

use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the document title ("<page> – <portal>") and renders the page's `h1`.
#[component]
pub fn PageHeading(
    /// The page's name, reactive so it follows the language.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    view! {
        <Title text=move || text.get() />
        <h1 class="page-title">{move || text.get()}</h1>
    }
}

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
        // `try_get`: when a visitor leaves before the server has finished the page, the
        // page is disposed while the title is still read for the discarded response.
        <Title text=move || text.try_get().unwrap_or_default() />
        <h1 class="page-title">{move || text.get()}</h1>
    }
}

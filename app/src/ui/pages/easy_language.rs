//! `/leichte-sprache`: the portal explained in easy language (short sentences, one
//! thought per sentence), as German public-sector sites must offer.

use crate::domain::routes;
use leptos::prelude::*;

use crate::{ui::components::page::PageHeading, ui::translate::*};

/// `/leichte-sprache`
#[component]
pub fn EasyLanguagePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || t_string!(i18n, easy.title).to_string()) />
        <div class="easy-read">
            <p class="lead">{t!(i18n, easy.intro)}</p>
            <section class="section" aria-labelledby="was">
                <h2 id="was">{t!(i18n, easy.what_heading)}</h2>
                <p>{t!(i18n, easy.what_1)}</p>
                <p>{t!(i18n, easy.what_2)}</p>
                <p>{t!(i18n, easy.what_3)}</p>
            </section>
            <section class="section" aria-labelledby="brauchen">
                <h2 id="brauchen">{t!(i18n, easy.need_heading)}</h2>
                <ul class="checklist">
                    <li>{t!(i18n, easy.need_1)}</li>
                    <li>{t!(i18n, easy.need_2)}</li>
                    <li>{t!(i18n, easy.need_3)}</li>
                    <li>{t!(i18n, easy.need_4)}</li>
                </ul>
            </section>
            <section class="section" aria-labelledby="wie">
                <h2 id="wie">{t!(i18n, easy.how_heading)}</h2>
                <ol class="steps">
                    <li>{t!(i18n, easy.how_1)}</li>
                    <li>{t!(i18n, easy.how_2)}</li>
                    <li>{t!(i18n, easy.how_3)}</li>
                    <li>{t!(i18n, easy.how_4)}</li>
                </ol>
                <p><a class="button" href=routes::REGISTER>{t!(i18n, easy.register)}</a></p>
            </section>
            <section class="section" aria-labelledby="hilfe">
                <h2 id="hilfe">{t!(i18n, easy.help_heading)}</h2>
                <p>{t!(i18n, easy.help_1)}</p>
                <p>{t!(i18n, easy.help_2)}</p>
                <p><a href="/">{t!(i18n, easy.start)}</a></p>
            </section>
        </div>
    }
}

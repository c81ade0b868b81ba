//! `/postfach/schreiben`: "Nachricht schreiben" and (`?art=nachweis`) "Nachweis
//! hochladen" — subject, text and up to five PDF, JPEG or PNG files; also the reply form
//! under a conversation. A plain multipart form to `/postfach/senden`, so it works
//! without JavaScript; refused input comes back with what was typed.

use crate::domain::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    domain::postbox::ItemKind,
    ui::{
        components::{
            page::PageHeading,
            postbox::{use_citizen_send_outcome, MessageForm},
        },
        translate::*,
    },
};

/// `/postfach/schreiben`
#[component]
pub fn WritePage() -> impl IntoView {
    let i18n = use_i18n();
    let evidence = use_query_map().with_untracked(|q| q.get("art")).as_deref() == Some("nachweis");
    let outcome = use_citizen_send_outcome();
    let kind = if evidence { ItemKind::Nachweis } else { ItemKind::Nachricht };
    view! {
        <PageHeading text=Signal::derive(move || {
            if evidence { t_string!(i18n, postbox.write_evidence_title) } else { t_string!(i18n, postbox.write_title) }.to_string()
        }) />
        <p class="lead">{move || if evidence { t_string!(i18n, postbox.write_evidence_intro) } else { t_string!(i18n, postbox.write_intro) }}</p>
        <MessageForm kind reply_to=None outcome subject=String::new() />
        <p class="section"><a href=routes::POSTBOX>{t!(i18n, postbox.back)}</a></p>
    }
}


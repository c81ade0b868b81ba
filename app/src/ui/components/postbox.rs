//! Pieces of the Leistungspostfach shared by the citizen's and the staff's pages: the
//! name of a kind, file sizes, a file with its download link, and the message form.

use crate::domain::routes;
use leptos::prelude::*;

use crate::api::flash_form::FlashForm;

use crate::{
    api::postbox::{AttachmentView, CitizenSendOutcome, RefusedItem},
    domain::{
        postbox::{ItemKind, ItemProblem},
        upload::FileProblem,
    },
    ui::{components::form::use_flash, translate::*},
};

/// The name of a kind ("Bescheid").
pub fn kind_label(i18n: I18n, kind: ItemKind) -> String {
    match kind {
        ItemKind::Bescheid => t_string!(i18n, postbox.kind_bescheid),
        ItemKind::Schreiben => t_string!(i18n, postbox.kind_schreiben),
        ItemKind::Nachweis => t_string!(i18n, postbox.kind_nachweis),
        ItemKind::Nachricht => t_string!(i18n, postbox.kind_nachricht),
    }
    .to_string()
}

/// A file size for people ("12 KB", "1,5 MB" in German).
pub fn file_size(i18n: I18n, bytes: i64) -> String {
    let comma = matches!(i18n.0, Locale::de);
    let text = if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    };
    if comma { text.replace('.', ",") } else { text }
}

/// A file with its download link.
#[component]
pub fn Attachment(file: AttachmentView) -> impl IntoView {
    let i18n = use_i18n();
    let size = file_size(i18n, file.size);
    view! {
        <li>
            <a href=routes::file(file.id) download=file.filename.clone() rel="external">
                {t!(i18n, postbox.download, name = file.filename.clone(), size = size)}
            </a>
            <br />
            <span class="field__hint">"SHA-256: "<code class="hash">{file.sha256}</code></span>
        </li>
    }
    .into_any()
}

/// The result of the last "Absenden" (read by the page before anything loads).
pub fn use_citizen_send_outcome() -> Option<CitizenSendOutcome> {
    use_flash::<CitizenSendOutcome>(FlashForm::CitizenSend)
}

/// The citizen's message form (new message, evidence, or reply to `reply_to`).
#[component]
pub fn MessageForm(kind: ItemKind, reply_to: Option<crate::domain::ids::PostboxItemId>, outcome: Option<CitizenSendOutcome>, subject: String) -> impl IntoView {
    let i18n = use_i18n();
    let (problems, file_problem, subject, body) = match outcome {
        Some(CitizenSendOutcome::Refused(RefusedItem { problems, file, subject, body, .. })) => (problems, file, subject, body),
        _ => (Vec::new(), None, subject, String::new()),
    };
    let subject_error = problems.contains(&ItemProblem::Subject).then(|| t_string!(i18n, postbox.error_subject).to_string());
    let text_error = problems.contains(&ItemProblem::Text).then(|| t_string!(i18n, postbox.error_message_text).to_string());
    let file_error = match file_problem {
        Some(FileProblem::Type | FileProblem::PdfOnly) => Some(t_string!(i18n, postbox.error_type).to_string()),
        Some(FileProblem::TooLarge) => Some(t_string!(i18n, postbox.error_too_large).to_string()),
        Some(FileProblem::Empty) => Some(t_string!(i18n, postbox.error_empty).to_string()),
        Some(FileProblem::TooMany) => Some(t_string!(i18n, postbox.error_too_many_files).to_string()),
        None => problems.contains(&ItemProblem::DocumentMissing).then(|| t_string!(i18n, postbox.error_evidence_missing).to_string()),
    };
    let errors: Vec<(&'static str, String)> = [("betreff", subject_error.clone()), ("text", text_error.clone()), ("dateien", file_error.clone())]
        .into_iter()
        .filter_map(|(id, message)| message.map(|m| (id, m)))
        .collect();
    let describe = |id: &str, error: bool| if error { format!("{id}-hint {id}-error") } else { format!("{id}-hint") };
    view! {
        {(!errors.is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2 class="error-summary__title">{t!(i18n, form.error_summary_title)}</h2>
                <ul class="error-summary__list">
                    {errors.into_iter().map(|(id, message)| view! { <li><a href=format!("#{id}")>{message}</a></li> }).collect_view()}
                </ul>
            </div>
        })}
        <form class="form" method="post" enctype="multipart/form-data" action=routes::POSTBOX_SEND>
            <input type="hidden" name="kind" value=kind.as_str() />
            {reply_to.map(|id| view! { <input type="hidden" name="reply_to" value=id.get() /> })}
            <div class="field" class:field--error=subject_error.is_some()>
                <label class="field__label" for="betreff">{t!(i18n, postbox.subject)}" *"</label>
                <p class="field__hint" id="betreff-hint">{t!(i18n, postbox.subject_hint)}</p>
                {subject_error.clone().map(|e| view! { <p class="field__error" id="betreff-error">{e}</p> })}
                <input class="field__input" id="betreff" name="subject" type="text" required maxlength="200" value=subject
                    aria-invalid=subject_error.is_some().then_some("true") aria-describedby=describe("betreff", subject_error.is_some()) />
            </div>
            <div class="field" class:field--error=text_error.is_some()>
                <label class="field__label" for="text">{t!(i18n, postbox.text)}</label>
                <p class="field__hint" id="text-hint">{t!(i18n, postbox.message_text_hint)}</p>
                {text_error.clone().map(|e| view! { <p class="field__error" id="text-error">{e}</p> })}
                // The kept text as escaped markup (a text child would need a hydration
                // marker inside the textarea).
                <textarea class="field__input" id="text" name="body" rows="6" maxlength="10000"
                    inner_html=body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
                    aria-invalid=text_error.is_some().then_some("true") aria-describedby=describe("text", text_error.is_some())></textarea>
            </div>
            <div class="field" class:field--error=file_error.is_some()>
                <label class="field__label" for="dateien">
                    {move || if kind == ItemKind::Nachweis { t_string!(i18n, postbox.files_evidence) } else { t_string!(i18n, postbox.files) }}
                </label>
                <p class="field__hint" id="dateien-hint">{t!(i18n, postbox.files_hint)}</p>
                {file_error.clone().map(|e| view! { <p class="field__error" id="dateien-error">{e}</p> })}
                <input class="field__input" id="dateien" name="files" type="file" multiple
                    accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                    aria-invalid=file_error.is_some().then_some("true") aria-describedby=describe("dateien", file_error.is_some()) />
            </div>
            <button type="submit" class="button">{t!(i18n, postbox.submit)}</button>
        </form>
    }
}

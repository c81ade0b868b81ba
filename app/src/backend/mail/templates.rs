//! The texts of every e-mail, in the account's language (from the locale files),
//! as plain text and HTML. Mails carry no secret except the one link they are for.

use super::Mail;
use crate::{domain::{audit_event::AuditEvent, language::Language}, i18n::*};

fn locale(language: Language) -> Locale {
    language.into()
}

/// A call to action: label and absolute URL.
struct Action<'a> {
    label: String,
    url: &'a str,
}

/// Builds both bodies from paragraphs and an optional link.
fn compose(language: Language, to: &str, subject: String, paragraphs: &[String], action: Option<Action<'_>>, portal: &str) -> Mail {
    let l = locale(language);
    let greeting = td_string!(l, mail.greeting).to_string();
    let closing = td_string!(l, mail.closing, portal = portal).to_string();
    let footer = td_string!(l, mail.footer).to_string();

    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c\">\
         <p>{}</p>",
        language.tag(),
        escape(&greeting)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if let Some(action) = action {
        text.push_str(&format!("{}:\n{}\n\n", action.label, action.url));
        html.push_str(&format!(
            "<p><a href=\"{url}\" style=\"display:inline-block;padding:12px 20px;background:#173f7a;color:#ffffff;text-decoration:none;font-weight:bold\">{label}</a></p>\
             <p style=\"font-size:14px\">{url_text}</p>",
            url = escape(action.url),
            label = escape(&action.label),
            url_text = escape(action.url),
        ));
    }
    text.push_str(&format!("{closing}\n\n-- \n{footer}\n"));
    html.push_str(&format!(
        "<p>{}</p><hr><p style=\"font-size:14px;color:#484949\">{}</p></body></html>",
        escape(&closing).replace('\n', "<br>"),
        escape(&footer)
    ));
    Mail { to: to.to_owned(), subject, text, html }
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// "Bitte bestätigen Sie Ihre E-Mail-Adresse" with the confirmation link.
pub fn confirm_email(language: Language, to: &str, portal: &str, link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.confirm_subject).to_string(),
        &[
            td_string!(l, mail.confirm_body, portal = portal).to_string(),
            td_string!(l, mail.confirm_ignore).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.confirm_action).to_string(), url: link }),
        portal,
    )
}

/// Sent instead of a confirmation when the address already has an account.
pub fn already_registered(language: Language, to: &str, portal: &str, reset_link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.existing_subject).to_string(),
        &[
            td_string!(l, mail.existing_body, portal = portal).to_string(),
            td_string!(l, mail.existing_hint).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.existing_action).to_string(), url: reset_link }),
        portal,
    )
}

/// The account was locked after repeated failed sign-ins.
pub fn account_locked(language: Language, to: &str, portal: &str, minutes: i64, reset_link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.locked_subject).to_string(),
        &[
            td_string!(l, mail.locked_body, portal = portal, minutes = minutes).to_string(),
            td_string!(l, mail.locked_hint).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.reset_action).to_string(), url: reset_link }),
        portal,
    )
}

/// The password-reset link.
pub fn password_reset(language: Language, to: &str, portal: &str, link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.reset_subject).to_string(),
        &[
            td_string!(l, mail.reset_body, portal = portal).to_string(),
            td_string!(l, mail.reset_ignore).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.reset_action).to_string(), url: link }),
        portal,
    )
}

/// Notice after the password was changed.
pub fn password_changed(language: Language, to: &str, portal: &str, reset_link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.changed_subject).to_string(),
        &[
            td_string!(l, mail.changed_body, portal = portal).to_string(),
            td_string!(l, mail.changed_hint).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.reset_action).to_string(), url: reset_link }),
        portal,
    )
}

/// Notice of a change of the security settings, recorded in the security log as
/// `event`; `None` for the events whose owner is not told by mail (sign-ins, failures
/// and the like — security.md "Sessions": sensitive changes send a notification).
pub fn security_notice(language: Language, to: &str, portal: &str, event: AuditEvent, reset_link: &str) -> Option<Mail> {
    let l = locale(language);
    let what = match event {
        AuditEvent::PasskeyAdded => td_string!(l, mail.change_passkey_added),
        AuditEvent::PasskeyRenamed => td_string!(l, mail.change_passkey_renamed),
        AuditEvent::PasskeyRemoved => td_string!(l, mail.change_passkey_removed),
        AuditEvent::TotpEnabled => td_string!(l, mail.change_totp_enabled),
        AuditEvent::TotpRemoved => td_string!(l, mail.change_totp_removed),
        AuditEvent::RecoveryCodesRenewed => td_string!(l, mail.change_recovery_renewed),
        AuditEvent::RecoveryCodeUsed => td_string!(l, mail.change_recovery_used),
        AuditEvent::PasswordChanged => td_string!(l, mail.change_password),
        AuditEvent::SessionEnded | AuditEvent::OtherSessionsEnded => td_string!(l, mail.change_sessions),
        _ => return None,
    };
    Some(compose(
        language,
        to,
        td_string!(l, mail.change_subject).to_string(),
        &[
            td_string!(l, mail.change_body, portal = portal).to_string(),
            what.to_string(),
            td_string!(l, mail.changed_hint).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.reset_action).to_string(), url: reset_link }),
        portal,
    ))
}

/// To the new address: the link that confirms it as the account's new address.
pub fn confirm_new_email(language: Language, to: &str, portal: &str, link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.new_email_subject).to_string(),
        &[
            td_string!(l, mail.new_email_body, portal = portal).to_string(),
            td_string!(l, mail.new_email_ignore).to_string(),
        ],
        Some(Action { label: td_string!(l, mail.new_email_action).to_string(), url: link }),
        portal,
    )
}

/// To the new address when it already belongs to another account (nothing changes).
pub fn new_email_taken(language: Language, to: &str, portal: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.new_email_subject).to_string(),
        &[
            td_string!(l, mail.new_email_taken_body, portal = portal).to_string(),
            td_string!(l, mail.new_email_ignore).to_string(),
        ],
        None,
        portal,
    )
}

/// To the old address: a change was requested (`done == false`) or made.
pub fn email_change_notice(language: Language, to: &str, portal: &str, new_email: &str, done: bool, reset_link: &str) -> Mail {
    let l = locale(language);
    let (subject, body) = if done {
        (td_string!(l, mail.email_changed_subject), td_string!(l, mail.email_changed_body, portal = portal, email = new_email).to_string())
    } else {
        (td_string!(l, mail.email_change_subject), td_string!(l, mail.email_change_body, portal = portal, email = new_email).to_string())
    };
    compose(
        language,
        to,
        subject.to_string(),
        &[body, td_string!(l, mail.changed_hint).to_string()],
        Some(Action { label: td_string!(l, mail.reset_action).to_string(), url: reset_link }),
        portal,
    )
}

/// "Neue Mitteilung in Ihrem Postfach": only the link, never the content.
pub fn new_postbox_item(language: Language, to: &str, portal: &str, link: &str) -> Mail {
    let l = locale(language);
    compose(
        language,
        to,
        td_string!(l, mail.postbox_subject).to_string(),
        &[td_string!(l, mail.postbox_body, portal = portal).to_string()],
        Some(Action { label: td_string!(l, mail.postbox_action).to_string(), url: link }),
        portal,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmation_mail_in_both_languages() {
        let link = "https://portal.example/registrieren/bestaetigen?token=abc";
        let de = confirm_email(Language::De, "a@b.de", "Jobcenter digital", link);
        assert_eq!(de.subject, "Bitte bestätigen Sie Ihre E-Mail-Adresse");
        assert!(de.text.starts_with("Guten Tag,"));
        assert!(de.text.contains(link));
        assert!(de.html.contains(&format!("href=\"{link}\"")));
        assert!(de.html.contains("lang=\"de\""));
        let en = confirm_email(Language::En, "a@b.de", "Jobcenter digital", link);
        assert_eq!(en.subject, "Please confirm your e-mail address");
        assert!(en.text.contains(link));
    }

    #[test]
    fn html_is_escaped() {
        let mail = password_reset(Language::De, "a@b.de", "<Portal & Co>", "https://x.example/?a=1&b=2");
        assert!(mail.html.contains("&lt;Portal &amp; Co&gt;"));
        assert!(mail.html.contains("https://x.example/?a=1&amp;b=2"));
        assert!(!mail.html.contains("<Portal"));
    }
}

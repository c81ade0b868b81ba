//! How text messages leave the system: an HTTP SMS gateway (most providers take a JSON
//! POST with a bearer token), configured by URL, `Authorization` header and a JSON body
//! template; or, in development without a gateway, the local preview (the message
//! stays in the outbox).

use std::time::Duration;

use super::Sms;

/// The default body: `{"to": "+49…", "text": "…"}`.
pub const DEFAULT_BODY_TEMPLATE: &str = r#"{"to": {{to}}, "text": {{text}}}"#;

/// The configured SMS channel.
#[derive(Clone)]
pub enum SmsGateway {
    /// A provider's HTTP API.
    Http {
        /// Connection pool with timeout.
        client: reqwest::Client,
        /// Endpoint (`https://…`).
        url: reqwest::Url,
        /// Sent as `Authorization`, e.g. `Bearer …`.
        authorization: Option<String>,
        /// JSON with the placeholders `{{to}}` and `{{text}}` (each becomes a JSON string).
        body_template: String,
    },
    /// Development: messages are only shown on `/dev/mails`.
    Preview,
}

/// The gateway settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum SmsConfigError {
    /// `SMS_GATEWAY_URL` is not an http(s) URL.
    #[error("SMS_GATEWAY_URL is invalid: {0}")]
    Url(String),
    /// `SMS_GATEWAY_BODY` does not give valid JSON.
    #[error("SMS_GATEWAY_BODY must be JSON containing {{{{to}}}} and {{{{text}}}}: {0}")]
    Template(String),
    /// The HTTP client could not be built.
    #[error("SMS gateway client: {0}")]
    Client(String),
}

impl SmsGateway {
    /// An HTTP gateway; the template is checked once here so a typo fails at start-up.
    pub fn http(
        url: &str,
        authorization: Option<String>,
        body_template: Option<String>,
        timeout: Duration,
    ) -> Result<SmsGateway, SmsConfigError> {
        let url = reqwest::Url::parse(url).map_err(|e| SmsConfigError::Url(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(SmsConfigError::Url("expected http:// or https://".to_owned()));
        }
        let body_template = body_template.unwrap_or_else(|| DEFAULT_BODY_TEMPLATE.to_owned());
        if !body_template.contains("{{to}}") || !body_template.contains("{{text}}") {
            return Err(SmsConfigError::Template("a placeholder is missing".to_owned()));
        }
        serde_json::from_str::<serde_json::Value>(&render(&body_template, "+490000", "test"))
            .map_err(|e| SmsConfigError::Template(e.to_string()))?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SmsConfigError::Client(e.to_string()))?;
        Ok(SmsGateway::Http { client, url, authorization, body_template })
    }

    /// Name recorded in the outbox for a delivered message.
    pub fn via(&self) -> &'static str {
        match self {
            SmsGateway::Http { .. } => "http",
            SmsGateway::Preview => "preview",
        }
    }

    /// Hands one message over with `Idempotency-Key: key` (the outbox entry's delivery
    /// key); `Ok` means the gateway answered with a 2xx status.
    pub async fn deliver(&self, sms: &Sms, key: &str) -> Result<(), String> {
        match self {
            SmsGateway::Preview => Ok(()),
            SmsGateway::Http { client, url, authorization, body_template } => {
                let mut request = client
                    .post(url.clone())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    // The same at every attempt (IETF draft "The Idempotency-Key HTTP Header
                    // Field"): a gateway that honours it sends a repeated message once.
                    .header("Idempotency-Key", key)
                    .body(render(body_template, &sms.to, &sms.text));
                if let Some(value) = authorization {
                    request = request.header(reqwest::header::AUTHORIZATION, value);
                }
                let response = request.send().await.map_err(|e| format!("gateway: {e}"))?;
                let status = response.status();
                if status.is_success() {
                    Ok(())
                } else {
                    Err(format!("gateway answered {status}"))
                }
            }
        }
    }
}

/// The body for one message: the placeholders replaced by JSON strings.
pub fn render(template: &str, to: &str, text: &str) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    template.replace("{{to}}", &quote(to)).replace("{{text}}", &quote(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_json_with_escaped_values() {
        let body = render(DEFAULT_BODY_TEMPLATE, "+4915112345678", "Code \"123\"\nok");
        let value: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(value["to"], "+4915112345678");
        assert_eq!(value["text"], "Code \"123\"\nok");
    }

    #[test]
    fn a_template_without_placeholders_or_not_json_is_refused() {
        let timeout = Duration::from_secs(5);
        assert!(SmsGateway::http("https://sms.example/send", None, Some("{}".into()), timeout).is_err());
        assert!(SmsGateway::http("https://sms.example/send", None, Some("{{to}} {{text}}".into()), timeout).is_err());
        assert!(SmsGateway::http("ftp://sms.example", None, None, timeout).is_err());
        let custom = r#"{"messages": [{"recipient": {{to}}, "body": {{text}}, "sender": "Jobcenter"}]}"#;
        assert!(SmsGateway::http("https://sms.example/send", Some("Bearer x".into()), Some(custom.into()), timeout).is_ok());
    }
}

//! A real HTTP SMS gateway for the tests: accepts JSON POSTs on an ephemeral port,
//! keeps what it received (body and `Authorization` header) and can be told to answer
//! 503 to test retries.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, Mutex,
};

use axum::{extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};

/// One received request.
#[derive(Debug, Clone)]
pub struct ReceivedSms {
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The parsed JSON body.
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<ReceivedSms>>,
    refuse: AtomicBool,
}

/// The running gateway.
pub struct SmsGatewayStub {
    /// `http://127.0.0.1:<port>/send`.
    pub url: String,
    shared: Arc<Shared>,
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> StatusCode {
    if shared.refuse.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let Ok(body) = serde_json::from_str(&body) else { return StatusCode::BAD_REQUEST };
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Ok(mut received) = shared.received.lock() {
        received.push(ReceivedSms { authorization, body });
    }
    StatusCode::ACCEPTED
}

impl SmsGatewayStub {
    /// Starts the gateway on an ephemeral port.
    pub async fn start() -> SmsGatewayStub {
        let shared = Arc::new(Shared::default());
        let router = Router::new().route("/send", post(receive)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind gateway");
        let url = format!("http://{}/send", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        SmsGatewayStub { url, shared }
    }

    /// Answer 503 (`true`) or accept (`false`).
    pub fn refuse(&self, refuse: bool) {
        self.shared.refuse.store(refuse, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn all(&self) -> Vec<ReceivedSms> {
        self.shared.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits (up to 10 s) for the `n`-th message and returns it.
    pub async fn wait_for(&self, n: usize) -> ReceivedSms {
        for _ in 0..200 {
            if let Some(sms) = self.all().get(n - 1) {
                return sms.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("SMS #{n} did not arrive at the gateway");
    }
}

/// The six-digit code in an SMS text.
pub fn code_in(sms: &ReceivedSms) -> String {
    let text = sms.body["message"]["text"].as_str().or_else(|| sms.body["text"].as_str()).unwrap_or_default();
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap_or_else(|| panic!("no code in {text}")).to_owned()
}

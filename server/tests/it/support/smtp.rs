//! A real SMTP server on loopback for the tests (mailin-embedded): it accepts what the
//! portal sends and keeps it, and can be told to refuse mail to test retries.

use std::{
    io,
    net::{IpAddr, TcpListener},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use mailin_embedded::{response, Handler, Response, Server, SslConfig};

/// A received message.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// Envelope recipients.
    pub to: Vec<String>,
    /// The raw message (headers and body as sent).
    pub raw: String,
}

impl ReceivedMail {
    /// The decoded subject line.
    pub fn subject(&self) -> String {
        // Unfold continuation lines of the header block first.
        let headers = self.raw.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ").replace("\r\n\t", " ");
        headers
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .map(decode_header)
            .unwrap_or_default()
    }

    /// The message text with quoted-printable soft line breaks and escapes undone.
    pub fn text(&self) -> String {
        decode_quoted_printable(&self.raw)
    }

    /// The `Message-ID` header, if any.
    pub fn message_id(&self) -> Option<String> {
        let headers = self.raw.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ");
        headers.lines().find_map(|l| l.strip_prefix("Message-ID: ")).map(|v| v.trim().to_owned())
    }

    /// The first link containing `path` in the message.
    pub fn link(&self, path: &str) -> Option<String> {
        let text = self.text();
        text.split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .find(|word| word.starts_with("http") && word.contains(path))
            .map(|s| s.replace("&amp;", "&"))
    }

    /// The `token` query value of the first link containing `path`.
    pub fn token(&self, path: &str) -> Option<String> {
        let link = self.link(path)?;
        link.split_once("token=").map(|(_, t)| t.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
    }
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes an RFC 2047 subject (`=?utf-8?b?…?=` / `=?utf-8?q?…?=` words; whitespace
/// between two encoded words is dropped, other whitespace kept).
fn decode_header(value: &str) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in value.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            base64::engine::general_purpose::STANDARD
                .decode(&word[10..word.len() - 2])
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            Some(decode_quoted_printable(&word[10..word.len() - 2].replace('_', " ")))
        } else {
            None
        };
        let encoded = decoded.is_some();
        if !(out.is_empty() || encoded && previous_encoded) {
            out.push(' ');
        }
        out.push_str(&decoded.unwrap_or_else(|| word.to_owned()));
        previous_encoded = encoded;
    }
    out
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Mutex<Vec<ReceivedMail>>>,
    refuse: Arc<AtomicBool>,
    lose_replies: Arc<AtomicBool>,
    stall: Arc<AtomicBool>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }

    fn rcpt(&mut self, _to: &str) -> Response {
        if self.refuse.load(Ordering::SeqCst) {
            // "451 local error": a temporary failure the sender must retry later.
            return response::INTERNAL_ERROR;
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mail = ReceivedMail { to: self.to.clone(), raw: String::from_utf8_lossy(&self.data).into_owned() };
        if let Ok(mut inbox) = self.inbox.lock() {
            inbox.push(mail);
        }
        if self.stall.load(Ordering::SeqCst) {
            // Kept, and the answer comes only after every sender has given up.
            std::thread::sleep(Duration::from_secs(20));
        }
        if self.lose_replies.load(Ordering::SeqCst) {
            // Kept, but the sender hears of a failure: the window in which a process dies
            // after the hand-over and before recording it. (421 closes the connection; a
            // 451 here leaves the sink's state machine in DATA.)
            return response::NO_SERVICE;
        }
        response::OK
    }
}

/// The sink: a thread serving SMTP on a free loopback port.
#[derive(Clone)]
pub struct SmtpSink {
    /// The port.
    pub port: u16,
    inbox: Arc<Mutex<Vec<ReceivedMail>>>,
    refuse: Arc<AtomicBool>,
    lose_replies: Arc<AtomicBool>,
    stall: Arc<AtomicBool>,
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP sink");
        let port = listener.local_addr().expect("addr").port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(AtomicBool::new(false));
        let lose_replies = Arc::new(AtomicBool::new(false));
        let stall = Arc::new(AtomicBool::new(false));
        let handler = Collector {
            inbox: inbox.clone(),
            refuse: refuse.clone(),
            lose_replies: lose_replies.clone(),
            stall: stall.clone(),
            to: Vec::new(),
            data: Vec::new(),
        };
        std::thread::spawn(move || {
            let mut server = Server::new(handler);
            server.with_name("sink.test").with_num_threads(4).with_tcp_listener(listener);
            if server.with_ssl(SslConfig::None).is_ok() {
                let _ = server.serve();
            }
        });
        SmtpSink { port, inbox, refuse, lose_replies, stall }
    }

    /// `smtp://127.0.0.1:PORT` for `SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Refuse (451) or accept incoming mail.
    pub fn refuse(&self, refuse: bool) {
        self.refuse.store(refuse, Ordering::SeqCst);
    }

    /// Keep incoming mail but answer 451 after it (as if the reply was lost), or not.
    pub fn lose_replies(&self, lose: bool) {
        self.lose_replies.store(lose, Ordering::SeqCst);
    }

    /// Keep incoming mail but answer only 20 s later, or answer at once.
    pub fn stall(&self, stall: bool) {
        self.stall.store(stall, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn all(&self) -> Vec<ReceivedMail> {
        self.inbox.lock().map(|i| i.clone()).unwrap_or_default()
    }

    /// Mails received for `to`.
    pub fn to(&self, to: &str) -> Vec<ReceivedMail> {
        self.all().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to))).collect()
    }

    /// Waits (up to 15 s) for the latest mail to `to` with this subject.
    pub async fn wait_for_subject(&self, to: &str, subject: &str) -> ReceivedMail {
        for _ in 0..150 {
            if let Some(mail) = self.to(to).into_iter().rev().find(|m| m.subject() == subject) {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail {subject:?} for {to}; received: {:?}", self.to(to).iter().map(|m| m.subject()).collect::<Vec<_>>());
    }

    /// Waits (up to 15 s) for the `n`-th mail to `to` and returns it.
    pub async fn wait_for(&self, to: &str, n: usize) -> ReceivedMail {
        for _ in 0..150 {
            let mails = self.to(to);
            if mails.len() >= n {
                return mails[n - 1].clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no mail #{n} for {to} arrived; received: {:?}", self.all().iter().map(|m| (m.to.clone(), m.subject())).collect::<Vec<_>>());
    }
}

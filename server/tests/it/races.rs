//! Limits and single-use rules under parallel attack, on SQLite and PostgreSQL, with two
//! server instances on one database: every limiter is hammered with at least 50
//! parallel requests and the right secret after the limit, which must be refused; the
//! security log shows how many secrets were really checked, and that is never more
//! than the limit. (security.md "Sign-in", issue "atomic limits".)
//!
//! Every burst goes to two portal instances on the same database, alternating, the way
//! a load balancer spreads an attacker's requests.

use std::time::Duration;

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use crate::support::{
    desk::{audit_count, new_client, staff_of},
    sms_gateway::SmsGatewayStub,
    Answer, Backend, TestApp, PASSWORD,
};

on_both_databases!(
    a_burst_of_wrong_codes_then_the_right_one_is_refused,
    fifty_parallel_codes_check_at_most_the_limit,
    a_burst_of_wrong_passwords_then_the_right_one_is_refused,
    a_burst_from_one_source_address_checks_at_most_its_limit,
    reauthentication_shares_the_code_limit,
    password_checks_outside_sign_in_share_the_sign_in_limit,
    activation_code_bursts_check_at_most_the_limit,
    parallel_sms_codes_are_at_most_three_an_hour,
    parallel_removal_of_the_last_two_factors_leaves_one,
    mail_requests_are_capped_per_address_and_source,
    parallel_codes_and_links_leave_one_valid,
    typed_sms_codes_and_feedback_hold_their_limits,
    a_success_inside_a_burst_does_not_reopen_the_limit,
    what_visitors_type_cannot_grow_the_limits_table,
);

/// Two portal instances on one fresh database (the second shares the first's SMTP sink).
struct Pair {
    first: TestApp,
    second: TestApp,
}

impl Pair {
    async fn spawn(backend: Backend, extra: &[(&str, &str)]) -> Pair {
        let first = TestApp::spawn_with(backend, extra).await;
        let second = TestApp::spawn_on(&first.database_url, first.smtp.clone(), extra, None).await;
        // One clock for both, so time moves for both instances at once.
        second.clock.advance(first.clock.now() - second.clock.now());
        Pair { first, second }
    }

    /// The instance for the `i`-th request of a burst.
    fn pick(&self, i: usize) -> &TestApp {
        if i.is_multiple_of(2) {
            &self.first
        } else {
            &self.second
        }
    }

    async fn stop(self) {
        self.second.stop().await;
        self.first.stop().await;
    }
}

/// Calls `endpoint` `n` times at once, spread over both instances.
async fn burst(pair: &Pair, n: usize, endpoint: &str, form: Vec<(String, String)>, cookie: Option<&str>) -> Vec<Answer> {
    let calls = (0..n).map(|i| {
        let form = form.clone();
        async move {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            pair.pick(i).call(endpoint, &fields, cookie).await
        }
    });
    join_all(calls).await
}

fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A six-digit code that is none of the codes valid around `now`.
fn wrong_code(app: &TestApp, address: &str) -> String {
    let secret = app.totp_secrets.lock().ok().and_then(|m| m.get(address).cloned()).expect("secret");
    let now = app.clock.now();
    let valid: Vec<String> =
        [-30, 0, 30, 60].iter().filter_map(|d| app::backend::mfa::totp::code_at(&secret, now + d)).collect();
    (0..1000).map(|n| format!("{:06}", 123_456 + n)).find(|c| !valid.contains(c)).expect("a wrong code")
}

/// Signs in with the password only (second step pending); returns the cookie.
async fn password_only(app: &TestApp, address: &str) -> String {
    let answer = app.call("auth/sign-in", &[("email", address), ("password", PASSWORD)], None).await;
    assert!(answer.json["SignedIn"].is_object(), "password accepted: {}", answer.body);
    format!("session={}", answer.cookie("session").expect("cookie"))
}

/// The flyer's journey up to a full sign-in with an authenticator app, then a fresh
/// half-signed-in session (second step pending).
async fn pending_second_step(pair: &Pair, name: &str) -> (String, String) {
    let app = &pair.first;
    let address = app.registered(name).await;
    app.full_sign_in(&address, PASSWORD).await;
    let cookie = password_only(app, &address).await;
    // The second instance computes codes from the same secret.
    let secret = app.totp_secrets.lock().ok().and_then(|m| m.get(&address).cloned()).expect("secret");
    pair.second.totp_secrets.lock().expect("lock").insert(address.clone(), secret);
    (address, cookie)
}

async fn a_burst_of_wrong_codes_then_the_right_one_is_refused(backend: Backend) {
    // Issue input 1, with the production delay growth (each further check waits longer).
    let pair = Pair::spawn(backend, &[("LOGIN_DELAY_BASE_MS", "300")]).await;
    let (address, cookie) = pending_second_step(&pair, "burst").await;
    let wrong = wrong_code(&pair.first, &address);
    let code_form = |code: &str| form(&[("method", "totp"), ("code", code)]);
    for _ in 0..3 {
        let answer = pair.first.call("mfa/second-factor", &[("method", "totp"), ("code", &wrong)], Some(&cookie)).await;
        assert_eq!(answer.json, json!("Wrong"));
    }
    let checked_before = audit_count(&pair.first, "second_factor_failed").await;
    assert_eq!(checked_before, 3);
    let attack = burst(&pair, 20, "mfa/second-factor", code_form(&wrong), Some(&cookie));
    let right = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let code = pair.first.next_totp_code(&address);
        pair.second.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await
    };
    let (answers, right) = tokio::join!(attack, right);
    assert_eq!(right.json, json!("Wrong"), "the 24th code in a window of 10 must be refused: {}", right.body);
    assert!(right.cookie("session").is_none(), "no session for the refused code");
    assert!(answers.iter().all(|a| a.json == json!("Wrong")));
    // Ten codes at most were checked: 3 before, at most 7 of the burst, none after.
    let checked = audit_count(&pair.first, "second_factor_failed").await + audit_count(&pair.first, "signed_in").await;
    assert!(checked <= 10 + 1, "checked {checked} codes (the enrolment sign-in counts one)");
    assert_eq!(audit_count(&pair.first, "second_factor_failed").await, 10);
    assert!(audit_count(&pair.first, "second_factor_refused").await >= 14);
    // The session is still at the second step, and the owner was told about the lock.
    assert_eq!(pair.first.page("/konto", Some(&cookie)).await.status, StatusCode::SEE_OTHER);
    pair.first.smtp.wait_for_subject(&address, "Ihr Konto wurde vorübergehend gesperrt").await;
    assert_eq!(audit_count(&pair.first, "account_locked").await, 1, "locked once, mailed once");
    pair.stop().await;
}

async fn fifty_parallel_codes_check_at_most_the_limit(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    let (address, cookie) = pending_second_step(&pair, "fuenfzig").await;
    let wrong = wrong_code(&pair.first, &address);
    let answers = burst(&pair, 50, "mfa/second-factor", form(&[("method", "recovery"), ("code", "AAAAA-AAAAA")]), Some(&cookie));
    let attack_totp = burst(&pair, 10, "mfa/second-factor", form(&[("method", "totp"), ("code", &wrong)]), Some(&cookie));
    let (answers, more) = tokio::join!(answers, attack_totp);
    assert!(answers.iter().chain(more.iter()).all(|a| a.json == json!("Wrong")));
    let code = pair.first.next_totp_code(&address);
    let right = pair.second.call("mfa/second-factor", &[("method", "totp"), ("code", &code)], Some(&cookie)).await;
    assert_eq!(right.json, json!("Wrong"), "after the limit even the right code is refused");
    assert_eq!(audit_count(&pair.first, "second_factor_failed").await, 10, "exactly the limit was checked");
    pair.stop().await;
}

async fn a_burst_of_wrong_passwords_then_the_right_one_is_refused(backend: Backend) {
    // Issue input 2: 15 wrong passwords at once, the right one 300 ms later.
    let pair = Pair::spawn(backend, &[("LOGIN_DELAY_BASE_MS", "300")]).await;
    let address = pair.first.registered("passwort").await;
    let attack = burst(&pair, 15, "auth/sign-in", form(&[("email", &address), ("password", "Wrong#Password1")]), None);
    let right = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        pair.second.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await
    };
    let (answers, right) = tokio::join!(attack, right);
    assert_eq!(right.json["Rejected"]["problem"], json!("WrongCredentials"), "{}", right.body);
    assert!(right.cookie("session").is_none());
    assert!(answers.iter().all(|a| a.json["Rejected"]["problem"] == json!("WrongCredentials")));
    assert_eq!(audit_count(&pair.first, "sign_in_failed").await, 10, "the limit, no more");
    assert_eq!(audit_count(&pair.first, "password_accepted").await, 0);
    // 50 more at once with the right password among them: none gets through.
    let mut answers = burst(&pair, 49, "auth/sign-in", form(&[("email", &address), ("password", "Wrong#Password1")]), None).await;
    answers.push(pair.second.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await);
    assert!(answers.iter().all(|a| a.json["SignedIn"].is_null()));
    assert_eq!(audit_count(&pair.first, "sign_in_failed").await, 10, "refused requests check nothing");
    assert_eq!(audit_count(&pair.first, "sign_in_refused").await, 5 + 1 + 50);
    // The lock ends by itself; then the owner gets in.
    pair.first.clock.advance(15 * 60 + 1);
    pair.second.clock.advance(15 * 60 + 1);
    let answer = pair.second.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    assert!(answer.json["SignedIn"].is_object(), "{}", answer.body);
    pair.stop().await;
}

async fn a_burst_from_one_source_address_checks_at_most_its_limit(backend: Backend) {
    let pair = Pair::spawn(backend, &[("LOGIN_LOCK_ADDRESS_AFTER", "20")]).await;
    let address = pair.first.registered("quelle").await;
    // 60 guesses at 60 addresses from one source, at once.
    let calls = (0..60).map(|i| {
        let guess = format!("guess{i}@example.org");
        let pair = &pair;
        async move { pair.pick(i).call("auth/sign-in", &[("email", &guess), ("password", "Wrong#Password1")], None).await }
    });
    join_all(calls).await;
    assert_eq!(audit_count(&pair.first, "sign_in_failed").await, 20, "at most the source address's limit");
    let right = pair.second.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    assert_eq!(right.json["Rejected"]["problem"], json!("WrongCredentials"));
    // Successful sign-ins give their attempt back: people behind one office address
    // who know their password never lock each other out.
    let pair = {
        pair.stop().await;
        Pair::spawn(backend, &[("LOGIN_LOCK_ADDRESS_AFTER", "5")]).await
    };
    let address = pair.first.registered("buero").await;
    for i in 0..12 {
        let answer = pair.pick(i).call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
        assert!(answer.json["SignedIn"].is_object(), "sign-in {i}: {}", answer.body);
    }
    pair.stop().await;
}

async fn reauthentication_shares_the_code_limit(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    let address = pair.first.registered("nachweis").await;
    let cookie = pair.first.full_sign_in(&address, PASSWORD).await;
    let secret = pair.first.totp_secrets.lock().ok().and_then(|m| m.get(&address).cloned()).expect("secret");
    pair.second.totp_secrets.lock().expect("lock").insert(address.clone(), secret);
    let wrong = wrong_code(&pair.first, &address);
    let answers = burst(&pair, 50, "mfa/reauthenticate", form(&[("method", "totp"), ("code", &wrong)]), Some(&cookie)).await;
    assert!(answers.iter().all(|a| a.json == json!("Wrong")));
    let code = pair.first.next_totp_code(&address);
    let right = pair.second.call("mfa/reauthenticate", &[("method", "totp"), ("code", &code)], Some(&cookie)).await;
    assert_eq!(right.json, json!("Wrong"));
    assert_eq!(audit_count(&pair.first, "second_factor_failed").await, 10);
    assert_eq!(audit_count(&pair.first, "reauthenticated").await, 0);
    pair.stop().await;
}

async fn password_checks_outside_sign_in_share_the_sign_in_limit(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    let address = pair.first.registered("zugang").await;
    let cookie = pair.first.full_sign_in(&address, PASSWORD).await;
    // E-mail change, password change and account closure each check the password.
    let wrong = "Wrong#Password1";
    let email = burst(&pair, 20, "account/email", form(&[("email", "neu@example.org"), ("password", wrong)]), Some(&cookie));
    let change = burst(
        &pair,
        20,
        "security/change-password",
        form(&[("current", wrong), ("password", "Neu#Passwort2026"), ("password_repeat", "Neu#Passwort2026")]),
        Some(&cookie),
    );
    let close = burst(&pair, 20, "auth/withdraw-consent", form(&[("password", wrong)]), Some(&cookie));
    let (email, change, close) = tokio::join!(email, change, close);
    assert!(email.iter().all(|a| a.json["WrongPassword"].is_object()), "{:?}", email.iter().map(|a| &a.body).collect::<Vec<_>>());
    assert!(change.iter().all(|a| a.json == json!("WrongPassword")));
    assert!(close.iter().all(|a| a.json == json!("WrongPassword")));
    // Now even the right password is refused everywhere, and sign-in is locked too.
    let right = pair.second.call("account/email", &[("email", "neu@example.org"), ("password", PASSWORD)], Some(&cookie)).await;
    assert!(right.json["WrongPassword"].is_object(), "{}", right.body);
    let right = pair.second.call("auth/withdraw-consent", &[("password", PASSWORD)], Some(&cookie)).await;
    assert_eq!(right.json, json!("WrongPassword"));
    let sign_in = pair.first.call("auth/sign-in", &[("email", &address), ("password", PASSWORD)], None).await;
    assert_eq!(sign_in.json["Rejected"]["problem"], json!("WrongCredentials"));
    assert_eq!(audit_count(&pair.first, "password_check_failed").await, 10, "every failed check is logged, at most the limit");
    assert!(pair.first.smtp.to("neu@example.org").is_empty());
    pair.stop().await;
}

/// A citizen signed in fully, a client record with a fresh activation code; returns
/// (cookie, code).
async fn citizen_and_code(app: &TestApp, name: &str) -> (String, String) {
    let desk = staff_of(app, &format!("Jobcenter {name}")).await;
    let client = new_client(app, &desk, &format!("K-{name}"), "").await.to_string();
    let code = crate::support::desk::issue_code(app, &desk, &client, "30").await;
    let address = app.registered(name).await;
    (app.full_sign_in(&address, PASSWORD).await, code)
}

async fn activation_code_bursts_check_at_most_the_limit(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    let (cookie, code) = citizen_and_code(&pair.first, "freischalt").await;
    let answers = burst(&pair, 50, "profile/redeem", form(&[("code", "HET2-2X8A-UXAS")]), Some(&cookie)).await;
    assert!(answers.iter().all(|a| a.json["Refused"].is_object()), "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    let right = pair.second.call("profile/redeem", &[("code", &code)], Some(&cookie)).await;
    assert!(right.json["Refused"]["refusal"]["Locked"].is_i64(), "{}", right.body);
    assert_eq!(audit_count(&pair.first, "activation_code_rejected").await, 5, "five wrong codes per account and hour");
    assert_eq!(audit_count(&pair.first, "activation_code_redeemed").await, 0);
    pair.stop().await;
}

async fn parallel_sms_codes_are_at_most_three_an_hour(backend: Backend) {
    let gateway = SmsGatewayStub::start().await;
    let pair = Pair::spawn(backend, &[("SMS_GATEWAY_URL", gateway.url.as_str())]).await;
    let (cookie, code) = citizen_and_code(&pair.first, "handy").await;
    assert_eq!(pair.first.call("profile/redeem", &[("code", &code)], Some(&cookie)).await.json, json!("Activated"));
    // The unlock gave the session a new id; look it up again.
    let cookie = {
        let address = "handy@example.org";
        pair.first.full_sign_in(address, PASSWORD).await
    };
    let answers = burst(&pair, 50, "profile/mobile/send", form(&[("mobile", "0151 2345 6789")]), Some(&cookie)).await;
    let sent = answers.iter().filter(|a| a.json["CodeSent"].is_object()).count();
    let refused = answers.iter().filter(|a| a.json["TooManyCodes"]["until"].is_i64()).count();
    assert_eq!((sent, refused), (3, 47), "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    assert_eq!(audit_count(&pair.first, "mobile_code_sent").await, 3);
    let outbox: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE channel = 'sms'").fetch_one(pair.first.state.db.pool()).await.expect("count"),
        "n",
    );
    assert_eq!(outbox, 3, "three SMS, no more");
    pair.stop().await;
}

async fn parallel_removal_of_the_last_two_factors_leaves_one(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    let address = pair.first.registered("faktoren").await;
    let cookie = pair.first.full_sign_in(&address, PASSWORD).await;
    // A second factor: a passkey row as the registration stores it (its content does
    // not matter for removal).
    let id = pair.first.account_id(&address).await;
    let passkey: i64 = sqlx::Row::get(
        &sqlx::query(
            "INSERT INTO passkeys (account_id, credential_id, passkey, name, created_at) VALUES ($1, 'race', '{}', 'Laptop', $2) RETURNING id",
        )
        .bind(id)
        .bind(pair.first.clock.now())
        .fetch_one(pair.first.state.db.pool())
        .await
        .expect("passkey"),
        "id",
    );
    let passkey = passkey.to_string();
    let calls = (0..50usize).map(|i| {
        let (pair, cookie, passkey) = (&pair, &cookie, &passkey);
        async move {
            if i.is_multiple_of(2) {
                pair.pick(i).call("security/remove-totp", &[], Some(cookie)).await
            } else {
                pair.pick(i).call("security/remove-passkey", &[("id", passkey)], Some(cookie)).await
            }
        }
    });
    let answers = join_all(calls).await;
    let done = answers.iter().filter(|a| a.json == json!("Done")).count();
    assert_eq!(done, 1, "exactly one removal: {:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    let factors = app::backend::mfa::factors(&pair.first.state.db, id).await.expect("factors");
    assert_eq!(factors.count(), 1, "one factor left: {factors:?}");
    pair.stop().await;
}

async fn mail_requests_are_capped_per_address_and_source(backend: Backend) {
    let pair = Pair::spawn(backend, &[("MAIL_LIMIT_PER_SOURCE_HOUR", "20")]).await;
    let address = pair.first.registered("postflut").await;
    let before = pair.first.smtp.to(&address).len();
    // 50 reset requests at once: the same answer for each, three mails an hour at most.
    let answers = burst(&pair, 50, "auth/request-password-reset", form(&[("email", &address)]), None).await;
    assert!(answers.iter().all(|a| a.json == json!({"Sent": {"email": address}})));
    // Registration and new confirmation links for the same address count too.
    let register = form(&[
        ("email", &address),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
        ("accept_terms", "on"),
        ("consent_email", "on"),
    ]);
    let answers = burst(&pair, 10, "auth/register", register, None).await;
    assert!(answers.iter().all(|a| a.json == json!({"Registered": {"email": address}})));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = pair.first.smtp.to(&address).len() - before;
    let queued: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE recipient = $1").bind(&address).fetch_one(pair.first.state.db.pool()).await.expect("n"),
        "n",
    );
    assert_eq!(queued, 1 + 3, "the confirmation mail (a new account's, not capped) and three more: {mails} arrived");
    assert_eq!(audit_count(&pair.first, "mail_capped").await, 47 + 10);
    // An hour later the address may get mail again.
    pair.first.clock.advance(3601);
    pair.second.clock.advance(3601);
    pair.first.call("auth/request-password-reset", &[("email", &address)], None).await;
    let queued_after: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE recipient = $1").bind(&address).fetch_one(pair.first.state.db.pool()).await.expect("n"),
        "n",
    );
    assert_eq!(queued_after, 5);
    // One source asking for many addresses is capped too (the per-source limit).
    let calls = (0..60).map(|i| {
        let guess = format!("reihe{i}@example.org");
        let pair = &pair;
        async move { pair.pick(i).call("auth/register", &[("email", &guess), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")], None).await }
    });
    let answers = join_all(calls).await;
    assert!(answers.iter().all(|a| a.json["Registered"].is_object()));
    let confirmations: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE recipient LIKE 'reihe%'").fetch_one(pair.first.state.db.pool()).await.expect("n"),
        "n",
    );
    assert!((10..=20).contains(&confirmations), "{confirmations} mails from one source (cap 20)");
    pair.stop().await;
}

async fn parallel_codes_and_links_leave_one_valid(backend: Backend) {
    let pair = Pair::spawn(backend, &[]).await;
    // Two staff members issue a code for the same client at the same moment.
    let desk = staff_of(&pair.first, "Jobcenter Doppelt").await;
    let client = new_client(&pair.first, &desk, "K-doppelt", "").await.to_string();
    let answers = burst(&pair, 20, "staff/issue-code", form(&[("client_id", &client), ("valid_days", "30")]), Some(&desk)).await;
    let refused: Vec<&String> = answers.iter().filter(|a| !a.json["Issued"].is_object()).map(|a| &a.body).collect();
    assert!(refused.is_empty(), "{refused:?}");
    let active: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM activation_codes WHERE client_id = $1 AND revoked_at IS NULL AND redeemed_at IS NULL")
            .bind(client.parse::<i64>().expect("id"))
            .fetch_one(pair.first.state.db.pool())
            .await
            .expect("n"),
        "n",
    );
    assert_eq!(active, 1, "one active code per client");
    // Reset links asked for at once: only the newest stays valid.
    let address = pair.first.registered("doppelklick").await;
    burst(&pair, 3, "auth/request-password-reset", form(&[("email", &address)]), None).await;
    let outstanding: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM account_tokens WHERE purpose = 'reset_password' AND used_at IS NULL AND voided_at IS NULL")
            .fetch_one(pair.first.state.db.pool())
            .await
            .expect("n"),
        "n",
    );
    assert_eq!(outstanding, 1, "one reset link valid");
    pair.stop().await;
}

async fn typed_sms_codes_and_feedback_hold_their_limits(backend: Backend) {
    let gateway = SmsGatewayStub::start().await;
    let pair = Pair::spawn(backend, &[("SMS_GATEWAY_URL", gateway.url.as_str())]).await;
    let (cookie, code) = citizen_and_code(&pair.first, "tippen").await;
    assert_eq!(pair.first.call("profile/redeem", &[("code", &code)], Some(&cookie)).await.json, json!("Activated"));
    let cookie = pair.first.full_sign_in("tippen@example.org", PASSWORD).await;
    assert!(pair.first.call("profile/mobile/send", &[("mobile", "0151 2345 6789")], Some(&cookie)).await.json["CodeSent"].is_object());
    let right = crate::support::sms_gateway::code_in(&gateway.wait_for(1).await);
    let wrong = if right == "000000" { "111111" } else { "000000" };
    // 50 guesses at once: five tries, then the code is used up — also for the right one.
    let answers = burst(&pair, 50, "profile/mobile/confirm", form(&[("code", wrong)]), Some(&cookie)).await;
    let wrong_left = answers.iter().filter(|a| a.json["Refused"]["Wrong"].is_i64()).count();
    let used_up = answers.iter().filter(|a| a.json["Refused"] == json!("TriesUsedUp")).count();
    assert_eq!((wrong_left, used_up), (4, 46), "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    let late = pair.second.call("profile/mobile/confirm", &[("code", &right)], Some(&cookie)).await;
    assert_eq!(late.json, json!({"Refused": "TriesUsedUp"}));
    assert_eq!(pair.first.call("profile/mine", &[], Some(&cookie)).await.json["sms_mobile"], serde_json::Value::Null);
    // Accessibility feedback: 50 at once from one source address, 20 an hour are kept.
    let feedback = form(&[("message", "Der Kontrast ist zu schwach."), ("page", "/"), ("name", ""), ("email", "")]);
    let answers = burst(&pair, 50, "feedback/send", feedback, None).await;
    let received = answers.iter().filter(|a| a.json == json!("Received")).count();
    assert_eq!(received, 20, "{:?}", answers.iter().map(|a| &a.body).collect::<Vec<_>>());
    let stored: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM accessibility_feedback").fetch_one(pair.first.state.db.pool()).await.expect("n"),
        "n",
    );
    assert_eq!(stored, 20);
    pair.stop().await;
}

async fn a_success_inside_a_burst_does_not_reopen_the_limit(backend: Backend) {
    // The owner signs in while the attack runs: the wrong guesses still stop at ten.
    let pair = Pair::spawn(backend, &[]).await;
    let address = pair.first.registered("mitten").await;
    let calls = (0..80usize).map(|i| {
        let (pair, address) = (&pair, &address);
        async move {
            let password = if i < 4 { PASSWORD } else { "Wrong#Password1" };
            pair.pick(i).call("auth/sign-in", &[("email", address), ("password", password)], None).await
        }
    });
    join_all(calls).await;
    // At most ten (right ones in flight hold a place until they give it back).
    let failed = audit_count(&pair.first, "sign_in_failed").await;
    assert!((6..=10).contains(&failed), "{failed} wrong passwords checked");
    // The same for the second factor with right codes early in the burst.
    let address = pair.first.registered("mitten2").await;
    pair.first.full_sign_in(&address, PASSWORD).await;
    let secret = pair.first.totp_secrets.lock().ok().and_then(|m| m.get(&address).cloned()).expect("secret");
    let wrong = wrong_code(&pair.first, &address);
    let mut cookies = Vec::new();
    for _ in 0..4 {
        cookies.push(password_only(&pair.first, &address).await);
    }
    let now = pair.first.clock.now() + 31;
    pair.first.clock.advance(31);
    pair.second.clock.advance(31);
    let right = app::backend::mfa::totp::code_at(&secret, now).expect("code");
    let calls = (0..80usize).map(|i| {
        let (pair, cookies, right, wrong) = (&pair, &cookies, &right, &wrong);
        async move {
            let code = if i < 4 { right.as_str() } else { wrong.as_str() };
            pair.pick(i).call("mfa/second-factor", &[("method", "totp"), ("code", code)], Some(&cookies[i % 4])).await
        }
    });
    join_all(calls).await;
    let failed = audit_count(&pair.first, "second_factor_failed").await;
    assert!((6..=10).contains(&failed), "{failed} wrong codes checked");
    pair.stop().await;
}

async fn what_visitors_type_cannot_grow_the_limits_table(backend: Backend) {
    let pair = Pair::spawn(backend, &[("LOGIN_LOCK_ADDRESS_AFTER", "5")]).await;
    // Sign-ins with huge made-up addresses: the keys keep a fixed length.
    let junk: Vec<String> = (0..8).map(|i| format!("{i}{}", "x".repeat(100_000))).collect();
    for (i, address) in junk.iter().enumerate() {
        pair.pick(i).call("auth/sign-in", &[("email", address), ("password", "Wrong#Password1")], None).await;
    }
    let longest: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COALESCE(MAX(LENGTH(key)), 0) AS n FROM attempt_limits").fetch_one(pair.first.state.db.pool()).await.expect("n"),
        "n",
    );
    assert!(longest <= 100, "keys of fixed length, longest {longest}");
    // Once the source is locked, new made-up accounts add no rows.
    let rows = || async {
        let n: i64 = sqlx::Row::get(
            &sqlx::query("SELECT COUNT(*) AS n FROM attempt_limits").fetch_one(pair.first.state.db.pool()).await.expect("n"),
            "n",
        );
        n
    };
    let before = rows().await;
    for i in 0..20 {
        pair.first.call("auth/sign-in", &[("email", &format!("neu{i}@example.org")), ("password", "Wrong#Password1")], None).await;
    }
    assert_eq!(rows().await, before, "a refused source leaves nothing behind");
    // Old rows go away.
    pair.first.clock.advance(3 * 3600);
    let deleted = app::backend::throttle::purge(&pair.first.state.db, pair.first.clock.now()).await.expect("purge");
    assert!(deleted >= before as u64, "{deleted} of {before} rows purged");
    assert_eq!(rows().await, 0);
    pair.stop().await;
}

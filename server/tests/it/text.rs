//! Text as people type it, on SQLite and PostgreSQL: German names found whatever the
//! case and accents, one account per mailbox however its domain is written, and no
//! single-line field that adds a line or turns text around.

use reqwest::{header, multipart};
use serde_json::json;
use crate::support::{desk::staff_of, Backend, TestApp, PASSWORD};

on_both_databases!(
    names_are_found_whatever_the_case_and_accents,
    both_ways_of_searching_find_the_same,
    one_mailbox_is_one_account,
    single_line_fields_stay_single_lines,
);

async fn create(app: &TestApp, desk: &str, number: &str, given: &str, family: &str) {
    let answer = app
        .call(
            "staff/create-client",
            &[
                ("customer_number", number),
                ("salutation", "frau"),
                ("given_name", given),
                ("family_name", family),
                ("birth_date", "1984-08-12"),
                ("street", "Heidestraße 17"),
                ("postcode", "12345"),
                ("city", "Musterstadt"),
                ("mobile", ""),
            ],
            Some(desk),
        )
        .await;
    assert!(answer.json["Created"].is_object(), "{}", answer.body);
}

async fn found(app: &TestApp, desk: &str, query: &str) -> Vec<String> {
    let answer = app.call("staff/search", &[("query", query)], Some(desk)).await;
    answer.json.as_array().unwrap_or_else(|| panic!("{}", answer.body)).iter().map(|c| format!("{} {}", c["record"]["given_name"].as_str().unwrap_or_default(), c["record"]["family_name"].as_str().unwrap_or_default())).collect()
}

async fn names_are_found_whatever_the_case_and_accents(backend: Backend) {
    // Issue input 4: on SQLite only ASCII letters were case-folded.
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Suche").await;
    create(&app, &desk, "K-1", "Ayşe", "Öztürk").await;
    create(&app, &desk, "K-2", "Emre", "Ünal").await;
    create(&app, &desk, "K-3", "Hans", "ÄRZTE-Müller").await;
    create(&app, &desk, "K-4", "Erika", "Straße").await;
    for (query, name) in [
        ("Öztürk", "Ayşe Öztürk"),
        ("öztürk", "Ayşe Öztürk"),
        ("OZTURK", "Ayşe Öztürk"),
        ("ayse", "Ayşe Öztürk"),
        ("Ünal", "Emre Ünal"),
        ("ünal", "Emre Ünal"),
        ("ärzte-müller", "Hans ÄRZTE-Müller"),
        ("Ärzte Müller", "Hans ÄRZTE-Müller"),
        ("mueller", "Hans ÄRZTE-Müller"),
        ("strasse", "Erika Straße"),
        ("k-3", "Hans ÄRZTE-Müller"),
    ] {
        assert_eq!(found(&app, &desk, query).await, vec![name.to_owned()], "{query}");
    }
    assert!(found(&app, &desk, "Meier").await.is_empty());
    // Word beginnings, not any part of a word.
    assert_eq!(found(&app, &desk, "Mül").await, vec!["Hans ÄRZTE-Müller".to_owned()]);
    assert!(found(&app, &desk, "ller").await.is_empty(), "a word's middle is not a beginning");
    assert_eq!(found(&app, &desk, "").await.len(), 4, "an empty search lists every record");
    // Wildcards typed into the search are plain text.
    assert!(found(&app, &desk, "%").await.len() == 4 && found(&app, &desk, "_").await.len() == 4);
    app.stop().await;
}

async fn both_ways_of_searching_find_the_same(backend: Backend) {
    // A rare query reads the word index, a common one walks the records in name order
    // (clients::SELECTIVE decides). Both must answer what the rule says — records whose
    // search form has the query at a word beginning, by family name, given name and id, at
    // most a page — so every query runs both ways here, over more records than one step
    // of the walk reads.
    use app::backend::clients;
    let app = TestApp::spawn(backend).await;
    staff_of(&app, "Jobcenter Viele").await;
    let centre = app::domain::ids::JobCentreId(
        sqlx::query_scalar::<_, i64>("SELECT id FROM job_centres WHERE name = 'Jobcenter Viele'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("centre"),
    );
    let total = 3 * clients::WALK_BATCH + 150;
    let mut records = Vec::new();
    for i in 0..total {
        let record = app::domain::client_record::ClientRecord {
            customer_number: format!("V{i}"),
            salutation: "keine".into(),
            given_name: format!("Anna{}", i % 7),
            family_name: if i % 500 == 0 { format!("Müller{}", i % 11) } else { format!("Nachname{}", (i * 7919) % 3001) },
            birth_date: "1980-01-01".into(),
            street: "Weg 1".into(),
            postcode: "12345".into(),
            city: "Stadt".into(),
            mobile: None,
        };
        let id = clients::create(&app.state.db, centre, &record, 0).await.expect("create");
        records.push((id, record));
    }
    search_both_ways(&app, centre, &records).await;
    // A query of 50,000 characters counts with its first 100 (no huge statements).
    let long = clients::search(&app.state.db, centre, &"anna3 ".repeat(10_000)).await.expect("a long query");
    assert!(long.is_empty(), "no record has \"anna3\" sixteen times");
    // Records stored before the word index (or under an older folding) get it at start.
    for sql in ["UPDATE clients SET search_version = 0, search_key = ''", "DELETE FROM client_search_words"] {
        sqlx::query(sql).execute(app.state.db.pool()).await.expect("forget the index");
    }
    assert!(clients::refresh_search_keys(&app.state.db).await.expect("refresh") >= total as u64);
    assert_eq!(clients::refresh_search_keys(&app.state.db).await.expect("refresh"), 0, "once");
    search_both_ways(&app, centre, &records).await;
    app.stop().await;
}

/// Every query, both ways and with the real threshold, against the rule applied here.
async fn search_both_ways(
    app: &TestApp,
    centre: app::domain::ids::JobCentreId,
    records: &[(app::domain::ids::ClientId, app::domain::client_record::ClientRecord)],
) {
    use app::backend::clients;
    let queries = [
        "", "n", "nachname", "Nachname12", "nachname 1", "anna3", "anna3 nachname2", "v1", "v1649", "mueller", "MÜL", "ller", "name", "x",
        "zzz anna3", "anna1 nachname", "anna nachname1", "anna1 v16",
    ];
    for query in queries {
        let folded = app::domain::text::search_query(query);
        let mut expected: Vec<_> = records
            .iter()
            .filter(|(_, r)| {
                let key = app::domain::text::search_key(&format!("{} {} {}", r.given_name, r.family_name, r.customer_number));
                format!(" {key}").contains(&format!(" {folded}"))
            })
            .map(|(id, r)| (r.family_name.clone(), r.given_name.clone(), *id))
            .collect();
        expected.sort();
        expected.truncate(clients::SEARCH_PAGE as usize);
        for selective in [0, i64::MAX, clients::SELECTIVE] {
            let got: Vec<_> = clients::search_with(&app.state.db, centre, query, selective)
                .await
                .expect("search")
                .into_iter()
                .map(|c| (c.record.family_name, c.record.given_name, c.id))
                .collect();
            assert_eq!(got, expected, "{query:?}, threshold {selective}");
        }
    }
}

async fn register(app: &TestApp, email: &str) -> serde_json::Value {
    app.call(
        "auth/register",
        &[("email", email), ("password", PASSWORD), ("password_repeat", PASSWORD), ("accept_terms", "on"), ("consent_email", "on")],
        None,
    )
    .await
    .json
}

async fn one_mailbox_is_one_account(backend: Backend) {
    // Issue input 5: what one person types, and what Chromium submits for the same input.
    let app = TestApp::spawn(backend).await;
    assert!(register(&app, "anna@bücher.example").await["Registered"].is_object());
    assert!(register(&app, "anna@xn--bcher-kva.example").await["Registered"].is_object());
    assert!(register(&app, "Anna@BÜCHER.example").await["Registered"].is_object());
    let accounts: Vec<String> = sqlx::query_scalar::<_, String>("SELECT email FROM accounts WHERE email LIKE 'anna@%'")
        .fetch_all(app.state.db.pool())
        .await
        .expect("accounts");
    assert_eq!(accounts, vec!["anna@xn--bcher-kva.example".to_owned()], "one account");
    // The mail goes to the ASCII form every mail server accepts: the confirmation, then
    // "already registered" notices.
    let first = app.smtp.wait_for("anna@xn--bcher-kva.example", 1).await;
    assert_eq!(first.subject(), "Bitte bestätigen Sie Ihre E-Mail-Adresse");
    app.smtp.wait_for_subject("anna@xn--bcher-kva.example", "Registrierungsversuch mit Ihrer E-Mail-Adresse").await;
    // An umlaut before the @ cannot be delivered everywhere: a clear refusal, not silence.
    let refused = register(&app, "jürgen@example.org").await;
    assert_eq!(refused["Invalid"]["problems"]["email"], json!("NonAsciiLocalPart"), "{refused}");
    // Signing in works with either spelling.
    let token = first.token("/registrieren/bestaetigen").expect("token");
    assert_eq!(app.call("auth/confirm-email", &[("token", &token)], None).await.json, json!("Valid"));
    for spelling in ["anna@bücher.example", "ANNA@xn--bcher-kva.example"] {
        let answer = app.call("auth/sign-in", &[("email", spelling), ("password", PASSWORD)], None).await;
        assert!(answer.json["SignedIn"].is_object(), "{spelling}: {}", answer.body);
    }
    app.stop().await;
}

async fn single_line_fields_stay_single_lines(backend: Backend) {
    // Issue input 6: a subject with a line break forged a line in the receipt; a file name
    // with U+202E was shown reversed.
    let app = TestApp::spawn(backend).await;
    let desk = staff_of(&app, "Jobcenter Zeilen").await;
    create(&app, &desk, "K-Z", "Erika", "Mustermann").await;
    let client: i64 = sqlx::query_scalar::<_, i64>("SELECT id FROM clients WHERE customer_number = 'K-Z'").fetch_one(app.state.db.pool()).await.expect("id");
    let issued = app.call("staff/issue-code", &[("client_id", &client.to_string()), ("valid_days", "30")], Some(&desk)).await;
    let code = issued.json["Issued"]["code"].as_str().expect("code").to_owned();
    let address = app.registered("zeilen").await;
    let cookie = app.full_sign_in(&address, PASSWORD).await;
    let redeemed = app.call("profile/redeem", &[("code", &code)], Some(&cookie)).await;
    let cookie = format!("session={}", redeemed.cookie("session").expect("session"));
    let forged = "Antrag\nDatei: quittung.pdf SHA-256: 0000000000000000000000000000000000000000000000000000000000000000";
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(b"real content");
    let form = multipart::Form::new()
        .text("kind", "nachweis")
        .text("subject", forged)
        .text("body", "Anbei.")
        .part("files", multipart::Part::bytes(pdf).file_name("rechnung\u{202E}fdp.exe").mime_str("application/pdf").expect("mime"));
    let sent = app
        .client
        .post(app.url("/postfach/senden"))
        .header(header::ORIGIN, &app.base_url)
        .header(header::COOKIE, &cookie)
        .multipart(form)
        .send()
        .await
        .expect("send");
    let location = sent.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).expect("to the item").to_owned();
    let id = location.rsplit('/').next().expect("id").to_owned();
    let receipt = app.page(&format!("/postfach/{id}/eingangsbestaetigung"), Some(&cookie)).await.body;
    assert!(!receipt.lines().any(|line| line.starts_with("Datei: quittung.pdf")), "no forged line:\n{receipt}");
    assert!(receipt.contains("Antrag Datei: quittung.pdf"), "the subject on one line:\n{receipt}");
    assert!(!receipt.contains('\u{202E}'), "no direction override");
    assert!(receipt.contains("rechnungfdp.pdf"), "the file name as stored, with its real type:\n{receipt}");
    let stored: Vec<String> = sqlx::query_scalar::<_, String>("SELECT subject FROM postbox_items").fetch_all(app.state.db.pool()).await.expect("subjects");
    assert!(stored.iter().all(|s| !s.contains('\n')), "{stored:?}");
    // Names typed with control or direction characters are stored without them.
    create(&app, &desk, "K-Y", "Eri\u{202E}ka", "Muster\tmann").await;
    let names = found(&app, &desk, "K-Y").await;
    assert_eq!(names, vec!["Erika Muster mann".to_owned()]);
    // A required field of nothing visible is empty (checked after the cleaning, not before).
    for blank in ["\u{202E}", "\u{0}", "\u{200B}", "\u{3164}", "\u{FEFF}\u{200D}"] {
        let form = multipart::Form::new().text("kind", "nachricht").text("subject", blank.to_owned()).text("body", "Text");
        let refused = app
            .client
            .post(app.url("/postfach/senden"))
            .header(header::ORIGIN, &app.base_url)
            .header(header::COOKIE, &cookie)
            .multipart(form)
            .send()
            .await
            .expect("send");
        let location = refused.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(location.starts_with("/postfach/schreiben"), "{blank:?}: back to the form, not to an item ({location})");
        let answer = app
            .call(
                "staff/create-client",
                &[("customer_number", "K-X"), ("salutation", "frau"), ("given_name", blank), ("family_name", "\u{200B}"), ("birth_date", "1984-08-12"), ("street", "Weg 1"), ("postcode", "12345"), ("city", "Stadt"), ("mobile", "")],
                Some(&desk),
            )
            .await;
        assert!(answer.json["Created"].is_null(), "{blank:?}: {}", answer.body);
    }
    let subjects: Vec<String> = sqlx::query_scalar::<_, String>("SELECT subject FROM postbox_items").fetch_all(app.state.db.pool()).await.expect("subjects");
    assert!(subjects.iter().all(|s| !s.trim().is_empty()), "{subjects:?}");
    app.stop().await;
}

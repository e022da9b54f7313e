//! `hearth-server` against clients that are not `hearth`: a tampered child
//! client writing raw Automerge changes, bad frames and bad requests, a
//! household probing another's documents, and the stock JavaScript
//! automerge-repo client.

#![allow(clippy::unwrap_used)]

use automerge::sync::State as SyncState;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use hearth_tests::raw::{Heard, Raw, block_on, get_str};
use hearth_tests::server::{Backend, Server, http, http_get};
use hearth_tests::{Hearth, int, str_of};
use hearth_wire::Message;
use serde_json::{Value, json};

use crate::sync::{Family, family};

/// Pairs a raw client through the API with an invite from `parent`.
fn pair_raw(server: &Server, parent: &Hearth, role: &str) -> String {
    let invite = parent.json(&["invite", "--role", role]);
    let body = json!({"code": str_of(&invite, "code"), "device_name": "raw"}).to_string();
    let (status, body) =
        http(server.port, "POST", "/v1/pair", None, Some(body.as_bytes())).unwrap();
    assert_eq!(status, 200, "{body}");
    let creds: Value = serde_json::from_str(&body).unwrap();
    str_of(&creds, "token").to_owned()
}

fn household_id(h: &Hearth) -> String {
    str_of(&h.json(&["settings"]), "id").to_owned()
}

fn balance(h: &Hearth, member: &str) -> i64 {
    int(&h.json(&["balance", "--member", member])[0], "spendable")
}

/// The household document and this month's ledger, fetched raw.
async fn fetch(raw: &mut Raw, household: &str) -> (AutoCommit, String, AutoCommit) {
    let mut h = AutoCommit::new();
    assert_eq!(
        raw.sync(household, &mut h, &mut SyncState::new()).await,
        None
    );
    let period = chrono::Utc::now().format("%Y-%m").to_string();
    let ledger_id = get_str(&h, &["ledgers", &period]).expect("this month's ledger is listed");
    let mut l = AutoCommit::new();
    assert_eq!(
        raw.sync(&ledger_id, &mut l, &mut SyncState::new()).await,
        None
    );
    (h, ledger_id, l)
}

fn member_id(h: &AutoCommit, name: &str) -> String {
    let (_, members) = h.get(automerge::ROOT, "members").unwrap().unwrap();
    h.keys(&members)
        .find(|id| get_str(h, &["members", id, "name"]).as_deref() == Some(name))
        .unwrap()
}

fn chore_id(h: &AutoCommit, title: &str) -> String {
    let (_, chores) = h.get(automerge::ROOT, "chores").unwrap().unwrap();
    h.keys(&chores)
        .find(|id| get_str(h, &["chores", id, "title"]).as_deref() == Some(title))
        .unwrap()
}

fn put_entry(doc: &mut AutoCommit, section: &str, key: &str, value: Value) {
    let (_, obj) = doc.get(automerge::ROOT, section).unwrap().unwrap();
    doc.put(&obj, key, value.to_string()).unwrap();
    doc.commit();
}

#[test]
fn a_tampered_child_client_cannot_mint_points() {
    let server = Server::start(Backend::Sqlite);
    let Family { a, .. } = family(&server);
    let household = household_id(&a);
    let token = pair_raw(&server, &a, "child");
    let before = balance(&a, "Anna");
    let now_ms = chrono::Utc::now().timestamp_millis();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();

    // Each forgery on a fresh connection: the server closes after refusing.
    type Forge = Box<dyn Fn(&mut AutoCommit, &mut AutoCommit, &str, &str) -> bool>;
    let forgeries: Vec<(&str, Forge)> = vec![
        (
            "adjust a balance",
            Box::new(move |_h, l, anna, mum| {
                put_entry(
                    l,
                    "adjustments",
                    "forged",
                    json!({"member": anna, "points": 1000, "reason": "x", "by": mum, "at": now_ms, "device": "raw"}),
                );
                true
            }),
        ),
        (
            "complete a chore for 1000 points",
            Box::new({
                let today = today.clone();
                move |h, l, anna, _| {
                    let chore = chore_id(h, "Trash");
                    put_entry(
                        l,
                        "completions",
                        &format!("{chore}/{today}"),
                        json!({"member": anna, "at": now_ms, "device": "raw", "points": 1000, "due_at": now_ms, "needs_approval": false, "gen": 1}),
                    );
                    true
                }
            }),
        ),
        (
            "approve a completion",
            Box::new({
                let today = today.clone();
                move |h, l, _, mum| {
                    let chore = chore_id(h, "Dishes");
                    put_entry(
                        l,
                        "reviews",
                        &format!("{chore}/{today}"),
                        json!({"status": "approved", "by": mum, "at": now_ms, "device": "raw", "gen": 1}),
                    );
                    true
                }
            }),
        ),
        (
            "register itself as a parent's device",
            Box::new(|h, _, _, _| {
                let actor = h.get_actor().to_hex_string();
                let (_, devices) = h.get(automerge::ROOT, "devices").unwrap().unwrap();
                h.put(
                    &devices,
                    actor.as_str(),
                    json!({"device": "raw", "role": "parent"}).to_string(),
                )
                .unwrap();
                h.commit();
                false
            }),
        ),
        (
            "re-register a parent's actor as a child's, writing as that actor",
            Box::new(|h, _, _, _| {
                let (_, devices) = h.get(automerge::ROOT, "devices").unwrap().unwrap();
                let parent = h
                    .keys(&devices)
                    .find(|a| get_str(h, &["devices", a]).unwrap().contains("\"parent\""))
                    .unwrap();
                h.set_actor(automerge::ActorId::from(hex::decode(&parent).unwrap()));
                h.put(
                    &devices,
                    parent.as_str(),
                    json!({"device": "raw", "role": "child"}).to_string(),
                )
                .unwrap();
                h.commit();
                false
            }),
        ),
        (
            "change a chore's points",
            Box::new(|h, _, _, _| {
                let chore = chore_id(h, "Dishes");
                let (_, chores) = h.get(automerge::ROOT, "chores").unwrap().unwrap();
                let (_, c) = h.get(&chores, chore.as_str()).unwrap().unwrap();
                h.put(&c, "points", 500_i64).unwrap();
                h.commit();
                false
            }),
        ),
    ];
    for (what, forge) in forgeries {
        block_on(async {
            let mut raw = Raw::connect(&server.ws_url(), Some(&token), false)
                .await
                .unwrap();
            raw.join().await;
            let (mut h, ledger_id, mut l) = fetch(&mut raw, &household).await;
            let anna = member_id(&h, "Anna");
            let mum = member_id(&h, "Mum");
            let in_ledger = forge(&mut h, &mut l, &anna, &mum);
            let heard = if in_ledger {
                raw.sync(&ledger_id, &mut l, &mut SyncState::new()).await
            } else {
                raw.sync(&household, &mut h, &mut SyncState::new()).await
            };
            match heard {
                Some(Heard::Message(Message::Error { message })) => {
                    assert!(message.contains("changes refused"), "{what}: {message}");
                }
                other => panic!("{what}: expected a refusal, heard {other:?}"),
            }
        });
        a.ok(&["sync"]);
        assert_eq!(balance(&a, "Anna"), before, "after trying to {what}");
    }
    let chores = a.json(&["chore", "list"]);
    assert!(
        chores
            .as_array()
            .unwrap()
            .iter()
            .all(|c| int(c, "points") < 100)
    );

    // What a child may do, done raw, is taken.
    block_on(async {
        let mut raw = Raw::connect(&server.ws_url(), Some(&token), false)
            .await
            .unwrap();
        raw.join().await;
        let (h, ledger_id, mut l) = fetch(&mut raw, &household).await;
        // Every paired device registered its actor with its role.
        let (_, devices) = h.get(automerge::ROOT, "devices").unwrap().unwrap();
        let roles: Vec<String> = h
            .keys(&devices)
            .map(|actor| get_str(&h, &["devices", &actor]).unwrap())
            .collect();
        assert_eq!(
            roles.iter().filter(|r| r.contains("\"parent\"")).count(),
            2,
            "{roles:?}"
        );
        assert_eq!(
            roles.iter().filter(|r| r.contains("\"child\"")).count(),
            1,
            "{roles:?}"
        );
        let anna = member_id(&h, "Anna");
        let chore = chore_id(&h, "Trash");
        put_entry(
            &mut l,
            "completions",
            &format!("{chore}/{today}"),
            json!({"member": anna, "at": now_ms, "device": "raw", "points": 3, "due_at": now_ms, "needs_approval": false, "gen": 1}),
        );
        assert_eq!(
            raw.sync(&ledger_id, &mut l, &mut SyncState::new()).await,
            None
        );
    });
    a.ok(&["sync"]);
    assert_eq!(balance(&a, "Anna"), before + 3);
}

#[test]
fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let server = Server::start_with(
        Backend::Sqlite,
        &[
            ("HEARTH_MAX_FRAME_BYTES", "65536"),
            ("HEARTH_INVITE_TTL_SECS", "1"),
        ],
    );
    let Family { a, .. } = family(&server);
    a.ok(&["sync"]);
    let fingerprint = a.fingerprint();
    let household = household_id(&a);
    let token = pair_raw(&server, &a, "parent");
    let ws = server.ws_url();

    block_on(async {
        // Not CBOR.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.join().await;
        raw.send_frame(vec![0xff, 0x00, 0x13]).await;
        let (error, code) = raw.expect_refusal().await;
        assert!(error.contains("malformed message"), "{error}");
        assert_eq!(code, 1003);

        // CBOR, but a sync message that is not Automerge.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.join().await;
        let m = raw.sync_message(&household, b"not automerge".to_vec(), false);
        raw.send(&m).await;
        let (error, _) = raw.expect_refusal().await;
        assert!(error.contains("not an Automerge sync message"), "{error}");

        // A well-formed sync message carrying a garbage change.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.join().await;
        let garbage = automerge::sync::Message {
            heads: vec![],
            need: vec![],
            have: vec![],
            changes: automerge::sync::ChunkList::from(vec![vec![
                0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 5,
            ]]),
            flags: None,
            version: automerge::sync::MessageVersion::V1,
        };
        let m = raw.sync_message(&household, garbage.encode(), false);
        raw.send(&m).await;
        let (error, _) = raw.expect_refusal().await;
        assert!(error.contains("invalid Automerge data"), "{error}");

        // An oversize frame.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.join().await;
        let m = raw.sync_message(&household, vec![0x42; 100_000], false);
        raw.send(&m).await;
        let (error, code) = raw.expect_refusal().await;
        assert!(
            error.contains("over this server's limit of 65536"),
            "{error}"
        );
        assert_eq!(code, 1009);

        // Text instead of binary; sync before join.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.send_text("{\"type\":\"join\"}").await;
        let (error, _) = raw.expect_refusal().await;
        assert!(error.contains("binary frames"), "{error}");
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        let m = raw.sync_message(&household, vec![], true);
        raw.send(&m).await;
        let (error, _) = raw.expect_refusal().await;
        assert!(error.contains("join"), "{error}");

        // Unknown and invalid document ids: doc-unavailable, and the
        // connection stays usable.
        let mut raw = Raw::connect(&ws, Some(&token), false).await.unwrap();
        raw.join().await;
        for id in ["2j9bZtK2JyHzQGDwN9KGcRpCGDxx", "not-an-id"] {
            let mut doc = AutoCommit::new();
            match raw.sync(id, &mut doc, &mut SyncState::new()).await {
                Some(Heard::Message(Message::DocUnavailable { document_id, .. })) => {
                    assert_eq!(document_id, id)
                }
                other => panic!("expected doc-unavailable for {id}, heard {other:?}"),
            }
        }
        let mut doc = AutoCommit::new();
        assert_eq!(
            raw.sync(&household, &mut doc, &mut SyncState::new()).await,
            None
        );
        assert!(!doc.get_heads().is_empty());

        // Tokens: none, unknown, and unknown in the URL (stock clients).
        let (status, body) = Raw::connect(&ws, None, false).await.err().unwrap();
        assert_eq!(status, 401);
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["code"],
            "unauthenticated"
        );
        let (status, body) = Raw::connect(&ws, Some("f00d"), false).await.err().unwrap();
        assert_eq!(status, 401);
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap()["code"],
            "invalid_token"
        );
        let mut raw = Raw::connect(&ws, Some("f00d"), true).await.unwrap();
        let (error, code) = raw.expect_refusal().await;
        assert!(error.contains("not known"), "{error}");
        assert_eq!(code, 1008);
    });

    // HTTP: invalid JSON, unknown fields, bad codes, expired and used codes.
    let post = |path: &str, body: &str| {
        http(server.port, "POST", path, None, Some(body.as_bytes())).unwrap()
    };
    let (status, body) = post("/v1/pair", "{not json");
    assert_eq!(
        (status, code_of(&body)),
        (400, "invalid_json".into()),
        "{body}"
    );
    let (status, body) = post("/v1/pair", r#"{"code":"x","device_name":"d","admin":true}"#);
    assert_eq!(
        (status, code_of(&body)),
        (400, "invalid_json".into()),
        "{body}"
    );
    let (status, body) = post("/v1/pair", r#"{"code":"AAAAA-BBBBB","device_name":"d"}"#);
    assert_eq!(
        (status, code_of(&body)),
        (400, "invalid_code".into()),
        "{body}"
    );
    let invite = a.json(&["invite", "--role", "child"]);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let (status, body) = post(
        "/v1/pair",
        &json!({"code": str_of(&invite, "code"), "device_name": "late"}).to_string(),
    );
    assert_eq!(
        (status, code_of(&body)),
        (400, "invalid_code".into()),
        "expired: {body}"
    );
    let (status, body) = post(
        "/v1/households",
        r#"{"household_id":"nope","name":"x","device_name":"d"}"#,
    );
    assert_eq!(
        (status, code_of(&body)),
        (400, "invalid_household_id".into()),
        "{body}"
    );
    let (status, body) = post(
        "/v1/households",
        &json!({"household_id": household, "name": "again", "device_name": "d"}).to_string(),
    );
    assert_eq!(
        (status, code_of(&body)),
        (409, "household_exists".into()),
        "{body}"
    );
    let (status, body) = http(
        server.port,
        "GET",
        "/v1/households/x/devices",
        Some("f00d"),
        None,
    )
    .unwrap();
    assert_eq!(
        (status, code_of(&body)),
        (401, "invalid_token".into()),
        "{body}"
    );
    let (status, body) = http_get(server.port, "/v2/nothing").unwrap();
    assert_eq!(
        (status, code_of(&body)),
        (404, "not_found".into()),
        "{body}"
    );
    let (status, body) = http(server.port, "DELETE", "/v1/pair", None, None).unwrap();
    assert_eq!(
        (status, code_of(&body)),
        (405, "method_not_allowed".into()),
        "{body}"
    );
    let (status, body) = http(server.port, "GET", "/v1/sync", Some(&token), None).unwrap();
    assert_eq!(
        (status, code_of(&body)),
        (400, "websocket_expected".into()),
        "{body}"
    );

    // The server is still up, and the household is as it was.
    assert_eq!(http_get(server.port, "/healthz").unwrap().0, 200);
    a.ok(&["sync"]);
    fingerprint.assert_unchanged(&a.fingerprint(), "bad input");
}

fn code_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("not a JSON error: {body}"))
}

#[test]
fn pairing_is_rate_limited_per_address() {
    let server = Server::start_with(Backend::Sqlite, &[("HEARTH_PAIR_PER_MINUTE", "3")]);
    let statuses: Vec<u16> = (0..5)
        .map(|_| {
            http(
                server.port,
                "POST",
                "/v1/pair",
                None,
                Some(br#"{"code":"AAAAA-BBBBB","device_name":"d"}"#),
            )
            .unwrap()
            .0
        })
        .collect();
    assert_eq!(statuses, [400, 400, 400, 429, 429]);
}

#[test]
fn a_household_never_sees_another_households_documents() {
    let server = Server::start(Backend::Sqlite);
    let Family { a, .. } = family(&server);
    let theirs = household_id(&a);
    a.ok(&["sync"]);
    let fingerprint = a.fingerprint();
    let other = Hearth::new();
    other.ok(&[
        "init",
        "--name",
        "Neighbours",
        "--timezone",
        "Europe/Berlin",
        "--parent",
        "Pat",
    ]);
    other.ok(&["connect", "--server", &server.url()]);
    other.ok(&["sync"]);
    let token = pair_raw(&server, &other, "parent");
    block_on(async {
        let mut raw = Raw::connect(&server.ws_url(), Some(&token), false)
            .await
            .unwrap();
        raw.join().await;
        // Asking for it: unavailable.
        let mut doc = AutoCommit::new();
        match raw.sync(&theirs, &mut doc, &mut SyncState::new()).await {
            Some(Heard::Message(Message::DocUnavailable { .. })) => {}
            other => panic!("expected doc-unavailable, heard {other:?}"),
        }
        assert!(doc.get_heads().is_empty());
        // Writing to it: unavailable too, and nothing stored.
        let mut forged = AutoCommit::new();
        forged.put(automerge::ROOT, "kind", "household").unwrap();
        forged.commit();
        match raw.sync(&theirs, &mut forged, &mut SyncState::new()).await {
            Some(Heard::Message(Message::DocUnavailable { .. })) => {}
            other => panic!("expected doc-unavailable, heard {other:?}"),
        }
    });
    a.ok(&["sync"]);
    fingerprint.assert_unchanged(&a.fingerprint(), "another household's probing");
}

#[test]
fn health_metrics_json_logs_and_graceful_shutdown() {
    let mut server = Server::start_with(Backend::Sqlite, &[("HEARTH_LOG_FORMAT", "json")]);
    let Family { a, .. } = family(&server);
    let mut watch = a.spawn(&["sync", "--watch"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(http_get(server.port, "/healthz").unwrap().0, 200);
    assert_eq!(http_get(server.port, "/readyz").unwrap().0, 200);
    let (status, metrics) = http_get(server.port, "/metrics").unwrap();
    assert_eq!(status, 200);
    for name in [
        "hearth_http_requests_total{",
        "hearth_http_request_duration_seconds_bucket{",
        "hearth_connected_devices 1",
        "hearth_sync_messages_total{direction=\"in\"}",
        "hearth_sync_bytes_total{direction=\"out\"}",
        "hearth_documents_loaded",
        "hearth_document_loads_total",
        "hearth_compactions_total",
        "hearth_db_pool_connections",
    ] {
        assert!(metrics.contains(name), "/metrics lacks {name}:\n{metrics}");
    }
    let (status, took) = server.terminate();
    assert!(status.success(), "exit status {status}");
    assert!(
        took < std::time::Duration::from_secs(8),
        "shutdown took {took:?}"
    );
    let _ = watch.kill();
    let _ = watch.wait();
    let log = server.log();
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 3);
    for line in &lines {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v.get("level").is_some(), "{line}");
    }
    assert!(log.contains("hearth-server stopped"));
    assert!(!log.contains(&a.json(&["status"]).to_string()));
}

/// The stock JavaScript automerge-repo client reads the household document
/// and its edit reaches a Rust device. Needs `npm install` in tests/node
/// (scripts/setup.sh does it).
#[test]
fn the_stock_automerge_repo_client_interoperates() {
    let node_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node");
    assert!(
        node_dir
            .join("node_modules/@automerge/automerge-repo")
            .is_dir(),
        "the Node packages are not installed: run `npm install` in {} (scripts/setup.sh does)",
        node_dir.display()
    );
    let server = Server::start(Backend::Sqlite);
    let Family { a, .. } = family(&server);
    let household = household_id(&a);
    let token = pair_raw(&server, &a, "parent");
    let out = std::process::Command::new("node")
        .current_dir(&node_dir)
        .arg("interop.mjs")
        .arg("--url")
        .arg(format!("{}?token={token}", server.ws_url()))
        .arg("--doc")
        .arg(&household)
        .arg("--put")
        .arg("settings.name=Set from JavaScript")
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc_line = stdout.lines().find(|l| l.starts_with("DOC ")).unwrap();
    let doc: Value = serde_json::from_str(&doc_line[4..]).unwrap();
    assert_eq!(doc["settings"]["name"], "The Syncs");
    assert_eq!(doc["kind"], "household");
    assert!(stdout.lines().any(|l| l == "OK"), "{stdout}");
    a.ok(&["sync"]);
    assert_eq!(
        str_of(&a.json(&["settings"]), "name"),
        "Set from JavaScript"
    );
}

#[test]
fn compaction_keeps_every_change() {
    let server = Server::start_with(Backend::Sqlite, &[("HEARTH_COMPACT_AFTER", "4")]);
    let Family { a, child, .. } = family(&server);
    for i in 0..12 {
        a.ok(&["adjust", "Anna", "1", "--reason", &format!("r{i}")]);
        a.ok(&["sync"]);
    }
    let (_, metrics) = http_get(server.port, "/metrics").unwrap();
    let compactions: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("hearth_compactions_total "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    assert!(compactions >= 2.0, "{metrics}");
    // A device that pulls now gets everything from the snapshots.
    child.ok(&["sync"]);
    assert_eq!(balance(&child, "Anna"), 10 + 12);
    let fresh = Hearth::new();
    crate::sync::join(&a, &fresh, &server, "parent");
    assert_eq!(balance(&fresh, "Anna"), 10 + 12);
}

/// The load generator drives a real server (a few devices, briefly): the
/// benchmark's tool keeps working.
#[test]
fn the_load_generator_runs_against_the_server() {
    let server = Server::start_with(Backend::Sqlite, &[("HEARTH_PAIR_PER_MINUTE", "1000")]);
    let bin = hearth_tests::server::server_bin().with_file_name("hearth-loadgen");
    assert!(bin.is_file(), "build it: cargo build -p hearth-loadgen");
    let out = std::process::Command::new(bin)
        .args(["--api", &server.url(), "--url", &server.ws_url()])
        .args(["--households", "3", "--rates", "30", "--step-secs", "1"])
        .args([
            "--year-entries",
            "300",
            "--year-docs",
            "1",
            "--idle-devices",
            "20",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Figures vary with the machine's load; that every entry arrived does not.
    assert!(
        stdout.contains("highest rate held with p99 < 50 ms: "),
        "{stdout}"
    );
    let step = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("30 "))
        .unwrap();
    assert!(step.contains(" 100% "), "every entry arrived: {stdout}");
    assert!(
        stdout.contains("first sync of a new device, 300 entries"),
        "{stdout}"
    );
    assert!(stdout.contains("idle devices connected: 20"), "{stdout}");
}

#[test]
fn behind_a_proxy_pairing_is_limited_per_forwarded_client() {
    let server = Server::start_with(
        Backend::Sqlite,
        &[
            ("HEARTH_PAIR_PER_MINUTE", "2"),
            ("HEARTH_FORWARDED_HOPS", "1"),
        ],
    );
    let attempt = |forwarded: &str| {
        hearth_tests::server::http_with(
            server.port,
            "POST",
            "/v1/pair",
            &[("X-Forwarded-For", forwarded)],
            Some(br#"{"code":"AAAAA-BBBBB","device_name":"d"}"#),
        )
        .unwrap()
        .0
    };
    // The proxy appends the address it saw; what the client wrote before
    // it does not make a new client.
    assert_eq!(attempt("10.0.0.1"), 400);
    assert_eq!(attempt("6.6.6.6, 10.0.0.1"), 400);
    assert_eq!(attempt("7.7.7.7, 10.0.0.1"), 429);
    assert_eq!(attempt("10.0.0.2"), 400);
    assert_eq!(attempt("10.0.0.2"), 400);
    assert_eq!(attempt("10.0.0.2"), 429);
}

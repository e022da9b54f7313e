//! Operations: backup and restore of a running server's database, on
//! SQLite and on PostgreSQL (the restore drill), and the deployment
//! artifacts naming only metrics and settings the server has.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use hearth_tests::server::{Backend, Server, http_get, postgres_admin_url, server_bin};
use hearth_tests::{Hearth, int};

use crate::sync::{Family, family};

fn server_cmd(server: &Server, args: &[&str]) -> std::process::Output {
    Command::new(server_bin())
        .args(args)
        .arg("--database")
        .arg(&server.database)
        .env("HEARTH_LOG_LEVEL", "warn")
        .output()
        .unwrap()
}

fn balance(h: &Hearth, member: &str) -> i64 {
    int(&h.json(&["balance", "--member", member])[0], "spendable")
}

fn wipe(server: &Server, backend: Backend) {
    match backend {
        Backend::Sqlite => {
            let path = server.database.strip_prefix("sqlite://").unwrap();
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        Backend::Postgres => {
            let name = server.database.rsplit_once('/').unwrap().1;
            for sql in [
                format!("DROP DATABASE {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                let out = Command::new("psql")
                    .arg(postgres_admin_url())
                    .arg("-qc")
                    .arg(&sql)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{sql}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

fn restore_drill(backend: Backend) {
    let mut server = Server::start(backend);
    let Family { a, p2, child } = family(&server);
    let devices = [&a, &p2, &child];
    child.ok(&["--as", "Anna", "done", "Dishes", "--by", "Anna"]);
    for d in devices {
        d.ok(&["sync"]);
    }
    // A backup of the running server.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hearth.backup");
    let out = server_cmd(&server, &["backup", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Writing over a backup is refused.
    let again = server_cmd(&server, &["backup", "--out", file.to_str().unwrap()]);
    assert!(!again.status.success());
    // Changes after the backup reach the server, then the server is lost.
    a.ok(&["adjust", "Anna", "5", "--reason", "after the backup"]);
    a.ok(&["sync"]);
    let expected = balance(&a, "Anna");
    assert_eq!(expected, 10 + 5 + 5);
    let (status, _) = server.terminate();
    assert!(status.success());
    wipe(&server, backend);
    let out = server_cmd(&server, &["restore", "--from", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.restart();
    // Devices reconnect with the tokens they had; what the backup lacks
    // comes back from the devices that hold it.
    for _ in 0..2 {
        for d in devices {
            d.ok(&["sync"]);
        }
    }
    for d in devices {
        assert_eq!(balance(d, "Anna"), expected);
    }
    // A device that joins now gets everything from the server alone.
    let fresh = Hearth::new();
    crate::sync::join(&a, &fresh, &server, "parent");
    assert_eq!(balance(&fresh, "Anna"), expected);
}

#[test]
fn restore_drill_on_sqlite() {
    restore_drill(Backend::Sqlite);
}

#[test]
fn restore_drill_on_postgres() {
    restore_drill(Backend::Postgres);
}

#[test]
fn restore_refuses_what_is_not_a_backup() {
    let mut server = Server::start(Backend::Sqlite);
    server.terminate();
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let out = server_cmd(&server, &["restore", "--from", junk.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error:"), "{err}");
    // The database is untouched and the server starts.
    server.restart();
    assert_eq!(http_get(server.port, "/readyz").unwrap().0, 200);
}

/// Every `hearth_*` metric the alert rules and the dashboard use is one the
/// server exposes, and every `HEARTH_*` setting the deployment files set is
/// one it reads.
#[test]
fn deployment_artifacts_name_only_what_the_server_has() {
    let server = Server::start(Backend::Sqlite);
    let Family { .. } = family(&server);
    let (_, metrics) = http_get(server.port, "/metrics").unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let mut files = Vec::new();
    collect(&root.join("deploy"), &mut files);
    collect(&root.join(".github"), &mut files);
    assert!(!files.is_empty());
    let settings =
        std::fs::read_to_string(root.join("crates/hearth-server/src/config.rs")).unwrap();
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        // Metric names live in the monitoring files (Terraform and
        // workflows use hearth_ for their own identifiers).
        let monitoring = ["prometheus", "grafana"]
            .iter()
            .any(|d| file.starts_with(root.join("deploy").join(d)));
        let metric_names = if monitoring {
            words(&text, "hearth_")
        } else {
            Default::default()
        };
        for name in metric_names {
            // Families with no sample yet (refusals) appear only in HELP/TYPE.
            assert!(
                metrics.contains(&format!("{name} "))
                    || metrics.contains(&format!("{name}{{"))
                    || metrics.contains(&format!(
                        "# TYPE {} ",
                        name.trim_end_matches("_total").trim_end_matches("_bucket")
                    )),
                "{} uses the metric {name}, which the server does not expose",
                file.display()
            );
            checked += 1;
        }
        for name in words(&text, "HEARTH_") {
            if ["HEARTH_TAG", "HEARTH_TEST_POSTGRES"].contains(&name.as_str()) {
                continue;
            }
            assert!(
                settings.contains(&format!("\"{name}\"")),
                "{} sets {name}, which the server does not read",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} names checked");

    // One image name everywhere.
    let mut images = std::collections::BTreeSet::new();
    let mut all = Vec::new();
    collect(&root.join("deploy"), &mut all);
    collect(&root.join(".github"), &mut all);
    for file in &all {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (i, _) in text.match_indices("/hearth-server") {
            let start = text[..i]
                .rfind(|c: char| c.is_whitespace() || "\"'=:(".contains(c))
                .map_or(0, |s| s + 1);
            let image = &text[start..i];
            // A registry host first (a dot in the first segment), not a
            // path such as a log group or target/release.
            let host = image.split('/').next().unwrap_or_default();
            if host.contains('.') && !image.contains(['$', '{']) {
                images.insert(format!("{image}/hearth-server"));
            }
        }
    }
    assert_eq!(
        images.into_iter().collect::<Vec<_>>(),
        ["ghcr.io/hearth-app/hearth-server"],
        "the image is named the same in every file"
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if !p.ends_with(".terraform") {
                collect(&p, out);
            }
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yml" | "yaml" | "json" | "tf" | "tfvars" | "hcl")
        ) || p.file_name().is_some_and(|n| n == "Dockerfile")
        {
            out.push(p);
        }
    }
}

/// Identifiers starting with `prefix` ([A-Za-z0-9_]).
fn words(text: &str, prefix: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before_ok =
            i == 0 || !rest[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let tail = &rest[i..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        if before_ok && end > prefix.len() {
            out.insert(tail[..end].to_owned());
        }
        rest = &tail[end.max(1)..];
    }
    out
}

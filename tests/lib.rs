//! Helpers for the end-to-end tests: run the real `hearth` binary against a
//! data dir of its own, check how it exited, read its `--json` output.
//!
//! The binary is `CARGO_BIN_EXE_hearth` when that is set, else `hearth` in
//! the target dir the test executable runs from (`target/debug/deps/e2e-…`
//! → `target/debug/hearth`). Build it first: `cargo build -p hearth-cli`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

pub mod desktop;
pub mod raw;
pub mod server;

/// The `hearth` binary under test.
pub fn hearth_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| match find_bin() {
        Ok(p) => p,
        Err(msg) => panic!("{msg}"),
    })
}

fn find_bin() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CARGO_BIN_EXE_hearth") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "CARGO_BIN_EXE_hearth is {} but no file is there",
                p.display()
            ))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    // target/<profile>/deps/e2e-<hash> → target/<profile>/hearth; a binary
    // of this crate (target/<profile>/desktop-bench) has it next to itself.
    let name = format!("hearth{}", std::env::consts::EXE_SUFFIX);
    let beside = exe.with_file_name(&name);
    if beside.is_file() {
        return Ok(beside);
    }
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected test binary path {}", exe.display()))?;
    let bin = dir.join(&name);
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "the hearth binary is not built: no {}\n\
             build it first with `cargo build -p hearth-cli` (same profile as the tests), \
             or point CARGO_BIN_EXE_hearth at it",
            bin.display()
        ))
    }
}

/// A data dir of its own (removed on drop) and a fixed clock.
pub struct Hearth {
    dir: TempDir,
    now: Option<String>,
}

impl Default for Hearth {
    fn default() -> Self {
        Self::new()
    }
}

impl Hearth {
    /// A fresh, empty data dir; the clock is the real one until `set_now`.
    pub fn new() -> Hearth {
        let dir = tempfile::Builder::new()
            .prefix("hearth-e2e-")
            .tempdir()
            .expect("create a temp dir");
        Hearth { dir, now: None }
    }

    /// A fresh data dir with the clock fixed at `now` (RFC 3339).
    pub fn at(now: &str) -> Hearth {
        let mut h = Hearth::new();
        h.set_now(now);
        h
    }

    /// Fixes the clock (`HEARTH_NOW`) for the commands that follow.
    pub fn set_now(&mut self, now: &str) {
        self.now = Some(now.to_owned());
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file of the data dir.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir().join("hearth.sqlite3")
    }

    /// A `hearth` command on this data dir (environment scrubbed of
    /// `HEARTH_*`, clock fixed if set).
    pub fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut cmd = Command::new(hearth_bin());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("HEARTH_") {
                cmd.env_remove(k);
            }
        }
        if let Some(now) = &self.now {
            cmd.env("HEARTH_NOW", now);
        }
        cmd.arg("--data-dir").arg(self.data_dir());
        cmd.args(args);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Runs `hearth ARGS` to the end.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let output = self
            .command(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", hearth_bin().display()));
        Run {
            args: args
                .iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect(),
            now: self.now.clone(),
            output,
        }
    }

    /// Runs `hearth ARGS`, which must succeed; returns its stdout.
    pub fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        self.run(args).success().stdout()
    }

    /// Runs `hearth --json ARGS`, which must succeed; returns the JSON.
    pub fn json<S: AsRef<OsStr>>(&self, args: &[S]) -> Value {
        let mut all: Vec<&OsStr> = vec![OsStr::new("--json")];
        all.extend(args.iter().map(AsRef::as_ref));
        self.run(&all).success().json()
    }

    /// Runs `hearth ARGS`, which must fail with one `error:` line; returns it.
    pub fn fails<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        self.run(args).failure().error_line()
    }

    /// Starts `hearth ARGS` with stdout piped, without waiting.
    pub fn spawn<S: AsRef<OsStr>>(&self, args: &[S]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", hearth_bin().display()))
    }

    /// Everything the stored data shows through the read commands, plus the
    /// stored chunks: equal fingerprints mean nothing was written.
    pub fn fingerprint(&self) -> Fingerprint {
        let read = |args: &[&str]| -> String {
            let mut all = vec!["--json"];
            all.extend_from_slice(args);
            let r = self.run(&all);
            if r.output.status.success() {
                r.stdout()
            } else {
                format!("{} failed: {}", args.join(" "), r.stderr())
            }
        };
        Fingerprint {
            parts: vec![
                ("member list", read(&["member", "list"])),
                ("chore list", read(&["chore", "list"])),
                ("reward list", read(&["reward", "list"])),
                ("redemption list", read(&["redemption", "list"])),
                ("balance", read(&["balance"])),
                ("history", read(&["history", "--limit", "100000"])),
                ("today", read(&["today"])),
                ("storage", read(&["storage"])),
                ("chunks", self.chunk_hashes()),
            ],
        }
    }

    /// `seq doc_id hash kind` of every stored chunk, read with the `sqlite3`
    /// command line tool when it is installed (else the `storage` part of
    /// the fingerprint stands in for it).
    pub fn chunk_hashes(&self) -> String {
        if !self.db_path().exists() {
            return "no database".into();
        }
        let out = Command::new("sqlite3")
            .arg("-readonly")
            .arg(self.db_path())
            .arg("SELECT seq, doc_id, hex(hash), kind FROM chunks ORDER BY seq")
            .output();
        match out {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
            Ok(o) => panic!(
                "sqlite3 could not read the chunks: {}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(_) => "sqlite3 is not installed".into(),
        }
    }
}

/// What the stored data looks like from outside.
#[derive(PartialEq, Eq)]
pub struct Fingerprint {
    parts: Vec<(&'static str, String)>,
}

impl Fingerprint {
    /// Panics, naming the parts that differ, unless `after` equals `self`.
    pub fn assert_unchanged(&self, after: &Fingerprint, what: &str) {
        let changed: Vec<String> = self
            .parts
            .iter()
            .zip(&after.parts)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, b)| format!("--- {} before:\n{}\n--- after:\n{}", a.0, a.1, b.1))
            .collect();
        assert!(
            changed.is_empty(),
            "`{what}` changed the stored data:\n{}",
            changed.join("\n")
        );
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.parts {
            writeln!(f, "--- {name}\n{value}")?;
        }
        Ok(())
    }
}

/// A finished `hearth` run.
pub struct Run {
    args: Vec<String>,
    now: Option<String>,
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "hearth {}{}\nexit: {}\nstdout:\n{}\nstderr:\n{}",
            self.args.join(" "),
            self.now
                .as_ref()
                .map(|n| format!("  (HEARTH_NOW={n})"))
                .unwrap_or_default(),
            self.output.status,
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts a zero exit and a quiet stderr.
    pub fn success(self) -> Run {
        assert!(
            self.output.status.success() && self.output.stderr.is_empty(),
            "expected success:\n{}",
            self.describe()
        );
        self
    }

    /// Asserts a non-zero exit and nothing on stdout.
    pub fn failure(self) -> Run {
        assert!(
            !self.output.status.success(),
            "expected failure:\n{}",
            self.describe()
        );
        assert!(
            self.output.stdout.is_empty(),
            "a failing command printed on stdout:\n{}",
            self.describe()
        );
        self
    }

    /// The one line on stderr, which must start with `error: `.
    pub fn error_line(&self) -> String {
        let stderr = self.stderr();
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(
            lines.len() == 1 && lines[0].starts_with("error: ") && lines[0].len() > 10,
            "expected exactly one `error: …` line on stderr:\n{}",
            self.describe()
        );
        lines[0].to_owned()
    }

    /// Stdout parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.describe()))
    }
}

/// Panics unless `line` contains every one of `parts` (case-insensitive).
pub fn assert_mentions(line: &str, parts: &[&str]) {
    let lower = line.to_lowercase();
    for p in parts {
        assert!(
            lower.contains(&p.to_lowercase()),
            "expected {p:?} in: {line}"
        );
    }
}

/// The string field `key` of every object in a JSON array.
pub fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {value}"))
        .iter()
        .map(|v| {
            v[key]
                .as_str()
                .unwrap_or_else(|| panic!("no string '{key}' in {v}"))
                .to_owned()
        })
        .collect()
}

/// The same, as a set.
pub fn string_set(value: &Value, key: &str) -> BTreeSet<String> {
    strings(value, key).into_iter().collect()
}

/// The one object in a JSON array whose `key` is `value`.
pub fn find<'a>(array: &'a Value, key: &str, value: &str) -> &'a Value {
    let hits: Vec<&Value> = array
        .as_array()
        .unwrap_or_else(|| panic!("expected a JSON array, got {array}"))
        .iter()
        .filter(|v| v[key].as_str() == Some(value))
        .collect();
    assert!(
        hits.len() == 1,
        "expected one entry with {key} = {value:?}, found {}: {array:#}",
        hits.len()
    );
    hits[0]
}

/// An integer field.
pub fn int(v: &Value, key: &str) -> i64 {
    v[key]
        .as_i64()
        .unwrap_or_else(|| panic!("no integer '{key}' in {v}"))
}

/// A string field.
pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string '{key}' in {v}"))
}

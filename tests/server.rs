//! A real `hearth-server` process on loopback, on SQLite or on a fresh
//! PostgreSQL database of its own, that tests can kill and restart.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The `hearth-server` binary beside `hearth`.
pub fn server_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(p) = std::env::var_os("CARGO_BIN_EXE_hearth-server") {
            return PathBuf::from(p);
        }
        let hearth = crate::hearth_bin();
        let bin = hearth.with_file_name(format!("hearth-server{}", std::env::consts::EXE_SUFFIX));
        assert!(
            bin.is_file(),
            "the hearth-server binary is not built: no {} (cargo build -p hearth-server)",
            bin.display()
        );
        bin
    })
}

/// Where the server keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("HEARTH_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A fresh PostgreSQL database, dropped when the `Server` that made it is.
pub fn fresh_postgres_database() -> String {
    let name = format!("hearth_t_{}_{}", std::process::id(), hex_rand());
    let admin = postgres_admin_url();
    let out = Command::new("psql")
        .arg(&admin)
        .arg("-v")
        .arg("ON_ERROR_STOP=1")
        .arg("-qc")
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .expect("psql runs (PostgreSQL client)");
    assert!(
        out.status.success(),
        "cannot create a test database on {admin}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

fn hex_rand() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// A free loopback port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct Server {
    pub port: u16,
    pub database: String,
    /// Drop the database with the server (the first instance on it).
    owns_database: bool,
    env: Vec<(String, String)>,
    child: Option<Child>,
    _dir: TempDir,
    log: PathBuf,
}

impl Server {
    pub fn start(backend: Backend) -> Server {
        Self::start_with(backend, &[])
    }

    /// Starts a server with extra `HEARTH_*` settings.
    pub fn start_with(backend: Backend, env: &[(&str, &str)]) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("hearth-server-")
            .tempdir()
            .expect("temp dir");
        let database = match backend {
            Backend::Sqlite => format!("sqlite://{}", dir.path().join("server.sqlite3").display()),
            Backend::Postgres => fresh_postgres_database(),
        };
        let mut s = Self::start_on(database, dir, env);
        s.owns_database = backend == Backend::Postgres;
        s
    }

    /// A second instance on the same database.
    pub fn another_instance(&self) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("hearth-server-")
            .tempdir()
            .expect("temp dir");
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Self::start_on(self.database.clone(), dir, &env)
    }

    fn start_on(database: String, dir: TempDir, env: &[(&str, &str)]) -> Server {
        let log = dir.path().join("server.log");
        let mut s = Server {
            port: free_port(),
            database,
            owns_database: false,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            child: None,
            _dir: dir,
            log,
        };
        s.restart();
        s
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/v1/sync", self.port)
    }

    /// Starts the process (again) on the same port and database, and waits
    /// until it answers /readyz.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let mut cmd = Command::new(server_bin());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("HEARTH_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("HEARTH_LOG_LEVEL", "info,sqlx=warn");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--database")
            .arg(&self.database)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        self.child = Some(cmd.spawn().expect("start hearth-server"));
        self.wait_ready();
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("hearth-server exited with {status}:\n{}", self.log());
            }
            if http_get(self.port, "/readyz").is_some_and(|(code, _)| code == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "hearth-server did not become ready:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then waits; returns the exit status and how long it took.
    pub fn terminate(&mut self) -> (std::process::ExitStatus, Duration) {
        let mut c = self.child.take().expect("running");
        let started = Instant::now();
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(c.id().to_string())
            .status();
        let status = c.wait().expect("wait");
        (status, started.elapsed())
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        // A failing test shows the server's side of the story.
        if std::thread::panicking() {
            let log = self.log();
            let lines: Vec<&str> = log.lines().collect();
            let tail = &lines[lines.len().saturating_sub(60)..];
            eprintln!("--- hearth-server's log, last {} lines ---", tail.len());
            for line in tail {
                eprintln!("{line}");
            }
        }
        if self.owns_database
            && let Some((_, name)) = self.database.rsplit_once('/')
        {
            // Other instances on it may still be closing: FORCE ends them.
            let _ = Command::new("psql")
                .arg(postgres_admin_url())
                .arg("-qc")
                .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .output();
        }
    }
}

/// A minimal HTTP/1.1 GET on loopback: (status, body).
pub fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    http(port, "GET", path, None, None)
}

/// A minimal HTTP/1.1 request on loopback: (status, body).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Option<(u16, String)> {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
    http_with(port, method, path, &headers, body)
}

/// A minimal HTTP/1.1 request with extra headers: (status, body).
pub fn http_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method != "GET" {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Some((status, body))
}

//! Driving the real desktop app: `tauri-driver` (with WebKit's WebDriver
//! behind it) starts `hearth-desktop` on a data dir and a WebDriver client
//! clicks through its window.
//!
//! These run only with `HEARTH_DESKTOP_E2E=1`, under a display and a session
//! bus (`scripts/test.sh` runs them inside `xvfb-run` and `dbus-run-session`
//! with a notification daemon). Build the app first:
//! `cargo build -p hearth-desktop`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::server::free_port;

/// Whether the desktop end-to-end tests run here.
pub fn enabled() -> bool {
    std::env::var_os("HEARTH_DESKTOP_E2E").is_some_and(|v| v != "0")
}

/// The `hearth-desktop` binary: `HEARTH_DESKTOP_BIN`, else the one next to
/// the `hearth` binary under test.
pub fn desktop_bin() -> PathBuf {
    let bin = std::env::var_os("HEARTH_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            crate::hearth_bin()
                .with_file_name(format!("hearth-desktop{}", std::env::consts::EXE_SUFFIX))
        });
    assert!(
        bin.is_file(),
        "the desktop app is not built: no {} (cargo build -p hearth-desktop)",
        bin.display()
    );
    bin
}

/// Where the runs keep their screenshots (`HEARTH_SCREENSHOTS`, else
/// `target/screenshots`).
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("HEARTH_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            crate::hearth_bin()
                .parent()
                .and_then(Path::parent)
                .map_or_else(|| PathBuf::from("screenshots"), |t| t.join("screenshots"))
        })
}

/// A running `tauri-driver`; stopped with SIGTERM on drop, so that it
/// takes WebKitWebDriver and the app down with it.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    pub fn start() -> Result<Driver> {
        let port = free_port();
        let native = free_port();
        let child = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start tauri-driver (cargo install tauri-driver)")?;
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app's window, driven over WebDriver.
pub struct Window {
    pub client: Client,
    /// The data dir the app runs on.
    pub data_dir: PathBuf,
    name: String,
    // Dropped after the client's session ends.
    _driver: Driver,
}

const WAIT: Duration = Duration::from_secs(20);

impl Window {
    /// Starts the app on `data_dir` with extra arguments.
    pub async fn open(name: &str, data_dir: &Path, extra_args: &[&str]) -> Result<Window> {
        let driver = Driver::start()?;
        let mut args = vec!["--data-dir".to_owned(), data_dir.display().to_string()];
        args.extend(extra_args.iter().map(|s| (*s).to_owned()));
        let caps = json!({
            "browserName": "wry",
            "tauri:options": {
                "application": desktop_bin(),
                "args": args,
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("capabilities are an object")
        };
        // The workspace links both of rustls's crypto providers: pick one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .context("TLS setup")?
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .context("cannot start a session with the app")?;
        Ok(Window {
            client,
            data_dir: data_dir.to_owned(),
            name: name.to_owned(),
            _driver: driver,
        })
    }

    /// Ends the session and waits for the app to exit. WebKitWebDriver ends
    /// the app with the session, but not always before tauri-driver is
    /// stopped; an app left running keeps its data dir's single-instance
    /// name, and the next start on that data dir would hand over to it and
    /// exit at once.
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = app_pids(&self.data_dir);
            if left.is_empty() {
                break;
            }
            let signal = if Instant::now() < deadline {
                "-TERM"
            } else {
                "-KILL"
            };
            for pid in left {
                let _ = Command::new("kill")
                    .args([signal, &pid.to_string()])
                    .status();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// The element `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("{}: no element '{css}' within {WAIT:?}", self.name))
    }

    /// Whether `css` is on screen now.
    pub async fn has(&self, css: &str) -> Result<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let el = self.find(css).await?;
            match el.click().await {
                Ok(()) => return Ok(()),
                // Re-rendered under us, or not clickable yet.
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e).with_context(|| format!("{}: click '{css}'", self.name)),
            }
        }
    }

    /// Replaces the text of the input `css`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Ticks the checkbox `css` (leaving it ticked if it is).
    pub async fn check(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        if el.prop("checked").await?.as_deref() != Some("true") {
            el.click().await?;
        }
        Ok(())
    }

    /// Chooses the option with value `value` of the select `css`.
    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.select_by_value(value).await?;
        Ok(())
    }

    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>> {
        Ok(self.find(css).await?.attr(name).await?)
    }

    /// Waits until `css`'s attribute `name` is `value`.
    pub async fn wait_attr(&self, css: &str, name: &str, value: &str) -> Result<Duration> {
        let start = Instant::now();
        let mut last = None;
        while start.elapsed() < WAIT {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.attr(name).await.ok().flatten();
                if last.as_deref() == Some(value) {
                    return Ok(start.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!(
            "{}: '{css}' [{name}] is {last:?}, not '{value}', after {WAIT:?}",
            self.name
        )
    }

    /// Waits until `css` is gone.
    pub async fn wait_gone(&self, css: &str) -> Result<()> {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if !self.has(css).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("{}: '{css}' still there after {WAIT:?}", self.name)
    }

    /// Goes to a screen from the navigation.
    pub async fn nav(&self, screen: &str) -> Result<()> {
        self.click(&format!("[data-nav=\"{screen}\"]")).await?;
        self.wait_attr("main", "data-screen", screen).await?;
        Ok(())
    }

    /// Enters `pin` when the window asks for one.
    pub async fn pin_if_asked(&self, pin: &str) -> Result<()> {
        tokio::time::sleep(Duration::from_millis(150)).await;
        if self.has("#pin-input").await? {
            self.fill("#pin-input", pin).await?;
            self.click("#pin-submit").await?;
            self.wait_gone("#pin-input").await?;
        }
        Ok(())
    }

    /// Makes `member` the one using the computer (with their PIN, if any).
    pub async fn switch_to(&self, member: &str, pin: Option<&str>) -> Result<()> {
        self.click("#profile-switcher").await?;
        self.click(&format!("[data-profile=\"{member}\"]")).await?;
        if let Some(pin) = pin {
            self.fill("#pin-input", pin).await?;
            self.click("#pin-submit").await?;
            self.wait_gone("#pin-input").await?;
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.find("#profile-switcher").await?.text().await?;
            if text.contains(member) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{}: the profile switcher shows '{text}', not {member}",
                    self.name
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A member's spendable balance as the header shows it.
    pub async fn balance(&self, member: &str) -> Result<Option<String>> {
        self.attr(&format!("[data-balance=\"{member}\"]"), "data-points")
            .await
    }

    /// Saves a screenshot of the window as `NAME.png` in the screenshot dir.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // Passing messages would cover what the screenshot is of.
        self.client
            .execute(
                "document.querySelectorAll('.toast-close').forEach(b => b.click())",
                vec![],
            )
            .await?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        // The pixels on the display, as a family sees them: WebDriver's own
        // screenshot waits for a composited frame, which never comes while
        // the window is drawn by the CPU (WebKitGTK 2.50).
        let pid = *app_pids(&self.data_dir)
            .first()
            .context("the app process is not running")?;
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--pid", &pid.to_string()])
            .output()
            .context("xdotool")?;
        let window = String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()
            .map(str::to_owned)
            .context("the app's window is not on the display")?;
        // In front of any other app's window (two computers share a display).
        run("xdotool", &["windowraise", &window])?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        run("import", &["-window", &window, &path.display().to_string()])?;
        Ok(path)
    }
}

/// The app processes running on `data_dir` (given as one of their
/// arguments).
pub fn app_pids(data_dir: &Path) -> Vec<u32> {
    let dir = data_dir.display().to_string();
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(cmd) = std::fs::read(entry.path().join("cmdline"))
            && cmd.split(|b| *b == 0).any(|arg| arg == dir.as_bytes())
            && name_of(pid).starts_with("hearth-desktop")
        {
            out.push(pid);
        }
    }
    out
}

/// A process's name (`/proc/PID/comm`, at most 15 characters).
pub fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot run {program}"))?;
    anyhow::ensure!(status.success(), "{program} {args:?} failed: {status}");
    Ok(())
}

//! The Hearth desktop app: one window over one data dir.
//!
//! The shell owns an open [`App`] and three background tasks: one turns the
//! app's change events into a `changed` event for the window, one keeps the
//! sync connection when the device is linked to a server (reporting its
//! state as `sync` events), and one turns household facts into native
//! notifications (see `hearth_app::notify`).
//!
//! `hearth-desktop [--data-dir DIR] [--no-notifications]` (or
//! `HEARTH_DATA_DIR`, `HEARTH_NOTIFICATIONS=off`); the default data dir is the
//! OS's per-user data dir. One instance runs per data dir: starting a second
//! brings the first to the front.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_app::App;
use hearth_app::sync::{Link, SyncStatus, WatchEvent};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::{Notify, mpsc};
use ts_rs::TS;

mod commands;
mod notifier;

#[cfg(test)]
mod bindings;

/// What the window's commands share.
pub struct Shell {
    app: Arc<App>,
    data_dir: PathBuf,
    /// The running sync task, if any.
    sync: Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    /// The sync connection's state as last reported.
    online: Arc<Mutex<SyncState>>,
    /// Wakes the notifier.
    wake: Arc<Notify>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum SyncState {
    Local,
    Connecting,
    Online,
    Offline,
}

impl SyncState {
    fn as_str(self) -> &'static str {
        match self {
            SyncState::Local => "local",
            SyncState::Connecting => "connecting",
            SyncState::Online => "online",
            SyncState::Offline => "offline",
        }
    }
}

/// The sync connection's state, for the window.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncEvent {
    /// local, connecting, online or offline.
    pub state: String,
    pub status: SyncStatus,
    pub message: Option<String>,
}

/// Progress while a newly joined device pulls the household's history.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PullProgress {
    /// pairing, pulling, done or failed.
    pub phase: String,
    pub documents: u32,
    pub total: Option<u32>,
    pub message: Option<String>,
}

impl Shell {
    /// Where sync stands, with `online` as the live connection reports it.
    async fn status(&self) -> hearth_app::Result<SyncStatus> {
        let mut status = self.app.sync_status(false).await?;
        status.online = *self.online.lock().unwrap_or_else(|e| e.into_inner()) == SyncState::Online;
        Ok(status)
    }

    /// Something changed that the notifier should look at.
    fn changed(&self) {
        self.wake.notify_one();
    }
}

fn emit<T: Serialize + Clone>(handle: &AppHandle, event: &str, payload: T) {
    if let Err(e) = handle.emit(event, payload) {
        tracing::warn!(event, error = %e, "cannot reach the window");
    }
}

/// Starts the sync task (stopping one already running).
fn start_sync(shell: &Shell, handle: &AppHandle) {
    let app = shell.app.clone();
    let online = shell.online.clone();
    let handle = handle.clone();
    let (tx, mut rx) = mpsc::unbounded_channel::<(SyncState, Option<String>)>();
    let task = tauri::async_runtime::spawn(async move {
        let reporter = {
            let app = app.clone();
            let online = online.clone();
            let handle = handle.clone();
            tauri::async_runtime::spawn(async move {
                while let Some((state, message)) = rx.recv().await {
                    *online.lock().unwrap_or_else(|e| e.into_inner()) = state;
                    if let Ok(mut status) = app.sync_status(false).await {
                        status.online = state == SyncState::Online;
                        emit(
                            &handle,
                            "sync",
                            SyncEvent {
                                state: state.as_str().to_owned(),
                                status,
                                message,
                            },
                        );
                    }
                }
            })
        };
        let result = app
            .sync_watch(|event| {
                let report = match event {
                    WatchEvent::Connecting => (SyncState::Connecting, None),
                    WatchEvent::Synced(_) => (SyncState::Online, None),
                    WatchEvent::Offline(why) => (SyncState::Offline, Some(why)),
                };
                let _ = tx.send(report);
            })
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "sync stopped");
            let _ = tx.send((SyncState::Offline, Some(e.to_string())));
        }
        drop(tx);
        let _ = reporter.await;
    });
    if let Some(old) = shell
        .sync
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .replace(task)
    {
        old.abort();
    }
}

/// Pairs this (empty) device with a household on a server and pulls its
/// history, reporting progress as `pull` events.
async fn join(
    shell: &Shell,
    handle: &AppHandle,
    server: &str,
    code: &str,
) -> Result<Link, commands::ErrorBody> {
    let progress = |phase: &str, documents: u32, message: Option<String>| {
        emit(
            handle,
            "pull",
            PullProgress {
                phase: phase.to_owned(),
                documents,
                total: None,
                message,
            },
        );
    };
    progress("pairing", 0, None);
    let link = match shell.app.join_server(server.trim(), code.trim()).await {
        Ok(link) => link,
        Err(e) => {
            progress("failed", 0, Some(e.to_string()));
            return Err(e.into());
        }
    };
    progress("pulling", 0, None);
    // Count the documents as they arrive while the pull runs.
    let counter = {
        let app = shell.app.clone();
        let handle = handle.clone();
        tauri::async_runtime::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if let Ok(docs) = app.storage().await {
                    emit(
                        &handle,
                        "pull",
                        PullProgress {
                            phase: "pulling".to_owned(),
                            documents: u32::try_from(docs.len()).unwrap_or(u32::MAX),
                            total: None,
                            message: None,
                        },
                    );
                }
            }
        })
    };
    let pulled = shell.app.sync_once(Duration::from_secs(120)).await;
    counter.abort();
    // The household as pulled is what this computer starts from: the
    // notifier's first look records it without telling it, and tells what
    // happens from here on.
    if let Err(e) = shell.app.take_notices().await {
        tracing::warn!(error = %e, "cannot record the household's notifications");
    }
    match pulled {
        Ok(report) => {
            progress(
                "done",
                u32::try_from(report.documents).unwrap_or(u32::MAX),
                None,
            );
            start_sync(shell, handle);
            shell.changed();
            Ok(link)
        }
        Err(e) => {
            // Paired: the watch keeps pulling when the server is back.
            progress("failed", 0, Some(e.to_string()));
            start_sync(shell, handle);
            Err(e.into())
        }
    }
}

/// A QR code of `text`, as SVG markup.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#1d1b19"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

fn data_dir() -> Result<PathBuf, String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args
                .next()
                .map(PathBuf::from)
                .ok_or_else(|| "--data-dir needs a directory".to_owned());
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Ok(PathBuf::from(dir));
        }
    }
    if let Some(dir) = std::env::var_os("HEARTH_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    App::default_data_dir().ok_or_else(|| "no home directory: pass --data-dir".to_owned())
}

/// Whether this computer shows notifications (a screen everyone can see,
/// such as a shared one in a hallway, may want to stay quiet).
fn notifications_wanted() -> bool {
    !std::env::args().any(|a| a == "--no-notifications")
        && std::env::var("HEARTH_NOTIFICATIONS").map_or(true, |v| v != "off")
}

/// The D-Bus name that keeps one instance per data dir.
fn instance_id(identifier: &str, data_dir: &std::path::Path, default: bool) -> String {
    if default {
        identifier.to_owned()
    } else {
        let hash = Sha256::digest(data_dir.to_string_lossy().as_bytes());
        format!("{identifier}.d{}", &hex::encode(hash)[..16])
    }
}

/// The window is drawn by the CPU: WebKit's accelerated compositing holds a
/// GL context and its layers in the web process (about 100 MB where Mesa
/// renders in software), for screens that are lists and buttons. Set before
/// the page is first drawn; `HEARTH_GPU=1` keeps WebKit's default.
fn render_without_gpu(window: &tauri::WebviewWindow) {
    if std::env::var_os("HEARTH_GPU").is_some_and(|v| v == "1") {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let result = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = result {
            tracing::warn!("cannot set the webview's rendering: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEARTH_LOG")
                .unwrap_or_else(|_| "warn,hearth=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let dir = match data_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("hearth-desktop: {e}");
            std::process::exit(2);
        }
    };
    let app = match tauri::async_runtime::block_on(App::open(&dir)) {
        Ok(app) => Arc::new(app),
        Err(e) => {
            eprintln!("hearth-desktop: cannot open {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    let default_dir = App::default_data_dir().is_some_and(|d| d == dir);
    let context = tauri::generate_context!();
    let dbus_id = instance_id(&context.config().identifier, &dir, default_dir);
    let shell = Shell {
        app: app.clone(),
        data_dir: dir,
        sync: Mutex::new(None),
        online: Arc::new(Mutex::new(SyncState::Local)),
        wake: Arc::new(Notify::new()),
    };
    let result = tauri::Builder::default()
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(dbus_id)
                .callback(|handle, _args, _cwd| {
                    if let Some(window) = handle.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::members,
            commands::chores,
            commands::rewards,
            commands::today,
            commands::balances,
            commands::redemptions,
            commands::history,
            commands::stats,
            commands::pending_completions,
            commands::describe,
            commands::verify_pin,
            commands::create_household,
            commands::join_household,
            commands::update_settings,
            commands::add_member,
            commands::rename_member,
            commands::archive_member,
            commands::set_pin,
            commands::set_goal,
            commands::add_chore,
            commands::update_chore,
            commands::archive_chore,
            commands::done,
            commands::undo,
            commands::void,
            commands::review,
            commands::adjust,
            commands::add_reward,
            commands::update_reward,
            commands::archive_reward,
            commands::redeem,
            commands::move_redemption,
            commands::sync_status,
            commands::connect_server,
            commands::invite,
            commands::devices,
            commands::revoke,
            commands::sync_now,
        ])
        .setup(move |tauri_app| {
            let handle = tauri_app.handle().clone();
            if let Some(window) = handle.get_webview_window("main") {
                render_without_gpu(&window);
            }
            let shell = tauri_app.state::<Shell>();
            // Every change, made here or arriving through sync, refreshes
            // the window and wakes the notifier.
            let mut events = app.subscribe();
            let wake = shell.wake.clone();
            let events_handle = handle.clone();
            tauri::async_runtime::spawn(async move {
                // A lagging receiver has missed events, not the change.
                while let Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) =
                    events.recv().await
                {
                    emit(&events_handle, "changed", ());
                    wake.notify_one();
                }
            });
            let linked = tauri::async_runtime::block_on(app.linked()).unwrap_or(false);
            if linked {
                start_sync(&shell, &handle);
            }
            if notifications_wanted() {
                notifier::spawn(app.clone(), shell.wake.clone());
            }
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        eprintln!("hearth-desktop: {e}");
        std::process::exit(1);
    }
}

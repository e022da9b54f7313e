//! Sync with a Hearth server: registering the household, invites, pairing,
//! devices, and the sync engine itself.
//!
//! The engine speaks the automerge-repo protocol over one WebSocket. It
//! keeps one Automerge sync state per document, persisted in the store so
//! that a reconnect starts from what the server is known to have. Changes
//! that arrive are applied through the same path as local edits: stored
//! durably with their projections in one transaction, then announced as
//! events. A device that joins asks for the household document first, then
//! for every month's ledger the household document lists.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::{SinkExt, StreamExt};
use hearth_doc::automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use hearth_doc::automerge::{AutoCommit, ChangeHash};
use hearth_doc::{Doc, DocId, DocKind};
use hearth_wire::{Message, PROTOCOL_VERSION, PeerMetadata};
use serde::{Deserialize, Serialize};
use tokio_tungstenite::tungstenite;

use hearth_domain::Role;

use crate::{App, AppError, Inner, META_HOUSEHOLD, Result, Slot, Writer};

const META_SERVER: &str = "sync_server";
const META_TOKEN: &str = "sync_token";
const META_DEVICE: &str = "sync_device";
pub(crate) const META_ROLE: &str = "sync_role";
const META_SYNC_HOUSEHOLD: &str = "sync_household";
const META_LAST_SYNCED: &str = "sync_last_synced";

/// How this device is registered with a server.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Link {
    pub server: String,
    pub household_id: String,
    pub device_id: String,
    pub role: String,
    #[serde(skip)]
    token: String,
}

/// An invite code to give to a new device.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct InviteView {
    pub code: String,
    pub role: String,
    pub expires_at: i64,
}

/// A device of the household, as the server knows it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
    pub revoked: bool,
    pub connected: bool,
}

/// Where sync stands.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SyncStatus {
    /// Registered with a server at all.
    pub linked: bool,
    pub server: Option<String>,
    pub device_id: Option<String>,
    pub role: Option<String>,
    /// Whether the server answered just now.
    pub online: bool,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Local changes the server is not known to have (0 with no server:
    /// there is nowhere to send them).
    pub pending_changes: usize,
}

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct SyncReport {
    pub documents: usize,
    pub received: usize,
    pub sent: usize,
}

#[derive(Deserialize)]
struct Credentials {
    household_id: String,
    device_id: String,
    token: String,
    role: String,
}

#[derive(Deserialize)]
struct ServerError {
    code: String,
    message: String,
}

fn http() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| AppError::Unreachable(format!("cannot make an HTTP client: {e}")))
}

fn normalize_server(server: &str) -> Result<String> {
    let server = server.trim().trim_end_matches('/');
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        return Err(AppError::Invalid(format!(
            "'{server}' is not a server address (use http://HOST:PORT or https://HOST)"
        )));
    }
    Ok(server.to_owned())
}

fn unreachable(server: &str, e: impl std::fmt::Display) -> AppError {
    AppError::Unreachable(format!("cannot reach the sync server at {server}: {e}"))
}

/// Turns a response into its JSON body or the server's `{code, message}`.
async fn answer<T: serde::de::DeserializeOwned>(
    server: &str,
    response: std::result::Result<reqwest::Response, reqwest::Error>,
) -> Result<T> {
    let response = response.map_err(|e| unreachable(server, e))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| unreachable(server, e))?;
    if status.is_success() {
        let body: &[u8] = if body.is_empty() { b"null" } else { &body };
        return serde_json::from_slice(body).map_err(|e| AppError::Server {
            code: "bad_response".into(),
            message: format!("unexpected answer from the server: {e}"),
        });
    }
    Err(match serde_json::from_slice::<ServerError>(&body) {
        Ok(e) => AppError::Server {
            code: e.code,
            message: e.message,
        },
        Err(_) => AppError::Server {
            code: status.as_u16().to_string(),
            message: format!("the server answered {status}"),
        },
    })
}

fn device_name() -> String {
    std::env::var("HEARTH_DEVICE_NAME")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Hearth device".to_owned())
}

impl App {
    /// Whether this device is linked to a sync server (reads no document).
    pub async fn linked(&self) -> Result<bool> {
        Ok(self.link().await?.is_some())
    }

    async fn link(&self) -> Result<Option<Link>> {
        let mut inner = self.inner.lock().await;
        let store = &mut inner.store;
        let (Some(server), Some(token), Some(device_id), Some(role), Some(household_id)) = (
            store.meta(META_SERVER).await?,
            store.meta(META_TOKEN).await?,
            store.meta(META_DEVICE).await?,
            store.meta(META_ROLE).await?,
            store.meta(META_SYNC_HOUSEHOLD).await?,
        ) else {
            return Ok(None);
        };
        Ok(Some(Link {
            server,
            household_id,
            device_id,
            role,
            token,
        }))
    }

    async fn require_link(&self) -> Result<Link> {
        self.link().await?.ok_or_else(|| {
            AppError::Invalid(
                "this device is not connected to a sync server: run `hearth connect --server URL` \
                 or `hearth join --server URL --code CODE`"
                    .into(),
            )
        })
    }

    async fn save_link(&self, server: &str, c: &Credentials) -> Result<Link> {
        let mut inner = self.inner.lock().await;
        let mut tx = inner.store.begin().await?;
        tx.set_meta(META_SERVER, server).await?;
        tx.set_meta(META_TOKEN, &c.token).await?;
        tx.set_meta(META_DEVICE, &c.device_id).await?;
        tx.set_meta(META_ROLE, &c.role).await?;
        tx.set_meta(META_SYNC_HOUSEHOLD, &c.household_id).await?;
        tx.commit().await?;
        Ok(Link {
            server: server.to_owned(),
            household_id: c.household_id.clone(),
            device_id: c.device_id.clone(),
            role: c.role.clone(),
            token: c.token.clone(),
        })
    }

    /// Registers this device's household on a server; this device becomes
    /// a parent device of it there.
    pub async fn connect_server(
        &self,
        server: &str,
        registration_secret: Option<&str>,
    ) -> Result<Link> {
        let server = normalize_server(server)?;
        if let Some(link) = self.link().await? {
            return Err(AppError::Conflict(format!(
                "this device is already connected to {}",
                link.server
            )));
        }
        let household = self.household().await?;
        let mut body = serde_json::json!({
            "household_id": household.id,
            "name": household.name,
            "device_name": device_name(),
        });
        if let Some(secret) = registration_secret {
            body["registration_secret"] = secret.into();
        }
        let response = http()?
            .post(format!("{server}/v1/households"))
            .json(&body)
            .send()
            .await;
        let creds: Credentials = answer(&server, response).await?;
        let link = self.save_link(&server, &creds).await?;
        // Everything written here so far was written on this parent's
        // device: register its actors (this one and any earlier ones, e.g.
        // from before the data dir was copied) as a parent device's.
        let actors = self.ledger_authors().await?;
        self.register_actors(&creds.device_id, Role::Parent, actors)
            .await?;
        Ok(link)
    }

    /// Every actor that wrote a review or an adjustment here, and this
    /// device's own.
    async fn ledger_authors(&self) -> Result<BTreeSet<String>> {
        let mut inner = self.inner.lock().await;
        let mut actors = BTreeSet::from([inner.actor.to_hex_string()]);
        inner.catch_up_read().await?;
        let loaded = inner.load_all().await?;
        for ledger in loaded.ledgers.values() {
            actors.extend(
                ledger
                    .completions
                    .iter()
                    .filter_map(|c| c.review.as_ref()?.author.clone()),
            );
            actors.extend(ledger.adjustments.iter().filter_map(|a| a.author.clone()));
        }
        Ok(actors)
    }

    /// Records in the household document which device, with which role,
    /// the given Automerge actors belong to.
    async fn register_actors(
        &self,
        device: &str,
        role: Role,
        actors: BTreeSet<String>,
    ) -> Result<()> {
        self.write_as(self.now(), None, |w, _| {
            let doc = w.household_doc()?;
            for a in &actors {
                doc.put_device(a, device, role)?;
            }
            Ok(())
        })
        .await
    }

    /// Registers this device's current actor if the household document
    /// does not list it yet (a device that just joined, or whose data dir
    /// was copied and got a new actor).
    async fn ensure_registered(&self, link: &Link) -> Result<()> {
        let role = if link.role == "parent" {
            Role::Parent
        } else {
            Role::Child
        };
        let actor = {
            let mut inner = self.inner.lock().await;
            if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
                return Ok(());
            }
            let actor = inner.actor.to_hex_string();
            inner.catch_up_read().await?;
            let loaded = inner.load().await?;
            if loaded.household.devices.get(&actor) == Some(&role) {
                return Ok(());
            }
            actor
        };
        self.register_actors(&link.device_id, role, BTreeSet::from([actor]))
            .await
    }

    /// Pairs this (empty) data dir with a household on a server using an
    /// invite code. The household arrives with the first sync.
    pub async fn join_server(&self, server: &str, code: &str) -> Result<Link> {
        let server = normalize_server(server)?;
        {
            let mut inner = self.inner.lock().await;
            if let Some(existing) = inner.store.meta(META_HOUSEHOLD).await? {
                return Err(AppError::AlreadyInitialized(existing));
            }
        }
        let body = serde_json::json!({"code": code, "device_name": device_name()});
        let response = http()?
            .post(format!("{server}/v1/pair"))
            .json(&body)
            .send()
            .await;
        let creds: Credentials = answer(&server, response).await?;
        if DocId::parse(&creds.household_id).is_none() {
            return Err(AppError::Server {
                code: "bad_response".into(),
                message: "the server named a household that is not a document id".into(),
            });
        }
        self.save_link(&server, &creds).await
    }

    /// An invite code for a new device (parent devices only).
    pub async fn invite(&self, role: &str) -> Result<InviteView> {
        let link = self.require_link().await?;
        let response = http()?
            .post(format!(
                "{}/v1/households/{}/invites",
                link.server, link.household_id
            ))
            .bearer_auth(&link.token)
            .json(&serde_json::json!({"role": role}))
            .send()
            .await;
        answer(&link.server, response).await
    }

    /// The household's devices, as the server knows them.
    pub async fn devices(&self) -> Result<Vec<DeviceView>> {
        let link = self.require_link().await?;
        let response = http()?
            .get(format!(
                "{}/v1/households/{}/devices",
                link.server, link.household_id
            ))
            .bearer_auth(&link.token)
            .send()
            .await;
        answer(&link.server, response).await
    }

    /// Removes a device from the household (parent devices only); its
    /// connections are closed and its token stops working.
    pub async fn revoke(&self, device: &str) -> Result<()> {
        let link = self.require_link().await?;
        let response = http()?
            .delete(format!(
                "{}/v1/households/{}/devices/{}",
                link.server, link.household_id, device
            ))
            .bearer_auth(&link.token)
            .send()
            .await;
        answer::<Option<()>>(&link.server, response).await?;
        Ok(())
    }

    /// Where sync stands; `probe` asks the server whether it is reachable.
    pub async fn sync_status(&self, probe: bool) -> Result<SyncStatus> {
        let link = self.link().await?;
        let last = {
            let mut inner = self.inner.lock().await;
            inner.store.meta(META_LAST_SYNCED).await?
        };
        let pending = match link {
            Some(_) => self.pending_changes().await?,
            None => 0,
        };
        let online = match (&link, probe) {
            (Some(link), true) => http()?
                .get(format!("{}/healthz", link.server))
                .timeout(Duration::from_secs(3))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success()),
            _ => false,
        };
        Ok(SyncStatus {
            linked: link.is_some(),
            server: link.as_ref().map(|l| l.server.clone()),
            device_id: link.as_ref().map(|l| l.device_id.clone()),
            role: link.as_ref().map(|l| l.role.clone()),
            online,
            last_synced_at: last
                .and_then(|v| v.parse::<i64>().ok())
                .and_then(DateTime::from_timestamp_millis),
            pending_changes: pending,
        })
    }

    /// Local changes not covered by what the server is known to have.
    async fn pending_changes(&self) -> Result<usize> {
        let mut inner = self.inner.lock().await;
        if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
            return Ok(0);
        }
        let states = load_states(&mut inner).await?;
        inner.catch_up_read().await?;
        let loaded = inner.load_all().await?;
        Ok(loaded
            .slots
            .iter_mut()
            .map(|(id, slot)| {
                let shared: Vec<ChangeHash> = states
                    .get(id)
                    .map(|s| s.shared_heads.clone())
                    .unwrap_or_default();
                slot.doc.automerge().get_changes(&shared).len()
            })
            .sum())
    }

    /// Syncs until this device and the server have the same documents,
    /// then returns. Fails with `Unreachable` when the server cannot be
    /// reached, and after `timeout` without getting up to date.
    pub async fn sync_once(&self, timeout: Duration) -> Result<SyncReport> {
        let link = self.require_link().await?;
        match tokio::time::timeout(timeout, self.session(&link, false, &mut |_| {})).await {
            Ok(r) => r,
            Err(_) => Err(AppError::Unreachable(format!(
                "sync with {} did not finish within {} s",
                link.server,
                timeout.as_secs()
            ))),
        }
    }

    /// Stays connected, pushing local edits and taking remote ones as they
    /// happen; reconnects with exponential backoff and jitter while the
    /// server is unreachable. Returns only if this device is refused
    /// (revoked, or its token unknown).
    pub async fn sync_watch(&self, mut on_event: impl FnMut(WatchEvent) + Send) -> Result<()> {
        let link = self.require_link().await?;
        let mut delay = Duration::from_millis(250);
        loop {
            on_event(WatchEvent::Connecting);
            let started = std::time::Instant::now();
            match self.session(&link, true, &mut on_event).await {
                Ok(_) => {}
                Err(e @ AppError::Server { .. }) if is_refusal(&e) => return Err(e),
                Err(e) => on_event(WatchEvent::Offline(e.to_string())),
            }
            if started.elapsed() > Duration::from_secs(30) {
                delay = Duration::from_millis(250);
            }
            let jitter = rand::random_range(0.5..1.5);
            tokio::time::sleep(delay.mul_f64(jitter)).await;
            delay = (delay * 2).min(Duration::from_secs(30));
        }
    }

    async fn session(
        &self,
        link: &Link,
        watch: bool,
        on_event: &mut (dyn FnMut(WatchEvent) + Send),
    ) -> Result<SyncReport> {
        let ws_url = format!(
            "{}/v1/sync",
            link.server
                .replacen("https://", "wss://", 1)
                .replacen("http://", "ws://", 1)
        );
        let mut request =
            tungstenite::client::IntoClientRequest::into_client_request(ws_url.as_str())
                .map_err(|e| AppError::Invalid(format!("bad server address {ws_url}: {e}")))?;
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", link.token)
                .parse()
                .map_err(|_| AppError::Invalid("the stored device token is damaged".into()))?,
        );
        let connect = tokio::time::timeout(
            Duration::from_secs(10),
            tokio_tungstenite::connect_async(request),
        )
        .await
        .map_err(|_| unreachable(&link.server, "no answer within 10 s"))?;
        let (mut ws, _) = match connect {
            Ok(ok) => ok,
            Err(tungstenite::Error::Http(response)) => {
                let body = response.body().clone().unwrap_or_default();
                return Err(match serde_json::from_slice::<ServerError>(&body) {
                    Ok(e) => AppError::Server {
                        code: e.code,
                        message: e.message,
                    },
                    Err(_) => AppError::Server {
                        code: response.status().as_u16().to_string(),
                        message: format!(
                            "the server refused the connection ({})",
                            response.status()
                        ),
                    },
                });
            }
            Err(e) => return Err(unreachable(&link.server, e)),
        };
        let me = format!("hearth-{}", link.device_id);
        let join = Message::Join {
            sender_id: me.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.into()],
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: false,
            },
        };
        send(&mut ws, &join, &link.server).await?;
        let server_peer = loop {
            match next_message(&mut ws, &link.server).await? {
                Message::Peer { sender_id, .. } => break sender_id,
                Message::Error { message } => {
                    return Err(AppError::Server {
                        code: "error".into(),
                        message,
                    });
                }
                _ => {}
            }
        };
        let mut engine = Engine {
            app: self,
            link,
            me,
            server_peer,
            states: BTreeMap::new(),
            requested: BTreeSet::new(),
            unavailable: BTreeSet::new(),
            report: SyncReport::default(),
            known_seq: -1,
        };
        {
            let mut inner = self.inner.lock().await;
            engine.states = load_states(&mut inner).await?;
        }
        engine.push_all(&mut ws).await?;
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        let mut save = tokio::time::interval(Duration::from_secs(1));
        let mut reported = None;
        loop {
            if !watch && engine.up_to_date().await? {
                engine.finish().await?;
                let _ = ws.close(None).await;
                return Ok(engine.report);
            }
            tokio::select! {
                message = next_message(&mut ws, &link.server) => {
                    let message = message?;
                    engine.take(&mut ws, message).await?;
                }
                _ = tick.tick(), if watch => {
                    engine.push_local(&mut ws).await?;
                }
                _ = save.tick(), if watch => {
                    let now = (engine.report.received, engine.report.sent);
                    if reported != Some(now) && engine.up_to_date().await? {
                        engine.finish().await?;
                        reported = Some(now);
                        on_event(WatchEvent::Synced(engine.report.clone()));
                    }
                }
            }
        }
    }

    /// A sync message for `id` (from an empty document if this device does
    /// not have it yet).
    async fn sync_generate(&self, id: DocId, state: &mut SyncState) -> Result<Option<SyncMessage>> {
        let mut inner = self.inner.lock().await;
        if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
            return Ok(AutoCommit::new().sync().generate_sync_message(state));
        }
        inner.catch_up_read().await?;
        let loaded = inner.load_all().await?;
        Ok(match loaded.slots.get_mut(&id) {
            Some(slot) => slot.doc.automerge().sync().generate_sync_message(state),
            None => AutoCommit::new().sync().generate_sync_message(state),
        })
    }

    /// This device's heads of `id` (empty if it does not have it).
    async fn sync_heads(&self, id: DocId) -> Result<Vec<ChangeHash>> {
        let mut inner = self.inner.lock().await;
        if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
            return Ok(Vec::new());
        }
        let loaded = inner.load_all().await?;
        Ok(loaded
            .slots
            .get_mut(&id)
            .map(|s| s.doc.heads())
            .unwrap_or_default())
    }

    /// Documents this device has, and the ledgers the household document
    /// lists that it does not have yet.
    async fn sync_docs(&self, household: DocId) -> Result<(Vec<DocId>, Vec<DocId>)> {
        let mut inner = self.inner.lock().await;
        if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
            return Ok((Vec::new(), vec![household]));
        }
        inner.catch_up_read().await?;
        let loaded = inner.load_all().await?;
        let have: Vec<DocId> = loaded.slots.keys().copied().collect();
        let index = loaded.slots[&loaded.household_id].doc.ledger_index()?;
        let missing = index
            .values()
            .filter(|id| !loaded.slots.contains_key(id))
            .copied()
            .collect();
        Ok((have, missing))
    }

    /// Applies a sync message from the server, storing what it brought
    /// (with the projections) before returning. True if anything changed.
    async fn sync_receive(
        &self,
        id: DocId,
        state: &mut SyncState,
        message: SyncMessage,
    ) -> Result<bool> {
        {
            let mut inner = self.inner.lock().await;
            if inner.store.meta(META_HOUSEHOLD).await?.is_none() {
                return receive_household(&mut inner, id, state, message).await;
            }
        }
        self.write_as(self.now(), None, |w, _| w.receive(id, state, message))
            .await
    }
}

/// What `sync --watch` reports as it goes.
#[derive(Debug, Clone)]
pub enum WatchEvent {
    Connecting,
    Synced(SyncReport),
    Offline(String),
}

fn is_refusal(e: &AppError) -> bool {
    matches!(e, AppError::Server { code, .. } if code == "revoked" || code == "invalid_token" || code == "unauthenticated")
}

async fn load_states(inner: &mut Inner) -> Result<BTreeMap<DocId, SyncState>> {
    Ok(inner
        .store
        .sync_states()
        .await?
        .into_iter()
        .filter_map(|(id, bytes)| Some((DocId::parse(&id)?, SyncState::decode(&bytes).ok()?)))
        .collect())
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn send(ws: &mut Ws, message: &Message, server: &str) -> Result<()> {
    ws.send(tungstenite::Message::Binary(message.encode().into()))
        .await
        .map_err(|e| unreachable(server, e))
}

/// The next protocol message; a close or an `error` from the server ends
/// the session with its reason.
async fn next_message(ws: &mut Ws, server: &str) -> Result<Message> {
    loop {
        match ws.next().await {
            Some(Ok(tungstenite::Message::Binary(data))) => {
                return Message::decode(&data).map_err(|e| AppError::Server {
                    code: "protocol".into(),
                    message: format!("unreadable message from the server: {e}"),
                });
            }
            Some(Ok(tungstenite::Message::Close(frame))) => {
                let reason = frame
                    .map(|f| f.reason.to_string())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "the server closed the connection".into());
                return Err(if reason.contains("removed from its household") {
                    AppError::Server {
                        code: "revoked".into(),
                        message: reason,
                    }
                } else {
                    unreachable(server, reason)
                });
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(unreachable(server, e)),
            None => return Err(unreachable(server, "the connection ended")),
        }
    }
}

struct Engine<'a> {
    app: &'a App,
    link: &'a Link,
    me: String,
    server_peer: String,
    states: BTreeMap<DocId, SyncState>,
    /// Documents asked for and not received yet.
    requested: BTreeSet<DocId>,
    unavailable: BTreeSet<DocId>,
    report: SyncReport,
    /// The store's newest chunk when local edits were last pushed.
    known_seq: i64,
}

impl Engine<'_> {
    fn household(&self) -> Result<DocId> {
        DocId::parse(&self.link.household_id)
            .ok_or_else(|| AppError::Invalid("the stored household id is damaged".into()))
    }

    /// Offers every document this device has, and asks for the missing ones.
    async fn push_all(&mut self, ws: &mut Ws) -> Result<()> {
        self.app.ensure_registered(self.link).await?;
        let (have, missing) = self.app.sync_docs(self.household()?).await?;
        for id in have {
            self.offer(ws, id).await?;
        }
        self.ask(ws, missing).await?;
        self.known_seq = self.current_seq().await?;
        Ok(())
    }

    async fn current_seq(&self) -> Result<i64> {
        let mut inner = self.app.inner.lock().await;
        Ok(inner.store.max_seq().await?)
    }

    /// Pushes local edits (of this process or another) if there are any.
    async fn push_local(&mut self, ws: &mut Ws) -> Result<()> {
        let seq = self.current_seq().await?;
        if seq == self.known_seq {
            return Ok(());
        }
        self.known_seq = seq;
        let (have, missing) = self.app.sync_docs(self.household()?).await?;
        for id in have {
            self.offer(ws, id).await?;
        }
        self.ask(ws, missing).await
    }

    async fn ask(&mut self, ws: &mut Ws, ids: Vec<DocId>) -> Result<()> {
        for id in ids {
            if self.requested.contains(&id) || self.unavailable.contains(&id) {
                continue;
            }
            let state = self.states.entry(id).or_default();
            if let Some(m) = self.app.sync_generate(id, state).await? {
                self.requested.insert(id);
                let msg = Message::Request {
                    sender_id: self.me.clone(),
                    target_id: self.server_peer.clone(),
                    document_id: id.to_string(),
                    data: m.encode(),
                };
                self.report.sent += 1;
                send(ws, &msg, &self.link.server).await?;
            }
        }
        Ok(())
    }

    async fn offer(&mut self, ws: &mut Ws, id: DocId) -> Result<()> {
        let state = self.states.entry(id).or_default();
        if let Some(m) = self.app.sync_generate(id, state).await? {
            let msg = Message::Sync {
                sender_id: self.me.clone(),
                target_id: self.server_peer.clone(),
                document_id: id.to_string(),
                data: m.encode(),
            };
            self.report.sent += 1;
            send(ws, &msg, &self.link.server).await?;
        }
        Ok(())
    }

    async fn take(&mut self, ws: &mut Ws, message: Message) -> Result<()> {
        match message {
            Message::Sync {
                document_id, data, ..
            }
            | Message::Request {
                document_id, data, ..
            } => {
                let Some(id) = DocId::parse(&document_id) else {
                    return Ok(());
                };
                let message = SyncMessage::decode(&data).map_err(|e| AppError::Server {
                    code: "protocol".into(),
                    message: format!("an unreadable sync message from the server: {e}"),
                })?;
                let household = self.household()?;
                let state = self.states.entry(id).or_default();
                let changed = self.app.sync_receive(id, state, message).await?;
                if changed {
                    self.report.received += 1;
                    if id == household {
                        // A device that just joined registers itself.
                        self.app.ensure_registered(self.link).await?;
                    }
                }
                let heads = self.app.sync_heads(id).await?;
                if !heads.is_empty() {
                    self.requested.remove(&id);
                }
                self.offer(ws, id).await?;
                if changed && id == household {
                    let (_, missing) = self.app.sync_docs(household).await?;
                    self.ask(ws, missing).await?;
                }
                Ok(())
            }
            Message::DocUnavailable { document_id, .. } => {
                if let Some(id) = DocId::parse(&document_id) {
                    self.requested.remove(&id);
                    self.unavailable.insert(id);
                }
                Ok(())
            }
            Message::Error { message } => {
                let code = if message.contains("removed from its household") {
                    "revoked"
                } else {
                    "refused"
                };
                Err(AppError::Server {
                    code: code.into(),
                    message,
                })
            }
            _ => Ok(()),
        }
    }

    /// Every document is known to be the same on both sides.
    async fn up_to_date(&mut self) -> Result<bool> {
        if !self.requested.is_empty() {
            return Ok(false);
        }
        let (have, missing) = self.app.sync_docs(self.household()?).await?;
        if missing.iter().any(|id| !self.unavailable.contains(id)) || have.is_empty() {
            return Ok(false);
        }
        for id in have {
            let heads = self.app.sync_heads(id).await?;
            let Some(state) = self.states.get(&id) else {
                return Ok(false);
            };
            let mut theirs = state.their_heads.clone().unwrap_or_default();
            let mut ours = heads;
            theirs.sort();
            ours.sort();
            if theirs != ours {
                return Ok(false);
            }
        }
        self.report.documents = self.states.len();
        Ok(true)
    }

    /// Persists the sync states and when this device was last in sync.
    async fn finish(&mut self) -> Result<()> {
        let states: Vec<(String, Vec<u8>)> = self
            .states
            .iter()
            .map(|(id, s)| (id.to_string(), s.encode()))
            .collect();
        let now = self.app.now().timestamp_millis().to_string();
        let mut inner = self.app.inner.lock().await;
        let mut tx = inner.store.begin().await?;
        tx.put_sync_states(&states).await?;
        tx.set_meta(META_LAST_SYNCED, &now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The household document arriving on a device that joined.
async fn receive_household(
    inner: &mut Inner,
    id: DocId,
    state: &mut SyncState,
    message: SyncMessage,
) -> Result<bool> {
    let expected = inner.store.meta(META_SYNC_HOUSEHOLD).await?;
    if expected.as_deref() != Some(id.to_string().as_str()) {
        return Ok(false);
    }
    let mut am = AutoCommit::new();
    am.sync()
        .receive_sync_message(state, message)
        .map_err(hearth_doc::DocError::from)?;
    if am.get_heads().is_empty() {
        return Ok(false);
    }
    let mut doc = Doc::from_automerge(id, am, inner.actor.clone())?;
    if doc.kind() != DocKind::Household {
        return Err(AppError::Invalid(
            "the server sent something else as the household document".into(),
        ));
    }
    doc.household()?;
    let mut tx = inner.store.begin().await?;
    tx.ensure_doc(&id.to_string(), "household", None).await?;
    tx.put_chunk(&id.to_string(), &doc.save()).await?;
    tx.set_meta(META_HOUSEHOLD, &id.to_string()).await?;
    tx.commit().await?;
    inner.loaded = None;
    inner.known_seq = -1;
    Ok(true)
}

impl Writer<'_, '_> {
    /// Applies a sync message from the server to document `id` (starting it
    /// if this device does not have it yet: one of the household's ledgers).
    /// True if it brought anything; the write path then stores it.
    fn receive(&mut self, id: DocId, state: &mut SyncState, message: SyncMessage) -> Result<bool> {
        if let Some(slot) = self.loaded.slots.get_mut(&id) {
            let before = slot.doc.heads();
            slot.doc
                .automerge()
                .sync()
                .receive_sync_message(state, message)
                .map_err(hearth_doc::DocError::from)?;
            if slot.doc.heads() == before {
                return Ok(false);
            }
            slot.doc.check()?;
            self.touched.insert(id);
            return Ok(true);
        }
        let mut am = AutoCommit::new();
        am.sync()
            .receive_sync_message(state, message)
            .map_err(hearth_doc::DocError::from)?;
        if am.get_heads().is_empty() {
            return Ok(false);
        }
        let doc = Doc::from_automerge(id, am, self.actor.clone())?;
        let household = self.loaded.household_id;
        let Some(period) = doc
            .period()
            .filter(|p| doc.kind() == DocKind::Ledger && DocId::ledger(&household, p) == id)
        else {
            return Err(AppError::Invalid(format!(
                "the server sent {id}, which is not one of this household's ledgers"
            )));
        };
        self.loaded.periods.insert(period.clone(), id);
        self.loaded.slots.insert(
            id,
            Slot {
                doc,
                last_seq: 0,
                incremental: 0,
                period: Some(period),
            },
        );
        self.new_docs.insert(id);
        self.touched.insert(id);
        Ok(true)
    }
}

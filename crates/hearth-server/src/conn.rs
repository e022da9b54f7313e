//! One device's WebSocket connection, speaking the automerge-repo protocol.
//!
//! The device authenticated at the upgrade; the connection only ever opens
//! documents of that device's household. It keeps one Automerge sync state
//! per document, answers every `request`/`sync`, and pushes whatever other
//! devices of the household changed as soon as it is stored.

use std::collections::HashMap;
use std::sync::Arc;

use automerge::sync::{Message as SyncMessage, State as SyncState};
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use hearth_doc::DocId;
use hearth_wire::{Message, PROTOCOL_VERSION, PeerMetadata};
use tokio::sync::mpsc;

use crate::hub::{DocEntry, Fault, Reply};
use crate::storage::DeviceRow;
use crate::{Server, now_ms};

/// Close codes (RFC 6455).
const CLOSE_NORMAL: u16 = 1000;
const CLOSE_GOING_AWAY: u16 = 1001;
const CLOSE_UNSUPPORTED: u16 = 1003;
const CLOSE_POLICY: u16 = 1008;
const CLOSE_TOO_BIG: u16 = 1009;
const CLOSE_INTERNAL: u16 = 1011;

struct Conn {
    server: Arc<Server>,
    device: DeviceRow,
    id: u64,
    peer: Option<String>,
    docs: HashMap<DocId, (Arc<DocEntry>, SyncState)>,
    changed_tx: mpsc::UnboundedSender<DocId>,
}

/// Why the connection ends.
struct Close(u16, String);

pub async fn run(server: Arc<Server>, mut socket: WebSocket, device: DeviceRow) {
    let hub = server.hub.clone();
    let (id, mut revoked) = hub.connect(&device.id);
    let (changed_tx, mut changed_rx) = mpsc::unbounded_channel();
    let mut shutdown = server.shutdown.clone();
    let _ = server.storage.touch_device(&device.id, now_ms()).await;
    tracing::info!(device = %device.id, household = %device.household_id, conn = id, "device connected");
    let mut conn = Conn {
        server,
        device,
        id,
        peer: None,
        docs: HashMap::new(),
        changed_tx,
    };
    let close = loop {
        let outcome = tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(WsMessage::Binary(data))) => conn.frame(&mut socket, &data).await,
                Some(Ok(WsMessage::Text(_))) => Err(Close(
                    CLOSE_UNSUPPORTED,
                    "expected binary frames carrying CBOR messages".into(),
                )),
                Some(Ok(WsMessage::Close(_))) | None => break None,
                Some(Ok(_)) => Ok(()),
                Some(Err(e)) => {
                    tracing::info!(device = %conn.device.id, error = %e, "socket error");
                    break None;
                }
            },
            Some(doc) = changed_rx.recv() => conn.push(&mut socket, doc).await,
            _ = async { let _ = revoked.wait_for(|r| *r).await; } => Err(Close(
                CLOSE_POLICY,
                "this device was removed from its household".into(),
            )),
            _ = async { let _ = shutdown.wait_for(|s| *s).await; } => Err(Close(
                CLOSE_GOING_AWAY,
                "the server is restarting; reconnect shortly".into(),
            )),
        };
        if let Err(close) = outcome {
            break Some(close);
        }
    };
    if let Some(Close(code, reason)) = close {
        tracing::info!(device = %conn.device.id, code, reason = %reason, "closing connection");
        close_with(&mut socket, code, reason).await;
    }
    for (entry, _) in conn.docs.values() {
        entry.unsubscribe(conn.id);
    }
    let _ = conn
        .server
        .storage
        .touch_device(&conn.device.id, now_ms())
        .await;
    hub.disconnect(&conn.device.id, conn.id);
    tracing::info!(device = %conn.device.id, conn = conn.id, "device disconnected");
}

/// Tells a client that cannot read HTTP errors why it is refused, then
/// closes.
pub async fn refuse(mut socket: WebSocket, reason: String) {
    close_with(&mut socket, CLOSE_POLICY, reason).await;
}

/// Closes with `code`; unless the close is ordinary, an `error` message
/// first tells the client why (close reasons are cut to 100 characters).
async fn close_with(socket: &mut WebSocket, code: u16, reason: String) {
    if code != CLOSE_NORMAL && code != CLOSE_GOING_AWAY {
        let error = Message::Error {
            message: reason.clone(),
        };
        let _ = socket.send(WsMessage::Binary(error.encode().into())).await;
    }
    let reason: String = reason.chars().take(100).collect();
    let _ = socket
        .send(WsMessage::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })))
        .await;
}

impl Conn {
    async fn send(&self, socket: &mut WebSocket, message: Message) -> Result<(), Close> {
        let bytes = message.encode();
        self.server.metrics.message("out", bytes.len());
        socket
            .send(WsMessage::Binary(bytes.into()))
            .await
            .map_err(|_| Close(CLOSE_NORMAL, String::new()))
    }

    fn peer(&self) -> String {
        self.peer.clone().unwrap_or_default()
    }

    async fn frame(&mut self, socket: &mut WebSocket, data: &[u8]) -> Result<(), Close> {
        let limit = self.server.config.max_frame_bytes;
        self.server.metrics.message("in", data.len());
        if data.len() > limit {
            self.server.metrics.refuse("too_big");
            return Err(Close(
                CLOSE_TOO_BIG,
                format!(
                    "a frame of {} bytes is over this server's limit of {limit}",
                    data.len()
                ),
            ));
        }
        let message = Message::decode(data).map_err(|e| {
            self.server.metrics.refuse("malformed");
            Close(CLOSE_UNSUPPORTED, format!("malformed message: {e}"))
        })?;
        match message {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                ..
            } => {
                if !supported_protocol_versions
                    .iter()
                    .any(|v| v == PROTOCOL_VERSION)
                {
                    return Err(Close(
                        CLOSE_UNSUPPORTED,
                        format!("this server speaks protocol version {PROTOCOL_VERSION}"),
                    ));
                }
                self.peer = Some(sender_id.clone());
                let hub_peer = self.server.hub.peer_id.clone();
                self.send(
                    socket,
                    Message::Peer {
                        sender_id: hub_peer,
                        target_id: sender_id,
                        selected_protocol_version: PROTOCOL_VERSION.into(),
                        peer_metadata: PeerMetadata {
                            storage_id: None,
                            is_ephemeral: false,
                        },
                    },
                )
                .await
            }
            Message::Request {
                document_id, data, ..
            } => self.sync(socket, &document_id, &data, true).await,
            Message::Sync {
                document_id, data, ..
            } => self.sync(socket, &document_id, &data, false).await,
            Message::Error { message } => {
                tracing::info!(device = %self.device.id, message = %message, "the device reported an error");
                Ok(())
            }
            Message::Peer { .. } | Message::DocUnavailable { .. } | Message::Other { .. } => Ok(()),
        }
    }

    async fn sync(
        &mut self,
        socket: &mut WebSocket,
        document_id: &str,
        data: &[u8],
        request: bool,
    ) -> Result<(), Close> {
        if self.peer.is_none() {
            return Err(Close(
                CLOSE_POLICY,
                "send 'join' before syncing documents".into(),
            ));
        }
        let unavailable = Message::DocUnavailable {
            sender_id: self.server.hub.peer_id.clone(),
            target_id: self.peer(),
            document_id: document_id.to_owned(),
        };
        let Some(doc_id) = DocId::parse(
            document_id
                .strip_prefix("automerge:")
                .unwrap_or(document_id),
        ) else {
            self.server.metrics.refuse("unknown_document");
            return self.send(socket, unavailable).await;
        };
        let message = SyncMessage::decode(data).map_err(|e| {
            self.server.metrics.refuse("garbage");
            Close(
                CLOSE_UNSUPPORTED,
                format!("not an Automerge sync message: {e}"),
            )
        })?;
        if !self.docs.contains_key(&doc_id) {
            let entry = match self
                .server
                .hub
                .open(&self.device.household_id, doc_id)
                .await
            {
                Ok(Some(entry)) => entry,
                Ok(None) => {
                    self.server.metrics.refuse("unknown_document");
                    return self.send(socket, unavailable).await;
                }
                Err(fault) => return Err(self.fault(fault)),
            };
            entry.subscribe(self.id, self.changed_tx.clone());
            self.docs.insert(doc_id, (entry, SyncState::new()));
        }
        let (entry, state) = self.docs.get_mut(&doc_id).expect("inserted above");
        let child = self.device.role != "parent";
        let reply = self
            .server
            .hub
            .receive(entry, self.id, child, state, message, request)
            .await
            .map_err(|f| {
                if let Fault::Refused(why) = &f {
                    tracing::warn!(device = %self.device.id, doc = %doc_id, reason = %why, "refused changes");
                }
                self.fault(f)
            })?;
        match reply {
            Reply::Sync(m) => {
                let msg = Message::Sync {
                    sender_id: self.server.hub.peer_id.clone(),
                    target_id: self.peer(),
                    document_id: doc_id.to_string(),
                    data: m.encode(),
                };
                self.send(socket, msg).await
            }
            Reply::Unavailable => self.send(socket, unavailable).await,
            Reply::Nothing => Ok(()),
        }
    }

    fn fault(&self, fault: Fault) -> Close {
        match fault {
            Fault::Refused(why) => {
                self.server.metrics.refuse("role");
                Close(CLOSE_POLICY, format!("changes refused: {why}"))
            }
            Fault::Garbage(why) => {
                self.server.metrics.refuse("garbage");
                Close(CLOSE_UNSUPPORTED, format!("invalid Automerge data: {why}"))
            }
            Fault::Storage => Close(
                CLOSE_INTERNAL,
                "the server could not store changes; nothing was lost, try again shortly".into(),
            ),
        }
    }

    /// Another device changed `doc`: send this one what it lacks.
    async fn push(&mut self, socket: &mut WebSocket, doc: DocId) -> Result<(), Close> {
        let Some((entry, state)) = self.docs.get_mut(&doc) else {
            return Ok(());
        };
        let Some(m) = entry.generate(state).await else {
            return Ok(());
        };
        let msg = Message::Sync {
            sender_id: self.server.hub.peer_id.clone(),
            target_id: self.peer(),
            document_id: doc.to_string(),
            data: m.encode(),
        };
        self.send(socket, msg).await
    }
}

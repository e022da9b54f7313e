//! A raw automerge-repo protocol client that bypasses `hearth-app`: it can
//! send anything, including changes a real Hearth device would never make
//! and frames that are not messages at all.

use std::time::Duration;

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{AutoCommit, ReadDoc};
use futures_util::{SinkExt, StreamExt};
use hearth_wire::{Message, PeerMetadata};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// What came from the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    Message(Message),
    /// A close frame (code, reason), or the connection ending (0).
    Closed(u16, String),
}

pub struct Raw {
    ws: Ws,
    pub me: String,
    server: String,
}

/// Runs a future on a fresh single-threaded runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

impl Raw {
    /// Connects with the token in the Authorization header (`None`: no
    /// token), or in the URL when `in_url`. An HTTP refusal is (status, body).
    pub async fn connect(
        ws_url: &str,
        token: Option<&str>,
        in_url: bool,
    ) -> Result<Raw, (u16, String)> {
        let url = match (token, in_url) {
            (Some(t), true) => format!("{ws_url}?token={t}"),
            _ => ws_url.to_owned(),
        };
        let mut request = url.as_str().into_client_request().expect("a URL");
        if let (Some(t), false) = (token, in_url) {
            request.headers_mut().insert(
                "authorization",
                format!("Bearer {t}").parse().expect("header"),
            );
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((ws, _)) => Ok(Raw {
                ws,
                me: format!("raw-{:08x}", rand::random::<u32>()),
                server: String::new(),
            }),
            Err(tungstenite::Error::Http(r)) => Err((
                r.status().as_u16(),
                String::from_utf8_lossy(r.body().as_deref().unwrap_or_default()).into_owned(),
            )),
            Err(e) => Err((0, e.to_string())),
        }
    }

    pub async fn send_frame(&mut self, frame: Vec<u8>) {
        let _ = self
            .ws
            .send(tungstenite::Message::Binary(frame.into()))
            .await;
    }

    pub async fn send_text(&mut self, text: &str) {
        let _ = self.ws.send(tungstenite::Message::Text(text.into())).await;
    }

    pub async fn send(&mut self, m: &Message) {
        self.send_frame(m.encode()).await;
    }

    /// The next message or close, within 10 s.
    pub async fn hear(&mut self) -> Heard {
        loop {
            let next = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("the server answers within 10 s");
            match next {
                Some(Ok(tungstenite::Message::Binary(b))) => {
                    return Heard::Message(
                        Message::decode(&b).expect("the server sends valid messages"),
                    );
                }
                Some(Ok(tungstenite::Message::Close(f))) => {
                    return Heard::Closed(
                        f.as_ref().map_or(0, |f| u16::from(f.code)),
                        f.map(|f| f.reason.to_string()).unwrap_or_default(),
                    );
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Heard::Closed(0, String::new()),
            }
        }
    }

    /// An error message followed by a close: returns (error, close code).
    pub async fn expect_refusal(&mut self) -> (String, u16) {
        let error = match self.hear().await {
            Heard::Message(Message::Error { message }) => message,
            other => panic!("expected an error message, heard {other:?}"),
        };
        match self.hear().await {
            Heard::Closed(code, _) => (error, code),
            other => panic!("expected the connection to close, heard {other:?}"),
        }
    }

    pub async fn join(&mut self) {
        self.send(&Message::Join {
            sender_id: self.me.clone(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata::default(),
        })
        .await;
        match self.hear().await {
            Heard::Message(Message::Peer { sender_id, .. }) => self.server = sender_id,
            other => panic!("expected peer, heard {other:?}"),
        }
    }

    pub fn sync_message(&self, doc: &str, data: Vec<u8>, request: bool) -> Message {
        if request {
            Message::Request {
                sender_id: self.me.clone(),
                target_id: self.server.clone(),
                document_id: doc.to_owned(),
                data,
            }
        } else {
            Message::Sync {
                sender_id: self.me.clone(),
                target_id: self.server.clone(),
                document_id: doc.to_owned(),
                data,
            }
        }
    }

    /// Syncs `doc` (which may be empty) with the server until neither side
    /// has anything to send; returns the last thing heard that was not a
    /// sync message, if any (doc-unavailable, an error, a close).
    pub async fn sync(
        &mut self,
        id: &str,
        doc: &mut AutoCommit,
        state: &mut SyncState,
    ) -> Option<Heard> {
        let request = doc.get_heads().is_empty();
        if let Some(m) = doc.sync().generate_sync_message(state) {
            let msg = self.sync_message(id, m.encode(), request);
            self.send(&msg).await;
        }
        loop {
            let heard = tokio::time::timeout(Duration::from_millis(1500), self.hear()).await;
            let Ok(heard) = heard else { return None };
            match heard {
                Heard::Message(Message::Sync {
                    document_id, data, ..
                }) if document_id == id => {
                    let m = SyncMessage::decode(&data).expect("a sync message");
                    doc.sync()
                        .receive_sync_message(state, m)
                        .expect("valid changes");
                    if let Some(m) = doc.sync().generate_sync_message(state) {
                        let msg = self.sync_message(id, m.encode(), false);
                        self.send(&msg).await;
                    }
                    let mut ours = doc.get_heads();
                    ours.sort();
                    let same = state.their_heads.as_ref().is_some_and(|h| {
                        let mut h = h.clone();
                        h.sort();
                        h == ours
                    });
                    if same && !ours.is_empty() {
                        return None;
                    }
                }
                Heard::Message(Message::Sync { .. }) => {}
                other => return Some(other),
            }
        }
    }
}

/// A string field of a map in `doc`, at `path`.
pub fn get_str(doc: &AutoCommit, path: &[&str]) -> Option<String> {
    let mut obj = automerge::ROOT;
    let (last, parents) = path.split_last()?;
    for p in parents {
        match doc.get(&obj, *p).ok()?? {
            (automerge::Value::Object(_), id) => obj = id,
            _ => return None,
        }
    }
    match doc.get(&obj, *last).ok()?? {
        (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_owned),
        _ => None,
    }
}

//! The automerge-repo network protocol (version "1"), the messages stock
//! automerge-repo peers exchange over a WebSocket: one CBOR map per binary
//! frame, with a `type` field naming the message.
//!
//! A client opens with `join`; the server answers `peer`. After that either
//! side sends `request` (I do not have this document, please send it) or
//! `sync` (I have it), each carrying one Automerge sync message for one
//! document, and the server answers a request it cannot serve with
//! `doc-unavailable`. `error` carries a message before the sender closes.
//! Messages of other types (ephemeral, remote heads) are decoded as `Other`
//! and may be ignored.

use serde::{Deserialize, Serialize};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: &str = "1";

/// What a peer says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_id: Option<String>,
    #[serde(default)]
    pub is_ephemeral: bool,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Join {
        sender_id: String,
        supported_protocol_versions: Vec<String>,
        peer_metadata: PeerMetadata,
    },
    Peer {
        sender_id: String,
        target_id: String,
        selected_protocol_version: String,
        peer_metadata: PeerMetadata,
    },
    /// "I do not have this document": a sync message from an empty document.
    Request {
        sender_id: String,
        target_id: String,
        document_id: String,
        data: Vec<u8>,
    },
    Sync {
        sender_id: String,
        target_id: String,
        document_id: String,
        data: Vec<u8>,
    },
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: String,
    },
    Error {
        message: String,
    },
    /// A message type this peer does not act on (ephemeral, remote heads...).
    Other {
        kind: String,
    },
}

/// Why a frame is not a protocol message.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("not a CBOR map: {0}")]
    Cbor(String),
    #[error("a '{kind}' message without '{field}'")]
    Missing { kind: String, field: &'static str },
}

/// The fields of every message type, all optional, as they cross the wire.
#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sender_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_bytes")]
    data: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supported_protocol_versions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected_protocol_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    peer_metadata: Option<PeerMetadata>,
}

mod opt_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => serde_bytes::serialize(b, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<serde_bytes::ByteBuf>::deserialize(d)?.map(|b| b.into_vec()))
    }
}

impl Message {
    /// Encodes the message as one CBOR map.
    pub fn encode(&self) -> Vec<u8> {
        let raw = match self.clone() {
            Message::Join {
                sender_id,
                supported_protocol_versions,
                peer_metadata,
            } => Raw {
                kind: "join".into(),
                sender_id: Some(sender_id),
                supported_protocol_versions: Some(supported_protocol_versions),
                peer_metadata: Some(peer_metadata),
                ..Raw::default()
            },
            Message::Peer {
                sender_id,
                target_id,
                selected_protocol_version,
                peer_metadata,
            } => Raw {
                kind: "peer".into(),
                sender_id: Some(sender_id),
                target_id: Some(target_id),
                selected_protocol_version: Some(selected_protocol_version),
                peer_metadata: Some(peer_metadata),
                ..Raw::default()
            },
            Message::Request {
                sender_id,
                target_id,
                document_id,
                data,
            } => Raw {
                kind: "request".into(),
                sender_id: Some(sender_id),
                target_id: Some(target_id),
                document_id: Some(document_id),
                data: Some(data),
                ..Raw::default()
            },
            Message::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            } => Raw {
                kind: "sync".into(),
                sender_id: Some(sender_id),
                target_id: Some(target_id),
                document_id: Some(document_id),
                data: Some(data),
                ..Raw::default()
            },
            Message::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            } => Raw {
                kind: "doc-unavailable".into(),
                sender_id: Some(sender_id),
                target_id: Some(target_id),
                document_id: Some(document_id),
                ..Raw::default()
            },
            Message::Error { message } => Raw {
                kind: "error".into(),
                message: Some(message),
                ..Raw::default()
            },
            Message::Other { kind } => Raw {
                kind,
                ..Raw::default()
            },
        };
        let mut out = Vec::with_capacity(64 + raw.data.as_ref().map_or(0, Vec::len));
        ciborium::into_writer(&raw, &mut out).expect("writing CBOR to a Vec cannot fail");
        out
    }

    /// Decodes one frame. Unknown fields are ignored; unknown types are `Other`.
    pub fn decode(frame: &[u8]) -> Result<Message, WireError> {
        let raw: Raw = ciborium::from_reader(frame).map_err(|e| WireError::Cbor(e.to_string()))?;
        let kind = raw.kind.clone();
        let need = |v: Option<String>, field: &'static str| {
            v.ok_or_else(|| WireError::Missing {
                kind: kind.clone(),
                field,
            })
        };
        Ok(match raw.kind.as_str() {
            "join" => Message::Join {
                sender_id: need(raw.sender_id, "senderId")?,
                supported_protocol_versions: raw
                    .supported_protocol_versions
                    .unwrap_or_else(|| vec![PROTOCOL_VERSION.to_owned()]),
                peer_metadata: raw.peer_metadata.unwrap_or_default(),
            },
            "peer" => Message::Peer {
                sender_id: need(raw.sender_id, "senderId")?,
                target_id: need(raw.target_id, "targetId")?,
                selected_protocol_version: raw
                    .selected_protocol_version
                    .unwrap_or_else(|| PROTOCOL_VERSION.to_owned()),
                peer_metadata: raw.peer_metadata.unwrap_or_default(),
            },
            "request" | "sync" => {
                let sender_id = need(raw.sender_id, "senderId")?;
                let target_id = need(raw.target_id, "targetId")?;
                let document_id = need(raw.document_id, "documentId")?;
                let data = raw.data.ok_or_else(|| WireError::Missing {
                    kind: kind.clone(),
                    field: "data",
                })?;
                if raw.kind == "request" {
                    Message::Request {
                        sender_id,
                        target_id,
                        document_id,
                        data,
                    }
                } else {
                    Message::Sync {
                        sender_id,
                        target_id,
                        document_id,
                        data,
                    }
                }
            }
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: need(raw.sender_id, "senderId")?,
                target_id: need(raw.target_id, "targetId")?,
                document_id: need(raw.document_id, "documentId")?,
            },
            "error" => Message::Error {
                message: raw.message.unwrap_or_default(),
            },
            _ => Message::Other { kind },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_survives_a_round_trip() {
        let messages = [
            Message::Join {
                sender_id: "a".into(),
                supported_protocol_versions: vec!["1".into()],
                peer_metadata: PeerMetadata {
                    storage_id: Some("s".into()),
                    is_ephemeral: false,
                },
            },
            Message::Peer {
                sender_id: "s".into(),
                target_id: "a".into(),
                selected_protocol_version: "1".into(),
                peer_metadata: PeerMetadata::default(),
            },
            Message::Request {
                sender_id: "a".into(),
                target_id: "s".into(),
                document_id: "d".into(),
                data: vec![0x42, 1, 2],
            },
            Message::Sync {
                sender_id: "a".into(),
                target_id: "s".into(),
                document_id: "d".into(),
                data: vec![],
            },
            Message::DocUnavailable {
                sender_id: "s".into(),
                target_id: "a".into(),
                document_id: "d".into(),
            },
            Message::Error {
                message: "no".into(),
            },
        ];
        for m in messages {
            assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn data_travels_as_a_cbor_byte_string() {
        let frame = Message::Sync {
            sender_id: "a".into(),
            target_id: "s".into(),
            document_id: "d".into(),
            data: vec![7; 3],
        }
        .encode();
        // 0x43 = byte string of length 3, followed by the bytes.
        assert!(frame.windows(4).any(|w| w == [0x43, 7, 7, 7]));
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        for frame in [&b""[..], b"\xff\xff", b"\xa1\x64type", b"\x01"] {
            assert!(Message::decode(frame).is_err(), "{frame:?}");
        }
        let no_doc = {
            let mut out = Vec::new();
            ciborium::into_writer(
                &std::collections::BTreeMap::from([("type", "sync"), ("senderId", "a")]),
                &mut out,
            )
            .unwrap();
            out
        };
        assert!(matches!(
            Message::decode(&no_doc),
            Err(WireError::Missing { .. })
        ));
        let unknown = {
            let mut out = Vec::new();
            ciborium::into_writer(
                &std::collections::BTreeMap::from([("type", "ephemeral")]),
                &mut out,
            )
            .unwrap();
            out
        };
        assert_eq!(
            Message::decode(&unknown).unwrap(),
            Message::Other {
                kind: "ephemeral".into()
            }
        );
    }
}

//! Hearth's Automerge documents: their schema, the operations that edit them
//! and their materialization into `hearth-domain` types.
//!
//! Sans-IO: bytes and values in, bytes and values out. No clock is read; every
//! time arrives as an argument.
//!
//! Two kinds of document:
//! - the **household** document (members, chores, rewards, settings), created
//!   once by the first device;
//! - one **ledger** document per calendar month (completions, reviews,
//!   redemptions, adjustments), which any device may start while apart from
//!   the others. Its id and its first change (the *genesis*) are derived from
//!   the household id and the period, so every device creates the identical
//!   document and their entries merge instead of shadowing each other.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ChangeHash, ObjType, ReadDoc, ScalarValue, Value};
use sha2::{Digest, Sha256};

mod fields;
pub mod household;
pub mod ledger;
pub mod policy;

pub use automerge;

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: u64 = 1;

/// Errors reading or editing a document.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error(
        "document was written by a newer Hearth (schema {found}, this build reads up to {supported}); update Hearth to open it"
    )]
    NewerSchema { found: u64, supported: u64 },
    #[error("not a Hearth document: {0}")]
    NotHearth(String),
    #[error("malformed document: {0}")]
    Malformed(String),
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}

/// A document id: 16 bytes, written as automerge-repo writes them
/// (base58check), so that stock automerge-repo clients can name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub [u8; 16]);

impl DocId {
    /// A fresh random id from caller-supplied random bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        DocId(bytes)
    }

    /// The deterministic id of a household's ledger for a period.
    pub fn ledger(household: &DocId, period: &str) -> Self {
        let digest = Sha256::new()
            .chain_update(b"hearth-ledger\0")
            .chain_update(household.0)
            .chain_update(period.as_bytes())
            .finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        DocId(id)
    }

    pub fn parse(s: &str) -> Option<Self> {
        let bytes = bs58::decode(s).with_check(None).into_vec().ok()?;
        Some(DocId(bytes.try_into().ok()?))
    }
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

/// What a document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Household,
    Ledger,
}

impl DocKind {
    fn as_str(self) -> &'static str {
        match self {
            DocKind::Household => "household",
            DocKind::Ledger => "ledger",
        }
    }
}

/// A Hearth document: an Automerge document with a checked schema.
pub struct Doc {
    am: AutoCommit,
    id: DocId,
    kind: DocKind,
}

impl Doc {
    fn genesis(
        id: DocId,
        kind: DocKind,
        household: &DocId,
        period: Option<&str>,
    ) -> Result<Self, DocError> {
        // The genesis actor is derived from the document id, so the first
        // change is byte-identical wherever it is made.
        let actor = ActorId::from(&Sha256::digest(id.0)[..16]);
        let mut am = AutoCommit::new().with_actor(actor);
        am.put(automerge::ROOT, "schema", ScalarValue::Uint(SCHEMA_VERSION))?;
        am.put(automerge::ROOT, "kind", kind.as_str())?;
        am.put(automerge::ROOT, "household", household.to_string())?;
        if let Some(period) = period {
            am.put(automerge::ROOT, "period", period)?;
        }
        let maps: &[&str] = match kind {
            DocKind::Household => &[
                "settings", "members", "chores", "rewards", "ledgers", "devices",
            ],
            DocKind::Ledger => &[
                "completions",
                "reviews",
                "redemptions",
                "redemption_status",
                "adjustments",
            ],
        };
        for key in maps {
            am.put_object(automerge::ROOT, *key, ObjType::Map)?;
        }
        am.commit_with(CommitOptions::default().with_time(0));
        Ok(Doc { am, id, kind })
    }

    /// A new, empty household document; `actor` is this device's actor.
    pub fn new_household(id: DocId, actor: ActorId) -> Result<Self, DocError> {
        let mut doc = Self::genesis(id, DocKind::Household, &id, None)?;
        doc.am.set_actor(actor);
        Ok(doc)
    }

    /// The ledger document of a period, identical on every device.
    pub fn new_ledger(household: &DocId, period: &str, actor: ActorId) -> Result<Self, DocError> {
        let id = DocId::ledger(household, period);
        let mut doc = Self::genesis(id, DocKind::Ledger, household, Some(period))?;
        doc.am.set_actor(actor);
        Ok(doc)
    }

    /// Loads a saved document (a snapshot followed by any change chunks).
    pub fn load(id: DocId, bytes: &[u8], actor: ActorId) -> Result<Self, DocError> {
        let am = AutoCommit::load(bytes)?.with_actor(actor);
        let kind = check_schema(&am)?;
        Ok(Doc { am, id, kind })
    }

    /// A document received whole from another device: checked like a
    /// loaded one.
    pub fn from_automerge(id: DocId, am: AutoCommit, actor: ActorId) -> Result<Self, DocError> {
        let am = am.with_actor(actor);
        let kind = check_schema(&am)?;
        Ok(Doc { am, id, kind })
    }

    /// The month a ledger document covers.
    pub fn period(&self) -> Option<String> {
        match self.am.get(automerge::ROOT, "period") {
            Ok(Some((automerge::Value::Scalar(s), _))) => s.as_str().map(str::to_owned),
            _ => None,
        }
    }

    /// Whether every change is still readable under this schema (after
    /// changes arrived through sync rather than [`Doc::apply`]).
    pub fn check(&self) -> Result<(), DocError> {
        check_schema(&self.am).map(|_| ())
    }

    pub fn id(&self) -> DocId {
        self.id
    }

    pub fn kind(&self) -> DocKind {
        self.kind
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.am.get_heads()
    }

    /// A compact snapshot of the whole document.
    pub fn save(&mut self) -> Vec<u8> {
        self.am.save()
    }

    /// The changes made or received since the last `save` or
    /// `save_incremental`, as one chunk.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.am.save_incremental()
    }

    /// Applies a chunk of changes from elsewhere. A chunk that would make the
    /// document unreadable (a newer schema) is refused and leaves the
    /// document as it was.
    pub fn apply(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        check_chunk(bytes)?;
        let mut trial = self.am.fork();
        trial.load_incremental(bytes)?;
        check_schema(&trial)?;
        self.am.load_incremental(bytes)?;
        Ok(())
    }

    /// Merges another replica of the same document into this one.
    pub fn merge(&mut self, other: &mut Doc) -> Result<(), DocError> {
        self.am.merge(&mut other.am)?;
        Ok(())
    }

    /// Commits the pending edit as one change; `time` is advisory (seconds).
    /// Changes carry no message: every byte of a change is kept forever.
    pub fn commit(&mut self, time: i64) -> Option<ChangeHash> {
        self.am
            .commit_with(CommitOptions::default().with_time(time))
    }

    /// Drops an edit that failed half-way.
    pub fn rollback(&mut self) {
        self.am.rollback();
    }

    /// The underlying Automerge document, for sync.
    pub fn automerge(&mut self) -> &mut AutoCommit {
        &mut self.am
    }
}

/// Checks the schema version and kind at the root.
/// Parses a chunk (a document or changes) strictly: Automerge loads what it
/// can of a damaged chunk, and a chunk must be whole. (Parsed alone, a
/// chunk of changes lacks its dependencies: that is expected here.)
pub fn check_chunk(bytes: &[u8]) -> Result<(), DocError> {
    match automerge::Automerge::load_with_options(
        bytes,
        automerge::LoadOptions::new()
            .on_partial_load(automerge::OnPartialLoad::Error)
            .verification_mode(automerge::VerificationMode::DontCheck),
    ) {
        Ok(_) | Err(automerge::AutomergeError::MissingDeps) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn check_schema(am: &AutoCommit) -> Result<DocKind, DocError> {
    let schema = match am.get(automerge::ROOT, "schema")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(v) => *v,
            ScalarValue::Int(v) => u64::try_from(*v).unwrap_or(0),
            _ => 0,
        },
        _ => return Err(DocError::NotHearth("no schema version".into())),
    };
    // Concurrent writers of different versions leave a conflict; the newest
    // one decides whether this build can read the document.
    let newest = am
        .get_all(automerge::ROOT, "schema")?
        .into_iter()
        .filter_map(|(v, _)| {
            v.as_u64()
                .or_else(|| v.as_i64().and_then(|i| u64::try_from(i).ok()))
        })
        .max()
        .unwrap_or(schema);
    if newest > SCHEMA_VERSION {
        return Err(DocError::NewerSchema {
            found: newest,
            supported: SCHEMA_VERSION,
        });
    }
    match am.get(automerge::ROOT, "kind")? {
        Some((Value::Scalar(s), _)) => match s.as_str() {
            Some("household") => Ok(DocKind::Household),
            Some("ledger") => Ok(DocKind::Ledger),
            other => Err(DocError::NotHearth(format!("unknown kind {other:?}"))),
        },
        _ => Err(DocError::NotHearth("no kind".into())),
    }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, ScalarValue};

    use super::*;

    fn actor(n: u8) -> ActorId {
        ActorId::from(&[n; 16][..])
    }

    #[test]
    fn ledger_genesis_is_identical_on_every_device() {
        let household = DocId([3; 16]);
        let mut a = Doc::new_ledger(&household, "2027-03", actor(1)).unwrap();
        let mut b = Doc::new_ledger(&household, "2027-03", actor(2)).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.heads(), b.heads());
        assert_ne!(
            DocId::ledger(&household, "2027-03"),
            DocId::ledger(&household, "2027-04")
        );
        assert_ne!(
            DocId::ledger(&household, "2027-03"),
            DocId::ledger(&DocId([4; 16]), "2027-03")
        );
    }

    #[test]
    fn doc_ids_round_trip_as_base58check() {
        let id = DocId([42; 16]);
        assert_eq!(DocId::parse(&id.to_string()), Some(id));
        assert_eq!(DocId::parse("not-an-id"), None);
        let mut s = id.to_string();
        s.pop();
        assert_eq!(DocId::parse(&s), None, "a damaged checksum is refused");
    }

    fn newer(doc: &mut Doc) {
        doc.am
            .put(
                automerge::ROOT,
                "schema",
                ScalarValue::Uint(SCHEMA_VERSION + 1),
            )
            .unwrap();
        doc.commit(0);
    }

    #[test]
    fn a_newer_schema_is_refused_on_load() {
        let mut doc = Doc::new_household(DocId([5; 16]), actor(1)).unwrap();
        newer(&mut doc);
        let err = Doc::load(doc.id(), &doc.save(), actor(2))
            .err()
            .expect("refused");
        assert!(matches!(
            err,
            DocError::NewerSchema {
                found: 2,
                supported: 1
            }
        ));
        assert!(err.to_string().contains("newer Hearth"), "{err}");
    }

    #[test]
    fn a_chunk_that_makes_the_schema_newer_is_refused_whole() {
        let mut a = Doc::new_household(DocId([5; 16]), actor(1)).unwrap();
        let base = a.save();
        let mut b = Doc::load(a.id(), &base, actor(2)).unwrap();
        a.save_incremental();
        newer(&mut a);
        let chunk = a.save_incremental();
        let before = b.heads();
        assert!(matches!(b.apply(&chunk), Err(DocError::NewerSchema { .. })));
        assert_eq!(b.heads(), before, "nothing of the chunk was applied");
    }

    #[test]
    fn garbage_bytes_are_an_error_not_a_panic() {
        assert!(Doc::load(DocId([1; 16]), b"not automerge", actor(1)).is_err());
        let mut doc = Doc::new_household(DocId([5; 16]), actor(1)).unwrap();
        let heads = doc.heads();
        assert!(doc.apply(b"garbage, not a chunk").is_err());
        // A damaged chunk after a valid header is refused and changes nothing.
        assert!(doc.apply(b"\x85\x6f\x4a\x83garbage").is_err());
        assert_eq!(doc.heads(), heads);
        // A valid Automerge document that is not Hearth's.
        let mut other = AutoCommit::new();
        other.put(automerge::ROOT, "hello", "world").unwrap();
        assert!(matches!(
            Doc::load(DocId([1; 16]), &other.save(), actor(1)),
            Err(DocError::NotHearth(_))
        ));
    }
}

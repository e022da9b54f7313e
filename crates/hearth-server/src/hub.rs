//! The documents the server holds in memory and who is subscribed to them.
//!
//! Every received change takes one path: the sending device's role is
//! checked (a child's changes go through `hearth_doc::policy`), the changes
//! are applied to the in-memory document, stored durably, and only then is
//! anyone answered or told. Each document is locked on its own, so
//! households never wait for each other.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use automerge::sync::{ChunkList, Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{Automerge, ChangeHash, ReadDoc, Value};
use hearth_doc::DocId;
use hearth_doc::policy::{self, Limits, Target};
use tokio::sync::{mpsc, watch};

use crate::metrics::Metrics;
use crate::storage::Storage;
use crate::{Config, now_ms};

/// Why a message could not be taken.
#[derive(Debug)]
pub enum Fault {
    /// The sender's role does not allow these changes.
    Refused(String),
    /// Not a valid Automerge sync message or change.
    Garbage(String),
    /// The database failed; nothing was acknowledged.
    Storage,
}

/// What to answer a sync message with.
pub enum Reply {
    Sync(SyncMessage),
    Unavailable,
    Nothing,
}

struct DocState {
    doc: Option<Automerge>,
    /// Seqs of the stored chunks the document was built from.
    seqs: Vec<i64>,
    last_seq: i64,
}

pub struct DocEntry {
    pub household: String,
    pub id: DocId,
    pub target: Target,
    state: tokio::sync::Mutex<DocState>,
    subscribers: Mutex<HashMap<u64, mpsc::UnboundedSender<DocId>>>,
    last_used: AtomicI64,
}

impl DocEntry {
    pub fn subscribe(&self, conn: u64, tx: mpsc::UnboundedSender<DocId>) {
        lock(&self.subscribers).entry(conn).or_insert(tx);
    }

    pub fn unsubscribe(&self, conn: u64) {
        lock(&self.subscribers).remove(&conn);
    }

    fn notify(&self, except: Option<u64>) {
        for (conn, tx) in lock(&self.subscribers).iter() {
            if Some(*conn) != except {
                let _ = tx.send(self.id);
            }
        }
    }

    /// A sync message for one peer, if it is behind.
    pub async fn generate(&self, state: &mut SyncState) -> Option<SyncMessage> {
        let st = self.state.lock().await;
        st.doc.as_ref()?.generate_sync_message(state)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Changes (bytes, compressed) received at once after which the in-memory
/// document is rebuilt from its saved form.
const RELOAD_AFTER_BYTES: usize = 16 * 1024;

type Closers = HashMap<u64, watch::Sender<bool>>;

/// A household's limits and the heads they were computed at.
type LimitsAt = (Vec<ChangeHash>, Arc<Limits>);

pub struct Hub {
    storage: Arc<dyn Storage>,
    metrics: Arc<Metrics>,
    config: Config,
    docs: Mutex<HashMap<(String, DocId), Arc<DocEntry>>>,
    connections: Mutex<HashMap<String, Closers>>,
    open_connections: AtomicUsize,
    next_conn: AtomicU64,
    limits: Mutex<HashMap<String, LimitsAt>>,
    /// PostgreSQL: other instances write too.
    shared: bool,
    pub peer_id: String,
}

impl Hub {
    pub fn new(storage: Arc<dyn Storage>, metrics: Arc<Metrics>, config: Config) -> Arc<Hub> {
        let shared = storage.backend() == "postgres";
        Arc::new(Hub {
            storage,
            metrics,
            config,
            docs: Mutex::new(HashMap::new()),
            connections: Mutex::new(HashMap::new()),
            open_connections: AtomicUsize::new(0),
            next_conn: AtomicU64::new(1),
            limits: Mutex::new(HashMap::new()),
            shared,
            peer_id: format!("hearth-server-{}", hex::encode(rand::random::<[u8; 6]>())),
        })
    }

    /// Listens for other instances' changes and evicts idle documents.
    pub async fn start_background(self: Arc<Self>) -> anyhow::Result<()> {
        if let Some(mut rx) = self.storage.listen().await? {
            let hub = self.clone();
            tokio::spawn(async move {
                while let Some(key) = rx.recv().await {
                    match key.strip_prefix("revoke:") {
                        Some(device) => hub.close_device(device),
                        None => hub.remote_change(&key).await,
                    }
                }
            });
        }
        let hub = Arc::downgrade(&self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                tick.tick().await;
                let Some(hub) = hub.upgrade() else { return };
                hub.evict_idle();
            }
        });
        Ok(())
    }

    // ----- connections --------------------------------------------------

    /// Registers a connection of `device`; the receiver flips when the
    /// device is revoked.
    pub fn connect(&self, device: &str) -> (u64, watch::Receiver<bool>) {
        let id = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = watch::channel(false);
        lock(&self.connections)
            .entry(device.to_owned())
            .or_default()
            .insert(id, tx);
        self.open_connections.fetch_add(1, Ordering::SeqCst);
        self.metrics.connected_devices.inc();
        (id, rx)
    }

    pub fn disconnect(&self, device: &str, conn: u64) {
        let mut conns = lock(&self.connections);
        if let Some(c) = conns.get_mut(device) {
            c.remove(&conn);
            if c.is_empty() {
                conns.remove(device);
            }
        }
        self.open_connections.fetch_sub(1, Ordering::SeqCst);
        self.metrics.connected_devices.dec();
    }

    pub fn is_connected(&self, device: &str) -> bool {
        lock(&self.connections).contains_key(device)
    }

    /// Closes every socket of a revoked device.
    pub fn close_device(&self, device: &str) {
        if let Some(conns) = lock(&self.connections).get(device) {
            for tx in conns.values() {
                let _ = tx.send(true);
            }
        }
    }

    pub async fn wait_for_connections(&self, limit: Duration) {
        let deadline = tokio::time::Instant::now() + limit;
        while self.open_connections.load(Ordering::SeqCst) > 0
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    // ----- documents ----------------------------------------------------

    /// The household's document `id`, or None if the household has no such
    /// document (its own household document or one of its month ledgers).
    pub async fn open(&self, household: &str, id: DocId) -> Result<Option<Arc<DocEntry>>, Fault> {
        let key = (household.to_owned(), id);
        if let Some(entry) = lock(&self.docs).get(&key) {
            entry.last_used.store(now_ms(), Ordering::Relaxed);
            return Ok(Some(entry.clone()));
        }
        let Some(target) = self.target(household, id).await? else {
            return Ok(None);
        };
        let entry = lock(&self.docs)
            .entry(key)
            .or_insert_with(|| {
                Arc::new(DocEntry {
                    household: household.to_owned(),
                    id,
                    target,
                    state: tokio::sync::Mutex::new(DocState {
                        doc: None,
                        seqs: Vec::new(),
                        last_seq: 0,
                    }),
                    subscribers: Mutex::new(HashMap::new()),
                    last_used: AtomicI64::new(now_ms()),
                })
            })
            .clone();
        Ok(Some(entry))
    }

    /// Which of the household's documents `id` is.
    async fn target(&self, household: &str, id: DocId) -> Result<Option<Target>, Fault> {
        let Some(household_id) = DocId::parse(household) else {
            return Ok(None);
        };
        if id == household_id {
            return Ok(Some(Target::Household));
        }
        // Months around now, then whatever the household document lists.
        let year: i32 = chrono_year();
        for y in (year - 2)..=(year + 1) {
            for m in 1..=12 {
                let period = format!("{y:04}-{m:02}");
                if DocId::ledger(&household_id, &period) == id {
                    return Ok(Some(Target::Ledger { period }));
                }
            }
        }
        let Some(entry) = Box::pin(self.open(household, household_id)).await? else {
            return Ok(None);
        };
        let mut st = entry.state.lock().await;
        self.ensure_loaded(&entry, &mut st).await?;
        let Some(doc) = st.doc.as_ref() else {
            return Ok(None);
        };
        let wanted = id.to_string();
        if let Ok(Some((Value::Object(_), index))) = doc.get(automerge::ROOT, "ledgers") {
            for item in doc.map_range(&index, ..) {
                let period = item.key.to_string();
                if matches!(&item.value, automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) if *s == wanted.as_str())
                    && DocId::ledger(&household_id, &period) == id
                {
                    return Ok(Some(Target::Ledger { period }));
                }
            }
        }
        Ok(None)
    }

    async fn ensure_loaded(&self, entry: &DocEntry, st: &mut DocState) -> Result<(), Fault> {
        if st.doc.is_some() {
            return Ok(());
        }
        let chunks = self
            .storage
            .chunks(&entry.household, &entry.id.to_string(), 0)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "loading a document failed");
                Fault::Storage
            })?;
        let mut doc = Automerge::new();
        let mut bytes = 0;
        for c in &chunks {
            bytes += c.data.len();
            if let Err(e) = doc.load_incremental(&c.data) {
                tracing::error!(error = %e, doc = %entry.id, seq = c.seq, "a stored chunk does not load");
                return Err(Fault::Storage);
            }
        }
        st.seqs = chunks.iter().map(|c| c.seq).collect();
        st.last_seq = st.seqs.iter().copied().max().unwrap_or(0);
        st.doc = Some(doc);
        self.metrics.doc_loads.inc();
        self.metrics.docs_loaded.inc();
        self.metrics.doc_bytes.observe(bytes as f64);
        Ok(())
    }

    /// Every value a chore's points and a reward's cost have had.
    async fn limits(&self, household: &str) -> Result<Arc<Limits>, Fault> {
        let household_id = DocId::parse(household).ok_or(Fault::Storage)?;
        let entry = self
            .open(household, household_id)
            .await?
            .ok_or(Fault::Storage)?;
        let mut st = entry.state.lock().await;
        self.ensure_loaded(&entry, &mut st).await?;
        let doc = st.doc.as_ref().ok_or(Fault::Storage)?;
        let heads = doc.get_heads();
        if let Some((h, limits)) = lock(&self.limits).get(household)
            && *h == heads
        {
            return Ok(limits.clone());
        }
        let limits = Arc::new(Limits::from_household(doc));
        lock(&self.limits).insert(household.to_owned(), (heads, limits.clone()));
        Ok(limits)
    }

    /// Takes one sync message from a device of the household.
    pub async fn receive(
        &self,
        entry: &DocEntry,
        conn: u64,
        child: bool,
        state: &mut SyncState,
        mut message: SyncMessage,
        request: bool,
    ) -> Result<Reply, Fault> {
        let started = std::time::Instant::now();
        for chunk in message.changes.iter() {
            hearth_doc::check_chunk(chunk).map_err(|e| Fault::Garbage(e.to_string()))?;
        }
        let limits = if child
            && !message.changes.is_empty()
            && matches!(entry.target, Target::Ledger { .. })
        {
            Some(self.limits(&entry.household).await?)
        } else {
            None
        };
        let mut st = entry.state.lock().await;
        self.ensure_loaded(entry, &mut st).await?;
        let doc = st.doc.as_mut().ok_or(Fault::Storage)?;
        if child && !message.changes.is_empty() {
            let household = DocId::parse(&entry.household).ok_or(Fault::Storage)?;
            let chunks: Vec<&[u8]> = message.changes.iter().collect();
            let accepted = policy::check_child_changes(
                doc,
                &household,
                &entry.target,
                limits.as_deref().unwrap_or(&Limits::default()),
                &chunks,
            )
            .map_err(|r| Fault::Refused(r.0))?;
            message.changes = ChunkList::from(
                accepted
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect::<Vec<_>>(),
            );
        }
        let before = doc.get_heads();
        if let Err(e) = doc.receive_sync_message(state, message) {
            // The document in memory may hold part of it: reload from storage.
            st.doc = None;
            self.metrics.docs_loaded.dec();
            return Err(Fault::Garbage(e.to_string()));
        }
        if doc.get_heads() != before {
            let data = doc.save_after(&before);
            // A large batch (a device uploading its history) leaves the
            // in-memory document far bigger than loading it whole would.
            if data.len() > RELOAD_AFTER_BYTES
                && let Ok(fresh) = Automerge::load(&doc.save())
            {
                *doc = fresh;
            }
            let stored = self
                .storage
                .put_chunk(
                    &entry.household,
                    &entry.id.to_string(),
                    &data,
                    "incremental",
                )
                .await;
            match stored {
                Ok(seq) => {
                    if let Some(seq) = seq {
                        st.seqs.push(seq);
                        if !self.shared {
                            st.last_seq = st.last_seq.max(seq);
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, doc = %entry.id, "storing changes failed");
                    st.doc = None;
                    self.metrics.docs_loaded.dec();
                    return Err(Fault::Storage);
                }
            }
            if self.shared {
                self.catch_up(entry, &mut st).await;
            }
            self.metrics
                .sync_latency
                .observe(started.elapsed().as_secs_f64());
            if st.seqs.len() > self.config.compact_after {
                self.compact(entry, &mut st).await;
            }
            entry.notify(Some(conn));
        }
        let doc = st.doc.as_ref().ok_or(Fault::Storage)?;
        if request && doc.get_heads().is_empty() {
            return Ok(Reply::Unavailable);
        }
        Ok(match doc.generate_sync_message(state) {
            Some(m) => Reply::Sync(m),
            None => Reply::Nothing,
        })
    }

    /// Reads chunks other instances stored since this one last looked.
    async fn catch_up(&self, entry: &DocEntry, st: &mut DocState) -> bool {
        let Some(doc) = st.doc.as_mut() else {
            return false;
        };
        let chunks = match self
            .storage
            .chunks(&entry.household, &entry.id.to_string(), st.last_seq)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "reading other instances' changes failed");
                return false;
            }
        };
        let before = doc.get_heads();
        for c in chunks {
            if let Err(e) = doc.load_incremental(&c.data) {
                tracing::error!(error = %e, seq = c.seq, "a stored chunk does not load");
                continue;
            }
            if !st.seqs.contains(&c.seq) {
                st.seqs.push(c.seq);
            }
            st.last_seq = st.last_seq.max(c.seq);
        }
        doc.get_heads() != before
    }

    /// Another instance stored changes to `household/doc` ("" = unknown).
    async fn remote_change(&self, key: &str) {
        let entries: Vec<Arc<DocEntry>> = {
            let docs = lock(&self.docs);
            match key.split_once('/') {
                Some((h, d)) => DocId::parse(d)
                    .and_then(|d| docs.get(&(h.to_owned(), d)).cloned())
                    .into_iter()
                    .collect(),
                None => docs.values().cloned().collect(),
            }
        };
        for entry in entries {
            let mut st = entry.state.lock().await;
            if self.catch_up(&entry, &mut st).await {
                drop(st);
                entry.notify(None);
            }
        }
    }

    /// Writes a snapshot, then deletes the chunks it replaces.
    async fn compact(&self, entry: &DocEntry, st: &mut DocState) {
        let Some(doc) = st.doc.as_ref() else { return };
        let snapshot = doc.save();
        match self
            .storage
            .compact(&entry.household, &entry.id.to_string(), &snapshot, &st.seqs)
            .await
        {
            Ok(seq) => {
                st.seqs = vec![seq];
                st.last_seq = st.last_seq.max(seq);
                self.metrics.compactions.inc();
                self.metrics.doc_bytes.observe(snapshot.len() as f64);
            }
            Err(e) => tracing::warn!(error = %e, doc = %entry.id, "compaction failed; will retry"),
        }
    }

    fn evict_idle(&self) {
        let cutoff = now_ms()
            - i64::try_from(self.config.doc_idle_secs)
                .unwrap_or(i64::MAX)
                .saturating_mul(1000);
        let mut docs = lock(&self.docs);
        let mut unloaded = 0;
        docs.retain(|_, e| {
            if !lock(&e.subscribers).is_empty() || e.last_used.load(Ordering::Relaxed) > cutoff {
                return true;
            }
            match e.state.try_lock() {
                Ok(st) => {
                    unloaded += i64::from(st.doc.is_some());
                    false
                }
                Err(_) => true,
            }
        });
        if unloaded > 0 {
            self.metrics.docs_loaded.dec_by(unloaded);
        }
    }
}

fn chrono_year() -> i32 {
    // Days since the epoch to a civil year (Howard Hinnant's algorithm).
    let days = now_ms().div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    i32::try_from(year).unwrap_or(2026)
}

//! `hearth-loadgen`: drives an automerge-repo sync server with simulated
//! households and prints what it measured.
//!
//! It speaks only the standard protocol, so the same run drives
//! `hearth-server` (`--api URL`: households, invites and device tokens are
//! set up through its HTTP API) and the stock JavaScript sync server
//! (no `--api`: no authentication, random document ids).
//!
//! Each household has 3 devices sharing one document; devices write small
//! completion entries (a JSON text value under `completions/KEY`) at a fixed
//! total rate, and every other device of the household times how long each
//! entry takes to reach it (device A → server → device B). Rates rise step
//! by step until the server falls behind. Then: memory per device and per
//! loaded document, the first sync of a device joining a busy household
//! year, and many idle connections.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, PatchAction, ReadDoc};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use hearth_doc::{Doc, DocId};
use hearth_wire::{Message, PeerMetadata};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

#[derive(Parser, Clone)]
#[command(
    name = "hearth-loadgen",
    about = "Load generator for automerge-repo sync servers"
)]
struct Args {
    /// The WebSocket URL, e.g. ws://127.0.0.1:8787/v1/sync.
    #[arg(long)]
    url: String,
    /// hearth-server's HTTP base URL (omit for a server without auth).
    #[arg(long)]
    api: Option<String>,
    /// The server's process id, for CPU and memory figures.
    #[arg(long)]
    pid: Option<u32>,
    /// A name for the report.
    #[arg(long, default_value = "server")]
    label: String,
    #[arg(long, default_value_t = 300)]
    households: usize,
    /// Total change rates to try, changes per second.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "50,100,150,300,600,900,1200,1800,2400,3600"
    )]
    rates: Vec<u32>,
    /// Seconds per rate.
    #[arg(long, default_value_t = 6)]
    step_secs: u64,
    /// Entries in the busy year a new device pulls.
    #[arg(long, default_value_t = 7300)]
    year_entries: usize,
    /// Busy-year documents to load (their first sync is timed, and their
    /// memory averaged).
    #[arg(long, default_value_t = 5)]
    year_docs: usize,
    /// Idle devices to connect at the end (0: skip).
    #[arg(long, default_value_t = 0)]
    idle_devices: usize,
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// When each entry was written, for the devices that receive it.
#[derive(Default)]
struct Clock {
    written: Mutex<HashMap<String, Instant>>,
    latencies: Mutex<Vec<f64>>,
}

/// What a household's devices need to connect.
struct Household {
    doc_id: String,
    tokens: Vec<Option<String>>,
    /// The household document (hearth only), synced by device 0 first.
    household_doc: Option<(String, AutoCommit)>,
    /// The shared document as device 0 starts it.
    genesis: AutoCommit,
    chore: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let report = run(&args).await?;
    println!("{report}");
    Ok(())
}

async fn run(args: &Args) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let mut line = |s: String| {
        eprintln!("{s}");
        out.push(s);
    };
    line(format!(
        "== {} ({} households x 3 devices)",
        args.label, args.households
    ));
    let mut households = Vec::new();
    for i in 0..args.households {
        households.push(setup_household(args, i).await?);
    }
    let rss0 = rss_kb(args.pid);
    // Connect every device, then load every document.
    let clock = Arc::new(Clock::default());
    let mut devices: Vec<Vec<Device>> = Vec::new();
    for h in &households {
        let mut ds = Vec::new();
        for t in &h.tokens {
            ds.push(Device::connect(args, t.as_deref(), &h.doc_id, clock.clone()).await?);
        }
        devices.push(ds);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss1 = rss_kb(args.pid);
    let n_devices = args.households * 3;
    if let (Some(a), Some(b)) = (rss0, rss1) {
        line(format!(
            "memory per connected device: {:.1} KB ({} devices, RSS {:.1} -> {:.1} MB)",
            (b as f64 - a as f64) / n_devices as f64,
            n_devices,
            a as f64 / 1024.0,
            b as f64 / 1024.0
        ));
    }
    for (h, ds) in households.iter_mut().zip(devices.iter_mut()) {
        if let Some((id, doc)) = h.household_doc.take() {
            ds[0].push_doc(&id, doc).await?;
        }
        ds[0].create(h.genesis.clone()).await?;
    }
    for ds in devices.iter_mut() {
        for d in ds.iter_mut().skip(1) {
            d.request().await?;
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss2 = rss_kb(args.pid);
    if let (Some(a), Some(b)) = (rss1, rss2) {
        line(format!(
            "memory per loaded document (small): {:.1} KB",
            (b as f64 - a as f64) / args.households as f64
        ));
    }

    // Start the devices' loops.
    let mut senders: Vec<Vec<mpsc::UnboundedSender<String>>> = Vec::new();
    let mut handles = Vec::new();
    for ds in devices {
        let mut hs = Vec::new();
        for d in ds {
            let (tx, rx) = mpsc::unbounded_channel();
            hs.push(tx);
            handles.push(tokio::spawn(d.run(rx)));
        }
        senders.push(hs);
    }

    line(format!(
        "{:>8} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9}",
        "rate/s", "p50 ms", "p99 ms", "max ms", "received", "cpu %", "rss MB"
    ));
    let mut best: Option<u32> = None;
    let mut light_p50 = None;
    let mut seq = 0u64;
    for &rate in &args.rates {
        clock.latencies.lock().expect("lock").clear();
        let cpu0 = cpu_ticks(args.pid);
        let started = Instant::now();
        let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
        let total = rate as u64 * args.step_secs;
        for n in 0..total {
            let due = started + interval.mul_f64(n as f64);
            let now = Instant::now();
            if due > now {
                tokio::time::sleep(due - now).await;
            }
            seq += 1;
            let h = (seq as usize) % senders.len();
            let d = (seq as usize / senders.len()) % 3;
            let key = format!("{}/{}", households[h].chore, seq);
            clock
                .written
                .lock()
                .expect("lock")
                .insert(key.clone(), Instant::now());
            let _ = senders[h][d].send(key);
        }
        // Let stragglers arrive.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let elapsed = started.elapsed().as_secs_f64();
        let cpu = match (cpu0, cpu_ticks(args.pid)) {
            (Some(a), Some(b)) => {
                format!("{:.0}", (b - a) as f64 / ticks_per_sec() / elapsed * 100.0)
            }
            _ => "-".into(),
        };
        let mut lat = clock.latencies.lock().expect("lock").clone();
        lat.sort_by(f64::total_cmp);
        let expected = total as usize * 2;
        let (p50, p99, max) = (
            pct(&lat, 0.5),
            pct(&lat, 0.99),
            lat.last().copied().unwrap_or(f64::NAN),
        );
        line(format!(
            "{:>8} {:>9.2} {:>9.2} {:>9.2} {:>8.0}% {:>8} {:>9}",
            rate,
            p50,
            p99,
            max,
            lat.len() as f64 / expected as f64 * 100.0,
            cpu,
            rss_kb(args.pid).map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0))
        ));
        if light_p50.is_none() {
            light_p50 = Some(p50);
        }
        let complete = lat.len() * 100 >= expected * 99;
        if p99 < 50.0 && complete {
            best = Some(rate);
        }
        if p50 > 1000.0 || !complete && lat.len() * 2 < expected {
            line("   (collapsed: stopping)".into());
            break;
        }
    }
    line(format!(
        "highest rate held with p99 < 50 ms: {}",
        best.map_or("none".into(), |r| format!("{r} changes/s"))
    ));
    if let Some(p) = light_p50 {
        line(format!("p50 at the lightest load: {p:.2} ms"));
    }
    for h in handles {
        h.abort();
    }

    // A device joining a busy household year.
    // Devices joining busy household years; each stays connected, so the
    // server keeps every document loaded.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = rss_kb(args.pid);
    let mut pulls = Vec::new();
    let mut readers = Vec::new();
    let mut bytes = 0;
    for _ in 0..args.year_docs {
        let (took, size, reader) = first_sync(args).await?;
        pulls.push(took.as_secs_f64() * 1000.0);
        bytes = size;
        readers.push(reader);
    }
    pulls.sort_by(f64::total_cmp);
    line(format!(
        "first sync of a new device, {} entries ({} KB document): {:.0} ms (median of {}; {:.0}..{:.0})",
        args.year_entries,
        bytes / 1024,
        pct(&pulls, 0.5),
        pulls.len(),
        pulls.first().copied().unwrap_or(f64::NAN),
        pulls.last().copied().unwrap_or(f64::NAN),
    ));
    // Let the server's allocator settle before reading its memory.
    tokio::time::sleep(Duration::from_secs(3)).await;
    if let (Some(a), Some(b)) = (before, rss_kb(args.pid)) {
        line(format!(
            "memory per loaded busy-year document: {:.1} MB ({} documents, RSS {:.1} -> {:.1} MB)",
            (b as f64 - a as f64) / 1024.0 / args.year_docs as f64,
            args.year_docs,
            a as f64 / 1024.0,
            b as f64 / 1024.0
        ));
    }
    drop(readers);

    if args.idle_devices > 0 {
        let before = rss_kb(args.pid);
        let started = Instant::now();
        let mut idle = Vec::new();
        for i in 0..args.idle_devices {
            let h = &households[i % households.len()];
            let token = h.tokens[i % 3].as_deref();
            match Device::connect(args, token, &h.doc_id, clock.clone()).await {
                Ok(d) => idle.push(d),
                Err(e) => {
                    line(format!("connection {i} failed: {e:#}"));
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let after = rss_kb(args.pid);
        line(format!(
            "idle devices connected: {} in {:.1} s; server RSS {} -> {} MB",
            idle.len(),
            started.elapsed().as_secs_f64(),
            before.map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
            after.map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        ));
    }
    Ok(out.join("\n"))
}

fn pct(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i]
}

/// Sets up a household: on hearth-server through the API (a household
/// document with one chore, a parent device and two child devices); on a
/// server without auth, just a document.
async fn setup_household(args: &Args, n: usize) -> anyhow::Result<Household> {
    let Some(api) = &args.api else {
        let mut genesis = AutoCommit::new();
        genesis.put_object(automerge::ROOT, "completions", ObjType::Map)?;
        genesis.commit();
        return Ok(Household {
            doc_id: DocId::from_bytes(rand::random()).to_string(),
            tokens: vec![None, None, None],
            household_doc: None,
            genesis,
            chore: "chore".into(),
        });
    };
    let id = DocId::from_bytes(rand::random());
    let actor = automerge::ActorId::random();
    let mut doc = Doc::new_household(id, actor.clone())?;
    let tz: chrono_tz::Tz = chrono_tz::Europe::Berlin;
    let today = chrono::Utc::now().date_naive();
    doc.put_settings(&hearth_domain::Settings {
        name: format!("Load {n}"),
        timezone: tz,
        streak: hearth_domain::StreakRule::default(),
        roster_anchor: today,
        quiet_hours: None,
    })?;
    let chore = hearth_domain::Chore {
        id: hearth_domain::ChoreId("chore".into()),
        title: "Dishes".into(),
        notes: String::new(),
        icon: String::new(),
        points: 5,
        schedule: hearth_domain::household::Schedule {
            recurrence: hearth_domain::spec::parse_every("day")
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            start: today,
            due_time: None,
            rolling: false,
            window_minutes: None,
        },
        assignment: hearth_domain::household::Assignment::Anyone,
        missed: hearth_domain::MissedPolicy::Skip,
        requires_approval: false,
        archived: false,
    };
    doc.put_chore(&chore)?;
    let period = today.format("%Y-%m").to_string();
    let ledger = Doc::new_ledger(&id, &period, actor)?;
    doc.put_ledger_index(&period, &ledger.id())?;
    doc.commit(chrono::Utc::now().timestamp());
    let http = reqwest::Client::new();
    let creds: serde_json::Value = http
        .post(format!("{api}/v1/households"))
        .json(&serde_json::json!({"household_id": id.to_string(), "name": format!("Load {n}"), "device_name": "loadgen"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let parent = creds["token"].as_str().context("token")?.to_owned();
    let mut tokens = vec![Some(parent.clone())];
    for _ in 0..2 {
        let invite: serde_json::Value = http
            .post(format!("{api}/v1/households/{id}/invites"))
            .bearer_auth(&parent)
            .json(&serde_json::json!({"role": "child"}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let paired: serde_json::Value = http
            .post(format!("{api}/v1/pair"))
            .json(&serde_json::json!({"code": invite["code"], "device_name": "loadgen"}))
            .send()
            .await?
            .error_for_status()
            .context("pairing (raise HEARTH_PAIR_PER_MINUTE for load runs)")?
            .json()
            .await?;
        tokens.push(Some(paired["token"].as_str().context("token")?.to_owned()));
    }
    let mut ledger = ledger;
    let genesis = AutoCommit::load(&ledger.save())?;
    let mut household = doc;
    Ok(Household {
        doc_id: ledger.id().to_string(),
        tokens,
        household_doc: Some((id.to_string(), AutoCommit::load(&household.save())?)),
        genesis,
        chore: format!("chore/{}", today.format("%Y-%m-%d")),
    })
}

struct Device {
    ws: Ws,
    me: String,
    server: String,
    doc_id: String,
    doc: AutoCommit,
    state: SyncState,
    clock: Arc<Clock>,
}

impl Device {
    async fn connect(
        args: &Args,
        token: Option<&str>,
        doc_id: &str,
        clock: Arc<Clock>,
    ) -> anyhow::Result<Device> {
        let mut request = args.url.as_str().into_client_request()?;
        if let Some(t) = token {
            request
                .headers_mut()
                .insert("authorization", format!("Bearer {t}").parse()?);
        }
        let (ws, _) = tokio_tungstenite::connect_async(request).await?;
        let mut d = Device {
            ws,
            me: format!("load-{:016x}", rand::random::<u64>()),
            server: String::new(),
            doc_id: doc_id.to_owned(),
            doc: AutoCommit::new(),
            state: SyncState::new(),
            clock,
        };
        d.send(&Message::Join {
            sender_id: d.me.clone(),
            supported_protocol_versions: vec!["1".into()],
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            },
        })
        .await?;
        loop {
            match d.next().await? {
                Message::Peer { sender_id, .. } => {
                    d.server = sender_id;
                    return Ok(d);
                }
                Message::Error { message } => bail!("refused: {message}"),
                _ => {}
            }
        }
    }

    async fn send(&mut self, m: &Message) -> anyhow::Result<()> {
        self.ws
            .send(tungstenite::Message::Binary(m.encode().into()))
            .await?;
        Ok(())
    }

    async fn next(&mut self) -> anyhow::Result<Message> {
        loop {
            match self.ws.next().await {
                Some(Ok(tungstenite::Message::Binary(b))) => return Ok(Message::decode(&b)?),
                Some(Ok(tungstenite::Message::Close(f))) => bail!("closed: {f:?}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("connection ended"),
            }
        }
    }

    fn msg(&self, doc: &str, data: Vec<u8>, request: bool) -> Message {
        let (sender_id, target_id, document_id) =
            (self.me.clone(), self.server.clone(), doc.to_owned());
        if request {
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

    /// Syncs `doc` under `id` until the server has it (another document
    /// than the shared one: the hearth household document).
    async fn push_doc(&mut self, id: &str, mut doc: AutoCommit) -> anyhow::Result<()> {
        let mut state = SyncState::new();
        self.sync_until_equal(id, &mut doc, &mut state).await
    }

    /// Starts the shared document here and uploads it.
    async fn create(&mut self, genesis: AutoCommit) -> anyhow::Result<()> {
        self.doc = genesis;
        let id = self.doc_id.clone();
        let mut doc = std::mem::take(&mut self.doc);
        let mut state = std::mem::take(&mut self.state);
        let r = self.sync_until_equal(&id, &mut doc, &mut state).await;
        self.doc = doc;
        self.state = state;
        r
    }

    /// Fetches the shared document.
    async fn request(&mut self) -> anyhow::Result<()> {
        self.create(AutoCommit::new()).await
    }

    async fn sync_until_equal(
        &mut self,
        id: &str,
        doc: &mut AutoCommit,
        state: &mut SyncState,
    ) -> anyhow::Result<()> {
        let request = doc.get_heads().is_empty();
        if let Some(m) = doc.sync().generate_sync_message(state) {
            let msg = self.msg(id, m.encode(), request);
            self.send(&msg).await?;
        }
        loop {
            let m = tokio::time::timeout(Duration::from_secs(30), self.next())
                .await
                .context("no answer within 30 s")??;
            match m {
                Message::Sync {
                    document_id, data, ..
                } if document_id == id => {
                    doc.sync()
                        .receive_sync_message(state, SyncMessage::decode(&data)?)?;
                    if let Some(m) = doc.sync().generate_sync_message(state) {
                        let msg = self.msg(id, m.encode(), false);
                        self.send(&msg).await?;
                    }
                    let mut ours = doc.get_heads();
                    ours.sort();
                    let mut theirs = state.their_heads.clone().unwrap_or_default();
                    theirs.sort();
                    if !ours.is_empty() && ours == theirs {
                        return Ok(());
                    }
                }
                Message::Error { message } => bail!("server error: {message}"),
                Message::DocUnavailable { .. } => bail!("document unavailable"),
                _ => {}
            }
        }
    }

    /// Writes entries as told, and times every entry other devices wrote.
    async fn run(mut self, mut writes: mpsc::UnboundedReceiver<String>) {
        let completions = match self.doc.get(automerge::ROOT, "completions") {
            Ok(Some((_, id))) => id,
            _ => return,
        };
        loop {
            tokio::select! {
                key = writes.recv() => {
                    let Some(key) = key else { return };
                    let now = chrono::Utc::now().timestamp_millis();
                    let entry = serde_json::json!({"member": "m", "at": now, "device": "load", "points": 5, "due_at": now, "needs_approval": false, "gen": 1}).to_string();
                    if self.doc.put(&completions, key.as_str(), entry).is_err() {
                        return;
                    }
                    self.doc.commit();
                    let next = self.doc.sync().generate_sync_message(&mut self.state);
                    if let Some(m) = next {
                        let msg = self.msg(&self.doc_id, m.encode(), false);
                        if self.send(&msg).await.is_err() { return; }
                    }
                }
                m = self.next() => {
                    let Ok(Message::Sync { data, .. }) = m else {
                        if m.is_err() { return; }
                        continue;
                    };
                    let Ok(m) = SyncMessage::decode(&data) else { return };
                    let before = self.doc.get_heads();
                    if self.doc.sync().receive_sync_message(&mut self.state, m).is_err() {
                        return;
                    }
                    let after = self.doc.get_heads();
                    if after != before {
                        let arrived = Instant::now();
                        let patches = self.doc.diff(&before, &after);
                        let written = self.clock.written.lock().expect("lock");
                        let mut lat = Vec::new();
                        for p in patches {
                            if let PatchAction::PutMap { key, .. } = p.action
                                && let Some(t) = written.get(&key)
                            {
                                lat.push(arrived.duration_since(*t).as_secs_f64() * 1000.0);
                            }
                        }
                        drop(written);
                        self.clock.latencies.lock().expect("lock").extend(lat);
                    }
                    let next = self.doc.sync().generate_sync_message(&mut self.state);
                    if let Some(m) = next {
                        let msg = self.msg(&self.doc_id, m.encode(), false);
                        if self.send(&msg).await.is_err() { return; }
                    }
                }
            }
        }
    }
}

/// A household with a busy year in one document; a new device pulls it.
/// Returns the time to pull, the document's size and the connected reader.
async fn first_sync(args: &Args) -> anyhow::Result<(Duration, usize, Device)> {
    let mut h = setup_household(args, 999_999).await?;
    let clock = Arc::new(Clock::default());
    let mut writer =
        Device::connect(args, h.tokens[0].as_deref(), &h.doc_id, clock.clone()).await?;
    if let Some((id, doc)) = h.household_doc.take() {
        writer.push_doc(&id, doc).await?;
    }
    let mut doc = h.genesis.clone();
    let (_, completions) = doc
        .get(automerge::ROOT, "completions")?
        .context("completions")?;
    let start = chrono::Utc::now().timestamp_millis() - 365 * 86_400_000;
    for i in 0..args.year_entries {
        let at = start + i as i64 * 4_320_000;
        let entry = serde_json::json!({"member": format!("m{}", i % 3), "at": at, "device": "d", "points": 5, "due_at": at, "needs_approval": false, "gen": 1}).to_string();
        doc.put(&completions, format!("{}/{i}", h.chore).as_str(), entry)?;
        // One change per completion, as devices make them.
        doc.commit();
    }
    let bytes = doc.save().len();
    writer.create(doc).await?;
    drop(writer);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut reader = Device::connect(args, h.tokens[1].as_deref(), &h.doc_id, clock).await?;
    let started = Instant::now();
    reader.request().await?;
    let took = started.elapsed();
    let n = match reader.doc.get(automerge::ROOT, "completions")? {
        Some((_, id)) => reader.doc.length(&id),
        None => 0,
    };
    if n != args.year_entries {
        bail!(
            "the new device received {n} of {} entries",
            args.year_entries
        );
    }
    Ok((took, bytes, reader))
}

fn rss_kb(pid: Option<u32>) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// utime + stime of the process, in clock ticks.
fn cpu_ticks(pid: Option<u32>) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn ticks_per_sec() -> f64 {
    100.0
}

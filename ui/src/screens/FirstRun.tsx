// First run: create a household, or join one with an invite code (then a
// progress screen while this computer pulls the household's history).
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { PullProgress } from "../api";
import { errorMessage } from "../app/session";
import { ProgressBar } from "../components/bits";
import { Icon } from "../components/Icon";
import { pinProblem } from "../logic/profile";
import { defaultTimeZone, timeZones } from "../logic/time";

export interface FirstRunProps {
  /** Created: the first parent and their PIN (kept for the session). */
  onCreated: (parent: string, pin: string | null) => void;
  /** Joined: the device's role. */
  onJoined: (role: string) => void;
}

const PHASE_WORDS: Record<string, string> = {
  pairing: "Saying hello to the server…",
  pulling: "Fetching the household…",
  done: "All here!",
  failed: "That didn’t work.",
};

export function FirstRun(props: FirstRunProps) {
  const [joining, setJoining] = useState<PullProgress | null>(null);
  // The join form's fields live here: the form unmounts while joining and
  // comes back with them (and the error) when the join fails.
  const join = useState<JoinFields>({ server: "", code: "", problem: null });
  if (joining) return <Joining progress={joining} />;
  return (
    <main data-screen="first-run" class="first-run" id="main">
      <div class="welcome">
        <Icon name="flame" class="logo" size={64} />
        <h1>Welcome to Hearth</h1>
        <p>Chores, points and rewards for the whole family — on this computer, even offline.</p>
      </div>
      <div class="grid two first-run-panels">
        <Create onCreated={props.onCreated} />
        <Join fields={join[0]} setFields={join[1]} onJoined={props.onJoined} onProgress={setJoining} />
      </div>
    </main>
  );
}

interface JoinFields {
  server: string;
  code: string;
  problem: string | null;
}

function Create(props: { onCreated: FirstRunProps["onCreated"] }) {
  const [name, setName] = useState("");
  const [tz, setTz] = useState(defaultTimeZone);
  const [parent, setParent] = useState("");
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = timeZones();

  const submit = async (e: Event) => {
    e.preventDefault();
    const p =
      (!name.trim() && "Give your household a name.") ||
      (!tz.trim() && "Pick your time zone.") ||
      (!parent.trim() && "Type your name.") ||
      (/[,:/]/.test(parent) && "Names can’t contain , : or /.") ||
      pinProblem(pin);
    if (p) return setProblem(p);
    setProblem(null);
    setBusy(true);
    try {
      await api.createHousehold({ name: name.trim(), timezone: tz.trim(), parent: parent.trim(), pin: pin || null });
      props.onCreated(parent.trim(), pin || null);
    } catch (err) {
      setProblem(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">Start a new household</h2>
      <div class="field">
        <label for="household-name">Household name</label>
        <input id="household-name" placeholder="The Smiths" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="timezone">Time zone</label>
        <input id="timezone" list="first-run-zones" value={tz} onInput={(e) => setTz(e.currentTarget.value)} />
        <datalist id="first-run-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <div class="field">
        <label for="parent-name">Your name (you’re the first parent)</label>
        <input id="parent-name" maxLength={40} value={parent} onInput={(e) => setParent(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="parent-pin">Your PIN (optional, 4–6 digits)</label>
        <input id="parent-pin" type="password" inputMode="numeric" maxLength={6} autoComplete="new-password" value={pin} onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, ""))} />
        <p class="subtle">With a PIN, children can’t do parent things on a shared computer.</p>
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <button id="create-household" type="submit" class="button primary big" disabled={busy}>
        {busy ? "Creating…" : "Create household"}
      </button>
    </form>
  );
}

function Join(props: {
  fields: JoinFields;
  setFields: (f: JoinFields | ((f: JoinFields) => JoinFields)) => void;
  onJoined: FirstRunProps["onJoined"];
  onProgress: (p: PullProgress | null) => void;
}) {
  const { server, code, problem } = props.fields;
  const set = (p: Partial<JoinFields>) => props.setFields((f) => ({ ...f, ...p }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!/^(https?|wss?):\/\/\S+$/i.test(server.trim())) return set({ problem: "The server address starts with https:// (or http:// at home)." });
    if (!code.trim()) return set({ problem: "Type the invite code from a parent’s computer." });
    set({ problem: null });
    let off: (() => void) | null = null;
    try {
      off = await api.onPull((p) => props.onProgress(p)).catch(() => null);
    } catch {
      off = null;
    }
    props.onProgress({ phase: "pairing", documents: 0, total: null, message: null });
    try {
      const link = await api.joinHousehold({ server: server.trim(), code: code.trim() });
      props.onProgress({ phase: "done", documents: 0, total: null, message: null });
      props.onJoined(link.role);
    } catch (err) {
      set({ problem: errorMessage(err) });
      props.onProgress(null);
    } finally {
      off?.();
    }
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">Join your household</h2>
      <p class="subtle">On a parent’s computer: Household → Sync → “Make an invite code”.</p>
      <div class="field">
        <label for="join-server">Server address</label>
        <input id="join-server" type="url" placeholder="https://hearth.example.org" value={server} onInput={(e) => set({ server: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="join-code">Invite code</label>
        <input id="join-code" class="code-input" autoComplete="off" autoCapitalize="characters" value={code} onInput={(e) => set({ code: e.currentTarget.value })} />
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <button id="join-household" type="submit" class="button primary big">
        Join
      </button>
    </form>
  );
}

function Joining(props: { progress: PullProgress }) {
  const p = props.progress;
  const percent = p.total ? Math.min(100, (p.documents * 100) / p.total) : p.phase === "done" ? 100 : 0;
  const [dots, setDots] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setDots((d) => (d + 1) % 4), 500);
    return () => clearInterval(t);
  }, []);
  return (
    <main data-screen="joining" class="first-run" id="main">
      <div id="pull-progress" class="panel pull-progress" data-phase={p.phase} aria-live="polite">
        <Icon name="flame" class="logo" size={64} />
        <h1>{PHASE_WORDS[p.phase] ?? p.phase}</h1>
        <ProgressBar percent={percent} label="Joining the household" />
        <p>
          {p.total ? `${p.documents} of ${p.total} parts` : p.documents ? `${p.documents} parts` : `Please wait${".".repeat(dots)}`}
        </p>
        {p.message && <p class="subtle">{p.message}</p>}
      </div>
    </main>
  );
}

// Household: members and PINs, settings, and the sync server (connect,
// invite a device, devices, sync now).
import { useEffect, useState } from "preact/hooks";
import * as api from "../api";
import type { DeviceView, Invite } from "../api";
import { useLoad, useSession } from "../app/session";
import { Dialog } from "../components/Dialog";
import { Avatar, FormEnd, LoadError, StatusChip } from "../components/bits";
import { nameProblem, pinProblem } from "../logic/profile";
import { fromQuiet, quietProblem, streakProblem, streakWords, toQuiet, toStreak, type QuietControls, type StreakRule } from "../logic/settings";
import { countdown, relativeTime, timeZones } from "../logic/time";

export function Household() {
  return (
    <section class="screen household" aria-labelledby="household-title">
      <div class="screen-head">
        <h1 id="household-title">Household</h1>
      </div>
      <Members />
      <Settings />
      <SyncServer />
    </section>
  );
}

function Members() {
  const s = useSession();
  const [name, setName] = useState("");
  const [role, setRole] = useState<"parent" | "child">("child");
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [pinFor, setPinFor] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    const np = nameProblem(n);
    if (np) return setProblem(np);
    const pp = pinProblem(pin);
    if (pp) return setProblem(pp);
    setProblem(null);
    const out = await s.run("parent", (actor) => api.addMember(actor, { name: n, role, pin: pin || null }), {
      success: `Welcome, ${n}!`,
      purpose: "add a member",
    });
    if (out) {
      setName("");
      setPin("");
    }
  };

  const remove = async (member: string) => {
    const out = await s.run("parent", (actor) => api.archiveMember(actor, member), {
      success: `${member} is no longer in the household. Their history stays.`,
      purpose: `remove ${member}`,
    });
    if (out !== undefined) setRemoving(null);
  };

  const clearPin = (member: string) =>
    s.run("parent", (actor) => api.setPin(actor, member, null), { success: `${member} has no PIN now.`, purpose: `remove ${member}’s PIN` });

  return (
    <section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <ul class="list">
        {s.members.map((m) => (
          <li key={m.id} class="list-row member" data-member={m.name} data-role={m.role}>
            <Avatar name={m.name} />
            <div class="list-main">
              <strong>{m.name}</strong>
              <p class="subtle">
                {m.role === "parent" ? "Parent" : "Child"} · {m.has_pin ? "has a PIN" : "no PIN"}
                {s.active?.name === m.name ? " · using the computer now" : ""}
              </p>
            </div>
            <div class="row">
              <button type="button" class="button secondary set-pin" onClick={() => setPinFor(m.name)}>
                {m.has_pin ? "Change PIN" : "Set PIN"}
              </button>
              {m.has_pin && (
                <button type="button" class="button secondary clear-pin" onClick={() => clearPin(m.name)}>
                  Remove PIN
                </button>
              )}
              <button type="button" class="button secondary rename-member" aria-label={`Rename ${m.name}`} onClick={() => setRenaming(m.name)}>
                Rename
              </button>
              {s.active?.name !== m.name && (
                <button type="button" class="button danger remove-member" aria-label={`Remove ${m.name}`} onClick={() => setRemoving(m.name)}>
                  Remove
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form class="subpanel" onSubmit={add} aria-labelledby="add-member-title">
        <h3 id="add-member-title">Add someone</h3>
        <div class="grid three">
          <div class="field">
            <label for="member-name">Name</label>
            <input id="member-name" maxLength={40} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="member-role">Role</label>
            <select id="member-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "parent" | "child")}>
              <option value="parent">Parent</option>
              <option value="child">Child</option>
            </select>
          </div>
          <div class="field">
            <label for="member-pin">PIN (optional, 4–6 digits)</label>
            <input id="member-pin" type="password" inputMode="numeric" maxLength={6} autoComplete="new-password" value={pin} onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, ""))} />
          </div>
        </div>
        {problem && (
          <p class="field-error" role="alert">
            {problem}
          </p>
        )}
        <div class="row end">
          <button id="add-member" type="submit" class="button primary">
            Add member{s.activeIsParent ? "" : " (ask a parent)"}
          </button>
        </div>
      </form>
      {pinFor && <SetPinDialog member={pinFor} onClose={() => setPinFor(null)} />}
      {renaming && <RenameDialog member={renaming} onClose={() => setRenaming(null)} />}
      {removing && (
        <Dialog title={`Remove ${removing} from the household?`} onClose={() => setRemoving(null)} class="narrow">
          <p>They leave Today, the rotations and the profile list. Their history and points stay.</p>
          <div class="row end">
            <button type="button" class="button secondary" onClick={() => setRemoving(null)}>
              Keep them
            </button>
            <button id="confirm-remove-member" type="button" class="button danger" onClick={() => remove(removing)}>
              Remove{s.activeIsParent ? "" : " (ask a parent)"}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function RenameDialog(props: { member: string; onClose: () => void }) {
  const s = useSession();
  const [name, setName] = useState(props.member);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = name.trim();
    const np = nameProblem(n);
    if (np) return setProblem(np);
    const out = await s.run("parent", (actor) => api.renameMember(actor, props.member, n), {
      success: `${props.member} is now ${n}.`,
      purpose: `rename ${props.member}`,
    });
    if (out !== undefined) props.onClose();
  };
  return (
    <Dialog title={`Rename ${props.member}`} onClose={props.onClose} class="narrow">
      <form class="stack" onSubmit={submit}>
        <label for="new-name">Name</label>
        <input id="new-name" maxLength={40} autofocus value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <FormEnd problem={problem} onCancel={props.onClose} submitId="save-name" submit="Rename" />
      </form>
    </Dialog>
  );
}

function SetPinDialog(props: { member: string; onClose: () => void }) {
  const s = useSession();
  const [pin, setPin] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!pin) return setProblem("Type the new PIN.");
    const pp = pinProblem(pin);
    if (pp) return setProblem(pp);
    const out = await s.run("parent", (actor) => api.setPin(actor, props.member, pin), {
      success: `${props.member}’s PIN is set.`,
      purpose: `set ${props.member}’s PIN`,
    });
    if (out !== undefined) props.onClose();
  };
  return (
    <Dialog title={`New PIN for ${props.member}`} onClose={props.onClose} class="narrow">
      <form class="stack" onSubmit={submit}>
        <label for="new-pin">New PIN (4–6 digits)</label>
        <input id="new-pin" type="password" inputMode="numeric" maxLength={6} autoComplete="new-password" autofocus value={pin} onInput={(e) => setPin(e.currentTarget.value.replace(/\D/g, ""))} />
        <FormEnd problem={problem} onCancel={props.onClose} submitId="save-pin" submit="Save PIN" />
      </form>
    </Dialog>
  );
}

function Settings() {
  const s = useSession();
  const h = s.household;
  const [name, setName] = useState(h?.name ?? "");
  const [tz, setTz] = useState(h?.timezone ?? "UTC");
  const [quiet, setQuiet] = useState<QuietControls>(() => fromQuiet(h?.quiet_hours ?? null));
  const [streak, setStreak] = useState<StreakRule>(h?.streak ?? { every: 7, percent: 10, cap_percent: 50 });
  const [problem, setProblem] = useState<string | null>(null);
  const zones = timeZones();

  // Follow changes made elsewhere while the form is untouched.
  useEffect(() => {
    if (!h) return;
    setName(h.name);
    setTz(h.timezone);
    setQuiet(fromQuiet(h.quiet_hours));
    setStreak(h.streak);
  }, [h?.name, h?.timezone, h?.quiet_hours, h?.streak.every, h?.streak.percent, h?.streak.cap_percent]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!h) return;
    const problem = (!name.trim() && "The household needs a name.") || (!tz.trim() && "Pick a time zone.") || quietProblem(quiet) || streakProblem(streak);
    if (problem) return setProblem(problem);
    setProblem(null);
    const quietSpec = toQuiet(quiet);
    const streakSpec = toStreak(streak);
    const form = {
      name: name.trim() !== h.name ? name.trim() : null,
      timezone: tz.trim() !== h.timezone ? tz.trim() : null,
      quiet_hours: quietSpec !== (h.quiet_hours ?? "off") ? quietSpec : null,
      streak: streakSpec !== toStreak(h.streak) ? streakSpec : null,
    };
    if (!form.name && !form.timezone && !form.quiet_hours && !form.streak) {
      s.toastInfo("Nothing changed.");
      return;
    }
    await s.run("parent", (actor) => api.updateSettings(actor, form), { success: "Settings saved.", purpose: "change the settings" });
  };

  const num = (v: string) => Math.floor(Number(v));

  return (
    <form class="panel" onSubmit={save} aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <div class="grid two">
        <div class="field">
          <label for="settings-name">Household name</label>
          <input id="settings-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="settings-timezone">Time zone</label>
          <input id="settings-timezone" list="timezones" value={tz} onInput={(e) => setTz(e.currentTarget.value)} />
          <datalist id="timezones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
      </div>
      <fieldset class="fieldset">
        <legend>Quiet hours (no notifications)</legend>
        <label class="check">
          <input id="quiet-on" type="checkbox" checked={quiet.on} onChange={(e) => setQuiet({ ...quiet, on: e.currentTarget.checked })} />
          <span>Keep quiet at night</span>
        </label>
        {quiet.on && (
          <div class="row wrap">
            <label for="quiet-from">From</label>
            <input id="quiet-from" type="time" value={quiet.from} onInput={(e) => setQuiet({ ...quiet, from: e.currentTarget.value })} />
            <label for="quiet-to">until</label>
            <input id="quiet-to" type="time" value={quiet.to} onInput={(e) => setQuiet({ ...quiet, to: e.currentTarget.value })} />
          </div>
        )}
      </fieldset>
      <fieldset class="fieldset">
        <legend>Streak bonus</legend>
        <div class="row wrap">
          <label for="streak-percent">Bonus %</label>
          <input id="streak-percent" type="number" min={0} max={100} class="short" value={String(streak.percent)} onInput={(e) => setStreak({ ...streak, percent: num(e.currentTarget.value) })} />
          <label for="streak-every">for every</label>
          <input id="streak-every" type="number" min={1} max={365} class="short" value={String(streak.every)} onInput={(e) => setStreak({ ...streak, every: num(e.currentTarget.value) })} />
          <span>on time in a row,</span>
          <label for="streak-cap">up to %</label>
          <input id="streak-cap" type="number" min={0} max={500} class="short" value={String(streak.cap_percent)} onInput={(e) => setStreak({ ...streak, cap_percent: num(e.currentTarget.value) })} />
        </div>
        <p class="subtle">{streakProblem(streak) ?? streakWords(streak)}</p>
      </fieldset>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <div class="row end">
        <button id="save-settings" type="submit" class="button primary">
          Save settings{s.activeIsParent ? "" : " (ask a parent)"}
        </button>
      </div>
    </form>
  );
}

function SyncServer() {
  const s = useSession();
  const status = s.sync.status;
  const linked = !!status?.linked;
  return (
    <section class="panel" aria-labelledby="sync-title">
      <h2 id="sync-title">Sync</h2>
      {!linked ? <Connect /> : <Linked />}
    </section>
  );
}

function Connect() {
  const s = useSession();
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState(false);
  const connect = async (e: Event) => {
    e.preventDefault();
    if (!/^(https?|wss?):\/\/\S+$/i.test(url.trim())) {
      s.toastError(new Error("The server address starts with https:// (or http:// on a home network)."));
      return;
    }
    setBusy(true);
    const link = await s.run("parent", (actor) => api.connectServer(actor, url.trim(), secret.trim() || null), {
      purpose: "connect to a sync server",
    });
    setBusy(false);
    if (link) s.toastInfo(`Connected to ${link.server}. Invite your other computers below.`);
  };
  return (
    <form class="stack" onSubmit={connect}>
      <p>This household lives on this computer only. Connect a sync server to share it with the family’s other computers.</p>
      <div class="grid two">
        <div class="field">
          <label for="server-url">Server address</label>
          <input id="server-url" type="url" placeholder="https://hearth.example.org" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="registration-secret">Registration secret (if the server has one)</label>
          <input id="registration-secret" type="password" autoComplete="off" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </div>
      </div>
      <div class="row end">
        <button id="connect-server" type="submit" class="button primary" disabled={busy}>
          {busy ? "Connecting…" : `Connect${s.activeIsParent ? "" : " (ask a parent)"}`}
        </button>
      </div>
    </form>
  );
}

function Linked() {
  const s = useSession();
  const status = s.sync.status!;
  const [role, setRole] = useState<"parent" | "child">("child");
  const [invite, setInvite] = useState<Invite | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<DeviceView | null>(null);
  const { data: devices, error } = useLoad(() => api.devices());
  const left = invite ? countdown(invite.expires_at, s.now) : null;
  const [, tick] = useState(0);

  useEffect(() => {
    if (!invite) return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [invite]);

  const makeInvite = async () => {
    setBusy(true);
    const made = await s.run("parent", (actor) => api.invite(actor, role), { purpose: "invite a computer" });
    setBusy(false);
    if (made) setInvite(made);
  };

  const syncNow = async () => {
    setBusy(true);
    try {
      const r = await api.syncNow();
      s.toastInfo(`Synced ${r.documents} documents: ${r.received} received, ${r.sent} sent.`);
    } catch (e) {
      s.toastError(e);
    } finally {
      setBusy(false);
      s.refresh();
    }
  };

  const revoke = async (d: DeviceView) => {
    setRevoking(null);
    await s.run("parent", (actor) => api.revoke(actor, d.id), {
      success: `${d.name} can no longer sync.`,
      purpose: `remove ${d.name}`,
    });
  };

  const liveNow = Date.now();
  return (
    <div class="stack">
      <dl class="facts">
        <dt>Server</dt>
        <dd>{status.server}</dd>
        <dt>This computer</dt>
        <dd>{status.role === "parent" ? "a parent’s device" : status.role === "child" ? "a child’s device" : (status.role ?? "—")}</dd>
        <dt>Last synced</dt>
        <dd>{status.last_synced_at ? relativeTime(status.last_synced_at, s.now) : "not yet"}</dd>
        <dt>Changes to send</dt>
        <dd>{status.pending_changes}</dd>
      </dl>
      <div class="row">
        <button id="sync-now" type="button" class="button secondary" disabled={busy} onClick={syncNow}>
          ↻ Sync now
        </button>
      </div>

      <div class="subpanel">
        <h3>Add a computer</h3>
        <div class="row wrap">
          <label for="invite-role">It belongs to</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as "parent" | "child")}>
            <option value="child">a child</option>
            <option value="parent">a parent</option>
          </select>
          <button id="create-invite" type="button" class="button primary" disabled={busy} onClick={makeInvite}>
            Make an invite code{s.activeIsParent ? "" : " (ask a parent)"}
          </button>
        </div>
        {invite && (
          <div class="invite" aria-live="polite">
            <p>On the new computer choose “Join a household” and enter:</p>
            <p id="invite-code" class="invite-code">
              {invite.code}
            </p>
            {/* The shell renders the QR code as SVG markup. */}
            <div class="qr" aria-label={`QR code for invite ${invite.code}`} role="img" dangerouslySetInnerHTML={{ __html: invite.qr_svg }} />
            <p class="subtle">
              For a {invite.role}’s computer · {left ? `expires in ${left}` : "expired — make a new one"}
            </p>
          </div>
        )}
      </div>

      <div class="subpanel">
        <h3>Computers</h3>
        <LoadError error={error} />
        <ul class="list">
          {(devices ?? []).map((d) => (
            <li key={d.id} class={`list-row device ${d.revoked ? "revoked" : ""}`} data-device={d.id}>
              <div class="list-main">
                <strong>
                  {d.name}
                  {d.id === status.device_id ? " (this computer)" : ""}
                </strong>
                <p class="subtle">
                  {d.role} · added {relativeTime(d.created_at, liveNow)}
                  {d.last_seen_at ? ` · seen ${relativeTime(d.last_seen_at, liveNow)}` : ""}
                </p>
              </div>
              {d.revoked ? <StatusChip status="revoked" /> : d.connected ? <StatusChip status="online" label="online" /> : null}
              {!d.revoked && d.id !== status.device_id && (
                <button type="button" class="button danger revoke-device" onClick={() => setRevoking(d)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
      {revoking && (
        <Dialog title={`Remove ${revoking.name}?`} onClose={() => setRevoking(null)} class="narrow">
          <p>It stops syncing at once. Its data stays on it, but it gets no more changes.</p>
          <div class="row end">
            <button type="button" class="button secondary" onClick={() => setRevoking(null)}>
              Keep it
            </button>
            <button id="confirm-revoke" type="button" class="button danger" onClick={() => revoke(revoking)}>
              Remove
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

// History: every completion, redemption, adjustment and penalty — who,
// when, on which device — with undo, void and a parent's bonus/deduction.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { DeviceView, HistoryView } from "../api";
import { useLoad, useSession } from "../app/session";
import { Dialog } from "../components/Dialog";
import { Icon } from "../components/Icon";
import { Avatar, Empty, FormEnd, LoadError, Loading, StatusChip } from "../components/bits";
import { detailString } from "../logic/approvals";
import { canUndoEntry, canVoid, deviceLabel, entryTitle, KIND_ICONS, reviewWords, signedPoints } from "../logic/history";
import { formatWhen, relativeTime } from "../logic/time";

const LIMIT = 200;

export function History() {
  const s = useSession();
  const [member, setMember] = useState<string>("");
  const linked = !!s.sync.status?.linked;
  const { data, error, loading } = useLoad(
    () =>
      Promise.all([
        api.history(member || null, LIMIT),
        linked ? api.devices().catch(() => [] as DeviceView[]) : Promise.resolve([] as DeviceView[]),
      ]),
    [member, linked],
  );
  const [rows, devices] = data ?? [[], []];
  const [voiding, setVoiding] = useState<HistoryView | null>(null);
  const [adjusting, setAdjusting] = useState(false);
  const tz = s.household?.timezone ?? "UTC";

  const undo = (h: HistoryView) =>
    s.run(
      "self",
      async (actor) => {
        const u = await api.undo(actor, h.entry);
        s.showBalances(u.balances);
        return u.completion;
      },
      { success: `Undone: “${entryTitle(h)}”.` },
    );

  return (
    <section class="screen history" aria-labelledby="history-title">
      <div class="screen-head">
        <h1 id="history-title">History</h1>
        <div class="row wrap">
          <label for="history-member">Show</label>
          <select id="history-member" value={member} onChange={(e) => setMember(e.currentTarget.value)}>
            <option value="">Everyone</option>
            {s.members.map((m) => (
              <option key={m.id} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
          <button id="new-adjustment" type="button" class="button secondary" onClick={() => setAdjusting(true)}>
            ± Bonus or deduction{s.activeIsParent ? "" : " (ask a parent)"}
          </button>
        </div>
      </div>
      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && !rows.length && <Empty>Nothing has happened yet.</Empty>}
      <ul class="list history-list">
        {rows.map((h) => {
          const device = deviceLabel(detailString(h, "device"), devices, s.household?.device_id ?? null);
          const review = reviewWords(h);
          return (
            <li key={`${h.kind}/${h.entry}`} class={`list-row entry kind-${h.kind}`} data-entry={h.entry} data-kind={h.kind} data-status={h.status}>
              <span class="kind-icon">
                <Icon name={KIND_ICONS[h.kind] ?? "history"} />
              </span>
              <Avatar name={h.member} />
              <div class="list-main">
                <strong>{entryTitle(h)}</strong>
                <p class="subtle">
                  {h.member} · <time dateTime={h.at} title={formatWhen(h.at, tz)}>{relativeTime(h.at, s.now)}</time>
                  {device ? ` · on ${device}` : ""}
                  {review ? ` · ${review}` : ""}
                </p>
              </div>
              <StatusChip status={h.status} />
              <span class={`points ${h.points < 0 ? "negative" : ""}`}>{signedPoints(h.points)}</span>
              <div class="row">
                {canUndoEntry(h, s.active?.name ?? null, s.activeIsParent, s.now) && (
                  <button type="button" class="button secondary undo-entry" onClick={() => undo(h)}>
                    Undo
                  </button>
                )}
                {canVoid(h, s.activeIsParent) && (
                  <button type="button" class="button danger void-entry" onClick={() => setVoiding(h)}>
                    Void
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {data && rows.length >= LIMIT && <p class="subtle">Showing the latest {LIMIT}.</p>}
      {voiding && <VoidDialog entry={voiding} onClose={() => setVoiding(null)} />}
      {adjusting && <AdjustDialog initialMember={member} onClose={() => setAdjusting(false)} />}
    </section>
  );
}

function VoidDialog(props: { entry: HistoryView; onClose: () => void }) {
  const s = useSession();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) return setProblem("Say why, so everyone understands.");
    const out = await s.run("parent", (actor) => api.voidEntry(actor, props.entry.entry, reason.trim()), {
      success: `Voided “${entryTitle(props.entry)}”.`,
      purpose: "void a completion",
    });
    if (out) props.onClose();
  };
  return (
    <Dialog title={`Void ${props.entry.member}’s “${entryTitle(props.entry)}”`} onClose={props.onClose} class="narrow">
      <form class="stack" onSubmit={submit}>
        <p>The points are taken back. The entry stays in the history.</p>
        <label for="void-reason">Why?</label>
        <input id="void-reason" value={reason} autofocus onInput={(e) => setReason(e.currentTarget.value)} />
        <FormEnd problem={problem} onCancel={props.onClose} submitId="void-submit" submit="Void it" danger />
      </form>
    </Dialog>
  );
}

function AdjustDialog(props: { initialMember: string; onClose: () => void }) {
  const s = useSession();
  const [member, setMember] = useState(props.initialMember || s.members.find((m) => m.role === "child")?.name || s.members[0]?.name || "");
  const [kind, setKind] = useState<"bonus" | "deduction">("bonus");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = Number(points);
    if (!member) return setProblem("Pick who.");
    if (!Number.isInteger(n) || n <= 0 || n > 100000) return setProblem("Points are a whole number from 1 to 100000.");
    if (!reason.trim()) return setProblem("Say why.");
    const signed = kind === "bonus" ? n : -n;
    const out = await s.run("parent", (actor) => api.adjust(actor, member, signed, reason.trim()), {
      success: `${kind === "bonus" ? "Bonus" : "Deduction"} of ${n} for ${member}.`,
      purpose: `give ${member} a ${kind}`,
    });
    if (out) props.onClose();
  };
  return (
    <Dialog title="Bonus or deduction" onClose={props.onClose} class="narrow">
      <form class="stack" onSubmit={submit}>
        <label for="adjust-member">Who</label>
        <select id="adjust-member" value={member} onChange={(e) => setMember(e.currentTarget.value)}>
          {s.members.map((m) => (
            <option key={m.id} value={m.name}>
              {m.name}
            </option>
          ))}
        </select>
        <fieldset class="fieldset">
          <legend>What</legend>
          <label class="check">
            <input type="radio" name="adjust-kind" id="adjust-bonus" checked={kind === "bonus"} onChange={() => setKind("bonus")} />
            <span>Bonus</span>
          </label>
          <label class="check">
            <input type="radio" name="adjust-kind" id="adjust-deduction" checked={kind === "deduction"} onChange={() => setKind("deduction")} />
            <span>Deduction</span>
          </label>
        </fieldset>
        <label for="adjust-points">Points</label>
        <input id="adjust-points" type="number" min={1} step={1} value={points} onInput={(e) => setPoints(e.currentTarget.value)} />
        <label for="adjust-reason">Why</label>
        <input id="adjust-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        <FormEnd problem={problem} onCancel={props.onClose} submitId="adjust-submit" submit="Save" />
      </form>
    </Dialog>
  );
}

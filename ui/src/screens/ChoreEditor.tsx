// The chore form: friendly controls that build the recurrence and
// assignment specs, with the shell's plain-words description as a live
// preview. A parent never types a spec.
import { useEffect, useMemo, useState } from "preact/hooks";
import * as api from "../api";
import type { ChoreForm, ChoreView } from "../api";
import { useSession, errorMessage } from "../app/session";
import {
  ASSIGN_MODE_LABELS,
  ASSIGN_MODES,
  fromAssign,
  fromMissedSpec,
  setMode,
  toAssignSpec,
  toggleMember,
  toMissedSpec,
  validateAssign,
  validateMissed,
  type AssignControls,
  type AssignMode,
  type MissedControls,
} from "../logic/assign";
import {
  defaultControls,
  fromSpec,
  NTHS,
  toSpec,
  validateControls,
  WEEKDAY_NAMES,
  WEEKDAYS,
  type Frequency,
  type RecurrenceControls,
  type Weekday,
} from "../logic/recurrence";
import { localDate } from "../logic/time";

const FREQUENCIES: { value: Frequency; label: string }[] = [
  { value: "once", label: "Just once" },
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
  { value: "monthly", label: "Monthly" },
  { value: "yearly", label: "Yearly" },
];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
type WindowUnit = keyof typeof UNITS;

function windowFromMinutes(m: number | null): { on: boolean; amount: string; unit: WindowUnit } {
  if (!m) return { on: false, amount: "1", unit: "hours" };
  if (m % 1440 === 0) return { on: true, amount: String(m / 1440), unit: "days" };
  if (m % 60 === 0) return { on: true, amount: String(m / 60), unit: "hours" };
  return { on: true, amount: String(m), unit: "minutes" };
}

export interface ChoreEditorProps {
  /** The chore being edited, or null for a new one. */
  chore: ChoreView | null;
  onSaved: (c: ChoreView) => void;
  onCancel: () => void;
}

export function ChoreEditor(props: ChoreEditorProps) {
  const s = useSession();
  const names = s.members.map((m) => m.name);
  const today = localDate(s.now, s.household?.timezone ?? "UTC");
  const editing = props.chore;

  const initialRecurrence = useMemo(() => {
    const base = defaultControls(today);
    return editing ? (fromSpec(editing.every, base) ?? base) : base;
  }, [editing?.id]);
  const initialAssign = useMemo<AssignControls>(
    () => (editing ? (fromAssign(editing.assign, names) ?? { mode: "anyone", members: [] }) : { mode: "anyone", members: [] }),
    [editing?.id],
  );
  const specUnreadable = editing && !fromSpec(editing.every, defaultControls(today));
  const assignUnreadable = editing && !fromAssign(editing.assign, names);

  const [title, setTitle] = useState(editing?.title ?? "");
  const [points, setPoints] = useState(editing ? String(editing.points) : "");
  const [rec, setRec] = useState<RecurrenceControls>(initialRecurrence);
  const [assign, setAssign] = useState<AssignControls>(initialAssign);
  const [timeOn, setTimeOn] = useState(!!editing?.due_time);
  const [time, setTime] = useState(editing?.due_time ?? "18:00");
  const [rolling, setRolling] = useState(editing?.rolling ?? false);
  const [win, setWin] = useState(() => windowFromMinutes(editing?.window_minutes ?? null));
  const [approval, setApproval] = useState(editing?.requires_approval ?? false);
  const [missed, setMissed] = useState<MissedControls>(() => fromMissedSpec(editing?.missed ?? null));
  // Sent back unchanged when editing, so saving never moves the start or wipes the notes.
  const [start, setStart] = useState(editing?.start ?? "");
  const [notes, setNotes] = useState(editing?.notes ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [preview, setPreview] = useState<{ schedule: string; assign: string | null; error: string | null } | null>(null);

  const recProblem = validateControls(rec);
  const assignProblem = validateAssign(assign);
  const every = recProblem ? null : toSpec(rec);
  const assignSpec = assignProblem ? null : toAssignSpec(assign);

  // Live preview from the shell's own words.
  useEffect(() => {
    if (!every) {
      setPreview({ schedule: "", assign: null, error: recProblem });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.describe(every, assignSpec).then(
        (d) => live && setPreview({ schedule: d.schedule, assign: d.assign, error: null }),
        (e) => live && setPreview({ schedule: "", assign: null, error: errorMessage(e) }),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [every, assignSpec]);

  const patch = (p: Partial<RecurrenceControls>) => setRec((r) => ({ ...r, ...p }));
  const toggleDay = (d: Weekday) =>
    patch({ weekdays: rec.weekdays.includes(d) ? rec.weekdays.filter((x) => x !== d) : [...rec.weekdays, d] });

  const build = (): ChoreForm | string => {
    const t = title.trim();
    if (!t) return "Give the chore a name.";
    const n = Number(points);
    if (points.trim() === "" || !Number.isInteger(n) || n < 0 || n > 100000) return "Points must be a whole number from 0 to 100000.";
    if (recProblem || !every) return recProblem ?? "Pick when it happens.";
    if (assignProblem) return assignProblem;
    const missedProblem = validateMissed(missed);
    if (missedProblem) return missedProblem;
    let window_minutes: number | null = null;
    if (win.on) {
      const a = Number(win.amount);
      if (!Number.isInteger(a) || a < 1) return "The early window must be a whole number.";
      window_minutes = a * UNITS[win.unit];
    }
    if (timeOn && !/^\d{2}:\d{2}$/.test(time)) return "Pick a due time.";
    return {
      title: t,
      points: n,
      every,
      at: timeOn ? time : null,
      rolling: rec.frequency === "once" ? false : rolling,
      assign: assignSpec,
      approval,
      missed: toMissedSpec(missed),
      window_minutes,
      start: start || null,
      notes: notes.trim(),
    };
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const form = build();
    if (typeof form === "string") {
      setProblem(form);
      return;
    }
    setProblem(null);
    setSaving(true);
    const saved = await s.run(
      "parent",
      (actor) => (editing ? api.updateChore(actor, editing.id, form) : api.addChore(actor, form)),
      { success: editing ? `Saved “${form.title}”.` : `Added “${form.title}”.`, purpose: editing ? "change a chore" : "add a chore" },
    );
    setSaving(false);
    if (saved) props.onSaved(saved);
  };

  const unit = rec.frequency === "daily" ? "day" : rec.frequency === "weekly" ? "week" : "month";

  return (
    <form class="panel chore-form" onSubmit={save} aria-labelledby="chore-form-title">
      <h2 id="chore-form-title">{editing ? `Edit “${editing.title}”` : "New chore"}</h2>
      <div class="grid two">
        <div class="field">
          <label for="chore-title">What needs doing?</label>
          <input id="chore-title" value={title} maxLength={80} placeholder="Feed the cat" autofocus onInput={(e) => setTitle(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="chore-points">Points</label>
          <input id="chore-points" type="number" inputMode="numeric" min={0} max={100000} step={1} placeholder="5" value={points} onInput={(e) => setPoints(e.currentTarget.value)} />
        </div>
      </div>

      <fieldset class="fieldset">
        <legend>When</legend>
        {specUnreadable && <p class="field-error">This chore’s schedule (“{editing?.schedule}”) can’t be shown here; saving sets the one below.</p>}
        <div class="grid two">
          <div class="field">
            <label for="chore-frequency">How often</label>
            <select id="chore-frequency" value={rec.frequency} onChange={(e) => patch({ frequency: e.currentTarget.value as Frequency })}>
              {FREQUENCIES.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {(rec.frequency === "daily" || rec.frequency === "weekly" || rec.frequency === "monthly") && (
            <div class="field">
              <label for="chore-interval">Every how many {unit}s</label>
              <div class="row">
                <input
                  id="chore-interval"
                  type="number"
                  min={1}
                  max={366}
                  step={1}
                  class="short"
                  value={String(rec.interval)}
                  onInput={(e) => patch({ interval: Math.floor(Number(e.currentTarget.value)) || 0 })}
                />
                <span aria-hidden="true">{rec.interval === 1 ? unit : `${unit}s`}</span>
              </div>
            </div>
          )}
          {rec.frequency === "once" && (
            <div class="field">
              <label for="chore-date">On</label>
              <input id="chore-date" type="date" value={rec.date} onInput={(e) => patch({ date: e.currentTarget.value })} />
            </div>
          )}
        </div>

        {rec.frequency === "weekly" && (
          <div class="field" role="group" aria-labelledby="weekdays-label">
            <span id="weekdays-label" class="label">On these days</span>
            <div class="toggles">
              {WEEKDAYS.map((d) => (
                <button key={d} type="button" class="toggle" data-weekday={d} aria-pressed={rec.weekdays.includes(d)} aria-label={WEEKDAY_NAMES[d]} onClick={() => toggleDay(d)}>
                  {WEEKDAY_NAMES[d].slice(0, 3)}
                </button>
              ))}
            </div>
          </div>
        )}

        {rec.frequency === "monthly" && (
          <div class="field" role="radiogroup" aria-label="Which day of the month">
            <label class="choice">
              <input type="radio" name="month-mode" id="month-mode-day" checked={rec.monthMode === "day"} onChange={() => patch({ monthMode: "day" })} />
              <span>On day</span>
              <input
                id="chore-month-day"
                aria-label="Day of the month"
                type="number"
                min={1}
                max={31}
                class="short"
                value={String(rec.monthDay)}
                onFocus={() => patch({ monthMode: "day" })}
                onInput={(e) => patch({ monthMode: "day", monthDay: Math.floor(Number(e.currentTarget.value)) || 0 })}
              />
            </label>
            <label class="choice">
              <input type="radio" name="month-mode" id="month-mode-weekday" checked={rec.monthMode === "weekday"} onChange={() => patch({ monthMode: "weekday" })} />
              <span>On the</span>
              <select id="chore-nth" aria-label="Which week" value={rec.nth} onChange={(e) => patch({ monthMode: "weekday", nth: e.currentTarget.value as RecurrenceControls["nth"] })}>
                {NTHS.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <select id="chore-nth-weekday" aria-label="Weekday" value={rec.nthWeekday} onChange={(e) => patch({ monthMode: "weekday", nthWeekday: e.currentTarget.value as Weekday })}>
                {WEEKDAYS.map((d) => (
                  <option key={d} value={d}>
                    {WEEKDAY_NAMES[d]}
                  </option>
                ))}
              </select>
            </label>
            <label class="choice">
              <input type="radio" name="month-mode" id="month-mode-last" checked={rec.monthMode === "last"} onChange={() => patch({ monthMode: "last" })} />
              <span>On the last day of the month</span>
            </label>
          </div>
        )}

        {rec.frequency === "yearly" && (
          <div class="grid two">
            <div class="field">
              <label for="chore-year-month">Month</label>
              <select id="chore-year-month" value={String(rec.yearMonth)} onChange={(e) => patch({ yearMonth: Number(e.currentTarget.value) })}>
                {MONTHS.map((m, i) => (
                  <option key={m} value={String(i + 1)}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="chore-year-day">Day</label>
              <input id="chore-year-day" type="number" min={1} max={31} value={String(rec.yearDay)} onInput={(e) => patch({ yearDay: Math.floor(Number(e.currentTarget.value)) || 0 })} />
            </div>
          </div>
        )}

        <div class="grid two">
          <div class="field">
            <label class="check">
              <input id="chore-time-on" type="checkbox" checked={timeOn} onChange={(e) => setTimeOn(e.currentTarget.checked)} />
              <span>Due at a set time (otherwise by the end of the day)</span>
            </label>
            {timeOn && (
              <>
                <label for="chore-time" class="sr-only">
                  Due time
                </label>
                <input id="chore-time" type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} />
              </>
            )}
          </div>
          <div class="field">
            <label class="check">
              <input id="chore-window-on" type="checkbox" checked={win.on} onChange={(e) => setWin({ ...win, on: e.currentTarget.checked })} />
              <span>Can be done early, but not before…</span>
            </label>
            {win.on && (
              <div class="row">
                <label for="chore-window" class="sr-only">
                  How early
                </label>
                <input id="chore-window" type="number" min={1} class="short" value={win.amount} onInput={(e) => setWin({ ...win, amount: e.currentTarget.value })} />
                <label for="chore-window-unit" class="sr-only">
                  Unit
                </label>
                <select id="chore-window-unit" value={win.unit} onChange={(e) => setWin({ ...win, unit: e.currentTarget.value as WindowUnit })}>
                  <option value="minutes">minutes before</option>
                  <option value="hours">hours before</option>
                  <option value="days">days before</option>
                </select>
              </div>
            )}
          </div>
        </div>
        {rec.frequency !== "once" && (
          <label class="check">
            <input id="chore-rolling" type="checkbox" checked={rolling} onChange={(e) => setRolling(e.currentTarget.checked)} />
            <span>Count the next time from when it was done (not from the due date)</span>
          </label>
        )}
        <div class="field">
          <label for="chore-start">{editing ? "Starting" : "Starting (optional)"}</label>
          <input id="chore-start" type="date" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </div>
      </fieldset>

      <fieldset class="fieldset">
        <legend>Who</legend>
        {assignUnreadable && <p class="field-error">Couldn’t read who does this (“{editing?.assign}”); pick again below.</p>}
        <div class="field">
          <label for="chore-assign-mode">Who does it</label>
          <select id="chore-assign-mode" value={assign.mode} onChange={(e) => setAssign(setMode(assign, e.currentTarget.value as AssignMode))}>
            {ASSIGN_MODES.map((m) => (
              <option key={m} value={m}>
                {ASSIGN_MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </div>
        {assign.mode !== "anyone" && (
          <div class="field" role="group" aria-labelledby="assign-members-label">
            <span id="assign-members-label" class="label">
              {assign.mode === "fixed" ? "Who" : assign.mode === "rotate" ? "In this order (tick in turn order)" : "Among"}
            </span>
            <div class="checks">
              {names.map((n) => {
                const idx = assign.members.indexOf(n);
                return (
                  <label key={n} class="check pill">
                    <input type="checkbox" data-assign-member={n} checked={idx >= 0} onChange={(e) => setAssign(toggleMember(assign, n, e.currentTarget.checked))} />
                    <span>{n}</span>
                    {assign.mode === "rotate" && idx >= 0 && <span class="order">{idx + 1}</span>}
                  </label>
                );
              })}
            </div>
          </div>
        )}
      </fieldset>

      <fieldset class="fieldset">
        <legend>Rules</legend>
        <label class="check">
          <input id="chore-approval" type="checkbox" checked={approval} onChange={(e) => setApproval(e.currentTarget.checked)} />
          <span>A parent approves before the points count</span>
        </label>
        <div class="row wrap">
          <label for="chore-missed">If it’s not done in time</label>
          <select id="chore-missed" value={missed.policy} onChange={(e) => setMissed({ ...missed, policy: e.currentTarget.value as MissedControls["policy"] })}>
            <option value="skip">skip it, the next one comes</option>
            <option value="overdue">it stays open and late</option>
          </select>
          {missed.policy === "overdue" && (
            <>
              <label for="chore-penalty">penalty points</label>
              <input id="chore-penalty" type="number" min={0} class="short" value={String(missed.penalty)} onInput={(e) => setMissed({ ...missed, penalty: Math.floor(Number(e.currentTarget.value)) || 0 })} />
            </>
          )}
        </div>
        <div class="field">
          <label for="chore-notes">Notes (optional)</label>
          <textarea id="chore-notes" rows={2} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
        </div>
      </fieldset>

      <div class="preview" aria-live="polite" id="chore-preview">
        {preview?.error ? (
          <span class="field-error">{preview.error}</span>
        ) : preview?.schedule ? (
          <>
            <strong>{capitalise(preview.schedule)}</strong>
            {timeOn ? ` by ${time}` : ""}
            {preview.assign ? ` — ${preview.assign}` : assign.mode === "anyone" ? " — anyone" : ""}
          </>
        ) : (
          <span class="subtle">…</span>
        )}
      </div>

      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      <div class="row end">
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button id="save-chore" type="submit" class="button primary" disabled={saving}>
          {saving ? "Saving…" : editing ? "Save changes" : "Add chore"}
        </button>
      </div>
    </form>
  );
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

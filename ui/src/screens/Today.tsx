// Today: one column per member with what is overdue, due and done. One tap
// completes; Undo right after.
import { useState } from "preact/hooks";
import * as api from "../api";
import type { OccurrenceView } from "../api";
import { useLoad, useSession } from "../app/session";
import { Avatar, Balance, Empty, LoadError, Loading, StatusChip } from "../components/bits";
import { Icon } from "../components/Icon";
import { canUndo, columnSummary, completer, dueLabel, groupToday, isDone, isOpen, type TodayColumn } from "../logic/today";
import { localDate } from "../logic/time";

const STATUS_WORDS: Record<string, string> = {
  due: "To do",
  overdue: "Late",
  missed: "Missed",
  pending: "Waiting for approval",
  done: "Done",
};

export function Today() {
  const s = useSession();
  const tz = s.household?.timezone ?? "UTC";
  const today = localDate(s.now, tz);
  const { data, error, loading } = useLoad(() => api.today(null));
  const [busy, setBusy] = useState<string | null>(null);
  const [recent, setRecent] = useState<string[]>([]);
  const columns = groupToday(data ?? [], s.members.map((m) => m.name), s.active?.name ?? null);

  const complete = async (o: OccurrenceView) => {
    if (!s.active) return;
    const by = completer(o, s.active.name);
    setBusy(o.key);
    const done = await s.run(
      "self",
      async (actor) => {
        const r = await api.done(actor, o.key, by);
        s.showBalances(r.balances);
        return r.completion;
      },
      { purpose: `tick off “${o.title}”` },
    );
    setBusy(null);
    if (done) {
      setRecent((r) => [...r.filter((k) => k !== o.key), o.key]);
      s.toastInfo(
        done.status === "pending"
          ? `“${o.title}” is done — waiting for a parent to approve.`
          : `Well done${by === s.active.name ? "" : `, ${by}`}! +${done.points} points.`,
      );
    }
  };

  const undo = async (o: OccurrenceView) => {
    setBusy(o.key);
    const r = await s.run(
      "self",
      async (actor) => {
        const u = await api.undo(actor, o.key);
        s.showBalances(u.balances);
        return u.completion;
      },
      { success: `“${o.title}” is open again.` },
    );
    setBusy(null);
    if (r) setRecent((keys) => keys.filter((k) => k !== o.key));
  };

  return (
    <section class="screen today" aria-labelledby="today-title">
      <div class="screen-head">
        <h1 id="today-title">Today</h1>
        <p class="subtle">{new Date(s.now).toLocaleDateString(undefined, { weekday: "long", day: "numeric", month: "long", timeZone: safeZone(tz) })}</p>
      </div>
      <LoadError error={error} />
      <Loading show={loading && !data} />
      {data && (
        <div class="columns">
          {columns.map((c) => (
            <Column
              key={c.member ?? "(anyone)"}
              column={c}
              today={today}
              active={s.active?.name ?? null}
              activeIsParent={s.activeIsParent}
              spendable={c.member ? (s.balanceOf(c.member)?.spendable ?? 0) : null}
              busy={busy}
              recent={recent}
              onDone={complete}
              onUndo={undo}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function safeZone(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

interface ColumnProps {
  column: TodayColumn;
  today: string;
  active: string | null;
  activeIsParent: boolean;
  spendable: number | null;
  busy: string | null;
  recent: string[];
  onDone: (o: OccurrenceView) => void;
  onUndo: (o: OccurrenceView) => void;
}

function Column(p: ColumnProps) {
  const c = p.column;
  const name = c.member ?? "Anyone";
  const allDone = !c.open.length && c.done.length > 0;
  return (
    <section class={`column ${c.member && c.member === p.active ? "is-active" : ""}`} aria-label={`${name}'s chores`} data-column={name}>
      <header class="column-head">
        {c.member ? <Avatar name={c.member} size="big" /> : <span class="avatar anyone big" aria-hidden="true"><Icon name="star" size={26} /></span>}
        <div class="column-title">
          <h2>{c.member ?? "Anyone can do"}</h2>
          <p class="subtle">{columnSummary(c)}</p>
        </div>
        {c.member && p.spendable !== null && <Balance member={c.member} points={p.spendable} big />}
      </header>
      {allDone && <p class="celebrate"><Icon name="star" /> All done for today!</p>}
      {!c.open.length && !c.done.length && !c.missed.length && <Empty>Nothing to do today.</Empty>}
      <ul class="cards">
        {[...c.open, ...c.done, ...c.missed].map((o) => (
          <Card key={o.key} o={o} {...p} />
        ))}
      </ul>
    </section>
  );
}

function Card(p: ColumnProps & { o: OccurrenceView }) {
  const o = p.o;
  const open = isOpen(o);
  const showUndo = isDone(o) && (p.recent.includes(o.key) || canUndo(o, p.active, p.activeIsParent));
  const busy = p.busy === o.key;
  const due = dueLabel(o, p.today);
  return (
    <li
      class={`card occurrence occ-${o.status}`}
      data-occurrence={o.key}
      data-title={o.title}
      data-status={o.status}
    >
      <div class="card-main">
        <h3 class="card-title">{o.title}</h3>
        <p class="card-meta">
          <span class="points">+{o.points}</span>
          {due && <span>{due}</span>}
          <StatusChip status={o.status} label={STATUS_WORDS[o.status] ?? o.status} />
        </p>
        {o.done_by && isDone(o) && <p class="subtle">Done by {o.done_by}</p>}
      </div>
      <div class="card-actions">
        <button
          type="button"
          class="button done-button"
          disabled={!open || busy || !p.active}
          aria-label={open ? `Done: ${o.title}` : `${STATUS_WORDS[o.status] ?? o.status}: ${o.title}`}
          onClick={() => p.onDone(o)}
        >
          {open ? (busy ? "…" : "Done!") : isDone(o) ? "✓" : "—"}
        </button>
        {showUndo && (
          <button type="button" class="button secondary undo-button" disabled={busy} onClick={() => p.onUndo(o)}>
            Undo
          </button>
        )}
      </div>
    </li>
  );
}

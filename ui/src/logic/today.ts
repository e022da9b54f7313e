// Today's occurrences, grouped into one column per member and sorted the way
// a child reads a list: late things first, then by due time, done at the end.
import type { OccurrenceView } from "../bindings";

export interface TodayColumn {
  /** Member name, or null for chores anyone may do that nobody has done yet. */
  member: string | null;
  /** Overdue, then due, by due time. */
  open: OccurrenceView[];
  /** Done or waiting for a parent's approval, newest due last. */
  done: OccurrenceView[];
  /** Missed and expired. */
  missed: OccurrenceView[];
}

const OPEN_RANK: Record<string, number> = { overdue: 0, due: 1 };

export function isOpen(o: OccurrenceView): boolean {
  return o.status === "due" || o.status === "overdue";
}

export function isDone(o: OccurrenceView): boolean {
  return o.status === "done" || o.status === "pending";
}

function byDue(a: OccurrenceView, b: OccurrenceView): number {
  return a.due_at.localeCompare(b.due_at) || a.title.localeCompare(b.title) || a.key.localeCompare(b.key);
}

export function sortOpen(list: OccurrenceView[]): OccurrenceView[] {
  return [...list].sort((a, b) => (OPEN_RANK[a.status] ?? 2) - (OPEN_RANK[b.status] ?? 2) || byDue(a, b));
}

/** The column an occurrence belongs in: its assignee, or whoever did an anyone-chore. */
export function columnOf(o: OccurrenceView): string | null {
  return o.assignee ?? (isDone(o) ? o.done_by : null);
}

/**
 * One column per member (the active member first, then the household's
 * order), and an "anyone" column when there is something in it. Occurrences
 * of members no longer listed get a column of their own at the end.
 */
export function groupToday(
  occurrences: OccurrenceView[],
  members: string[],
  active: string | null,
): TodayColumn[] {
  const order = active && members.includes(active) ? [active, ...members.filter((m) => m !== active)] : [...members];
  const columns = new Map<string | null, TodayColumn>();
  const column = (member: string | null) => {
    let c = columns.get(member);
    if (!c) {
      c = { member, open: [], done: [], missed: [] };
      columns.set(member, c);
    }
    return c;
  };
  for (const m of order) column(m);
  for (const o of occurrences) {
    const c = column(columnOf(o));
    if (isOpen(o)) c.open.push(o);
    else if (isDone(o)) c.done.push(o);
    else c.missed.push(o);
  }
  for (const c of columns.values()) {
    c.open = sortOpen(c.open);
    c.done.sort(byDue);
    c.missed.sort(byDue);
  }
  const anyone = columns.get(null);
  const out = [...columns.values()].filter((c) => c.member !== null);
  const listed = out.filter((c) => order.includes(c.member as string));
  const others = out.filter((c) => !order.includes(c.member as string));
  const empty = (c: TodayColumn) => !c.open.length && !c.done.length && !c.missed.length;
  return [...listed, ...(anyone && !empty(anyone) ? [anyone] : []), ...others];
}

/** Who gets the points when the active member taps done: the assignee, else the active member. */
export function completer(o: OccurrenceView, active: string): string {
  return o.assignee ?? active;
}

/** Whether to offer Undo: the completer themself, or a parent (the shell enforces the 10 minutes). */
export function canUndo(o: OccurrenceView, active: string | null, activeIsParent: boolean): boolean {
  if (!isDone(o) || !active) return false;
  return o.done_by === active || activeIsParent;
}

/** "07:00", or "today" when due by the end of the day. */
export function dueLabel(o: OccurrenceView, today: string): string {
  const day = o.due_date === today ? "" : o.due_date < today ? `since ${o.due_date}` : o.due_date;
  const time = o.due_time ? `by ${o.due_time}` : day ? "" : "today";
  return [day, time].filter(Boolean).join(", ");
}

/** Counts for a column's header: "2 to do · 1 done". */
export function columnSummary(c: TodayColumn): string {
  const parts = [];
  if (c.open.length) parts.push(`${c.open.length} to do`);
  if (c.done.length) parts.push(`${c.done.length} done`);
  if (!parts.length) parts.push(c.missed.length ? "nothing left" : "nothing today");
  return parts.join(" · ");
}

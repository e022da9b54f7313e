// The Stats screen's numbers: the bar chart's geometry (points per week per
// member), the leaderboard and streaks. Pure: data and `today` in.
import type { BalanceView, HistoryView, WeekView } from "../bindings";
import { addDays, isoWeek, localDate, weeksBack } from "./time";

export interface Bar {
  member: string;
  /** Index of the member in the legend (its colour). */
  series: number;
  points: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WeekGroup {
  week: string;
  /** Short label under the group: "W47". */
  label: string;
  /** Centre of the group, for the label. */
  cx: number;
  bars: Bar[];
}

export interface Chart {
  width: number;
  height: number;
  /** The plot area inside the axes. */
  plot: { left: number; top: number; right: number; bottom: number };
  max: number;
  ticks: { value: number; y: number }[];
  groups: WeekGroup[];
  members: string[];
}

export interface ChartOptions {
  width: number;
  height: number;
  /** How many weeks, ending with the week of `today`. */
  weeks: number;
  today: string;
}

/** A round axis maximum and its tick step: 0, step, 2·step… ≥ max. */
export function niceScale(max: number, wanted = 4): { top: number; step: number } {
  if (max <= 0) return { top: 10, step: 5 };
  const raw = max / wanted;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return { top: Math.ceil(max / step) * step, step };
}

/** The weeks shown, oldest first. */
export function weekRange(today: string, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(weeksBack(today, i));
  return out;
}

export function chartGeometry(data: WeekView[], members: string[], o: ChartOptions): Chart {
  const weeks = weekRange(o.today, o.weeks);
  const series = [...members];
  for (const w of data) if (!series.includes(w.member) && weeks.includes(w.week)) series.push(w.member);
  const points = new Map<string, number>();
  for (const w of data) {
    const k = `${w.week}\u0000${w.member}`;
    points.set(k, (points.get(k) ?? 0) + w.points);
  }
  const value = (week: string, member: string) => points.get(`${week}\u0000${member}`) ?? 0;
  const max = Math.max(0, ...weeks.flatMap((w) => series.map((m) => value(w, m))));
  const { top, step } = niceScale(max);
  const plot = { left: 40, top: 10, right: o.width - 10, bottom: o.height - 28 };
  const plotH = plot.bottom - plot.top;
  const groupW = (plot.right - plot.left) / weeks.length;
  const pad = Math.min(12, groupW * 0.15);
  const barW = series.length ? (groupW - 2 * pad) / series.length : 0;
  const y = (v: number) => plot.bottom - (Math.max(0, v) / top) * plotH;
  const ticks = [];
  for (let v = 0; v <= top + 1e-9; v += step) ticks.push({ value: v, y: y(v) });
  const groups = weeks.map((week, i) => {
    const x0 = plot.left + i * groupW;
    return {
      week,
      label: week.slice(week.indexOf("-") + 1),
      cx: x0 + groupW / 2,
      bars: series.map((member, s) => {
        const p = value(week, member);
        return {
          member,
          series: s,
          points: p,
          x: x0 + pad + s * barW,
          y: y(p),
          width: Math.max(0, barW - 2),
          height: plot.bottom - y(p),
        };
      }),
    };
  });
  return { width: o.width, height: o.height, plot, max, ticks, groups, members: series };
}

/** The chart in words, for the SVG's aria-label. */
export function chartSummary(c: Chart): string {
  if (!c.groups.length) return "No weeks to show.";
  const first = c.groups[0].week;
  const last = c.groups[c.groups.length - 1];
  const now = last.bars
    .filter((b) => b.points)
    .map((b) => `${b.member} ${b.points}`)
    .join(", ");
  return `Points per week from ${first} to ${last.week}. This week: ${now || "no points yet"}.`;
}

export interface LeaderRow {
  member: string;
  rank: number;
  week: number;
  earned: number;
  spendable: number;
  streak: number;
}

/** This week's points (then all-time earned) decide the order; equal scores share a rank. */
export function leaderboard(
  weeks: WeekView[],
  balances: BalanceView[],
  streaks: Map<string, number>,
  thisWeek: string,
): LeaderRow[] {
  const rows = balances.map((b) => ({
    member: b.member,
    rank: 0,
    week: weeks.filter((w) => w.week === thisWeek && w.member === b.member).reduce((s, w) => s + w.points, 0),
    earned: b.earned,
    spendable: b.spendable,
    streak: streaks.get(b.member) ?? 0,
  }));
  rows.sort((a, b) => b.week - a.week || b.earned - a.earned || a.member.localeCompare(b.member));
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    r.rank = prev && prev.week === r.week && prev.earned === r.earned ? prev.rank : i + 1;
  });
  return rows;
}

/** Completions that count towards a streak: approved ones (not pending, rejected or voided). */
export function countsForStreak(h: HistoryView): boolean {
  return h.kind === "completion" && h.status === "approved";
}

/**
 * Days in a row, in the household's zone, with at least one counted
 * completion, ending today or yesterday (today may still be to come).
 */
export function streakOf(days: Set<string>, today: string): number {
  let day = days.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (days.has(day)) {
    n++;
    day = addDays(day, -1);
  }
  return n;
}

export function streaks(history: HistoryView[], timeZone: string, today: string): Map<string, number> {
  const days = new Map<string, Set<string>>();
  for (const h of history) {
    if (!countsForStreak(h)) continue;
    let set = days.get(h.member);
    if (!set) days.set(h.member, (set = new Set()));
    set.add(localDate(h.at, timeZone));
  }
  const out = new Map<string, number>();
  for (const [member, set] of days) out.set(member, streakOf(set, today));
  return out;
}

export { isoWeek };

// Recurrence specs (`ChoreForm.every`) <-> the friendly controls of the chore
// form. The shell's parser (hearth-domain `spec.rs`) is the authority; this
// module builds only specs it takes and reads back every spec it prints
// (`every_spec`), plus the looser spellings it accepts.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

export const NTHS = ["1st", "2nd", "3rd", "4th", "last"] as const;
export type Nth = (typeof NTHS)[number];

export type Frequency = "once" | "daily" | "weekly" | "monthly" | "yearly";
/** Monthly on a day number, on the Nth weekday, or on the last day. */
export type MonthMode = "day" | "weekday" | "last";

export interface RecurrenceControls {
  frequency: Frequency;
  /** Every N days / weeks / months (1 = every). Unused for once and yearly. */
  interval: number;
  /** Weekly: the chosen days, in week order. */
  weekdays: Weekday[];
  monthMode: MonthMode;
  /** Monthly on day D (1..31). */
  monthDay: number;
  /** Monthly on the Nth weekday. */
  nth: Nth;
  nthWeekday: Weekday;
  /** One-off: YYYY-MM-DD. */
  date: string;
  /** Yearly: month 1..12 and day 1..31. */
  yearMonth: number;
  yearDay: number;
}

export const MAX_INTERVAL = 366;

/** Controls for a new chore: every day. `today` (YYYY-MM-DD) seeds the dates. */
export function defaultControls(today: string): RecurrenceControls {
  const [, m, d] = today.split("-").map(Number);
  return {
    frequency: "daily",
    interval: 1,
    weekdays: [weekdayOf(today)],
    monthMode: "day",
    monthDay: d || 1,
    nth: "1st",
    nthWeekday: weekdayOf(today),
    date: today,
    yearMonth: m || 1,
    yearDay: d || 1,
  };
}

/** The weekday of a YYYY-MM-DD date (calendar arithmetic, no time zone). */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split("-").map(Number);
  const js = new Date(Date.UTC(y || 2000, (m || 1) - 1, d || 1)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7];
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isValidDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Why the controls cannot make a spec, in words; null when they can. */
export function validateControls(c: RecurrenceControls): string | null {
  const intervalUsed = c.frequency === "daily" || c.frequency === "weekly" || c.frequency === "monthly";
  if (intervalUsed && (!Number.isInteger(c.interval) || c.interval < 1 || c.interval > MAX_INTERVAL)) {
    return `The interval must be a whole number from 1 to ${MAX_INTERVAL}.`;
  }
  switch (c.frequency) {
    case "once":
      return isValidDate(c.date) ? null : "Pick the day it is due.";
    case "daily":
      return null;
    case "weekly":
      return c.weekdays.length ? null : "Pick at least one day of the week.";
    case "monthly":
      if (c.monthMode === "day" && !(Number.isInteger(c.monthDay) && c.monthDay >= 1 && c.monthDay <= 31)) {
        return "The day of the month must be from 1 to 31.";
      }
      return null;
    case "yearly": {
      const okMonth = Number.isInteger(c.yearMonth) && c.yearMonth >= 1 && c.yearMonth <= 12;
      if (!okMonth) return "Pick a month.";
      const max = DAYS_IN_MONTH[c.yearMonth - 1];
      if (!(Number.isInteger(c.yearDay) && c.yearDay >= 1 && c.yearDay <= max)) {
        return `The day must be from 1 to ${max}.`;
      }
      return null;
    }
  }
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function head(every: number, unit: string): string {
  return every === 1 ? unit : `${every}-${unit}s`;
}

/** The spec for valid controls (canonical, as the shell prints it). */
export function toSpec(c: RecurrenceControls): string {
  const problem = validateControls(c);
  if (problem) throw new Error(problem);
  switch (c.frequency) {
    case "once":
      return `once:${c.date}`;
    case "daily":
      return head(c.interval, "day");
    case "weekly": {
      const days = WEEKDAYS.filter((w) => c.weekdays.includes(w));
      return `${head(c.interval, "week")}:${days.join(",")}`;
    }
    case "monthly": {
      const arg =
        c.monthMode === "last"
          ? "last"
          : c.monthMode === "day"
            ? String(c.monthDay)
            : `${c.nth}-${c.nthWeekday}`;
      return `${head(c.interval, "month")}:${arg}`;
    }
    case "yearly":
      return `year:${pad2(c.yearMonth)}-${pad2(c.yearDay)}`;
  }
}

function parseWeekday(s: string): Weekday | null {
  const t = s.trim().toLowerCase();
  if (t.length < 2) return null;
  return WEEKDAYS.find((w) => WEEKDAY_NAMES[w].toLowerCase().startsWith(t)) ?? null;
}

const NTH_WORDS: Record<string, Nth> = {
  "1st": "1st",
  first: "1st",
  "2nd": "2nd",
  second: "2nd",
  "3rd": "3rd",
  third: "3rd",
  "4th": "4th",
  fourth: "4th",
  last: "last",
};

/**
 * The controls for a spec, on top of `base` (which supplies the fields the
 * spec does not mention); null when the spec is not one the shell takes.
 */
export function fromSpec(spec: string, base: RecurrenceControls): RecurrenceControls | null {
  const s = spec.trim().toLowerCase();
  const colon = s.indexOf(":");
  const headPart = colon >= 0 ? s.slice(0, colon) : s;
  const arg = colon >= 0 ? s.slice(colon + 1) : null;
  let interval = 1;
  let unit = headPart;
  const dash = headPart.indexOf("-");
  if (dash >= 0) {
    const n = headPart.slice(0, dash);
    if (!/^\d+$/.test(n)) return null;
    interval = Number(n);
    unit = headPart.slice(dash + 1);
    if (unit.endsWith("s")) unit = unit.slice(0, -1);
  }
  if (interval < 1 || interval > MAX_INTERVAL) return null;
  const out: RecurrenceControls = { ...base, weekdays: [...base.weekdays], interval: 1 };
  switch (unit) {
    case "once": {
      if (dash >= 0 || !arg || !isValidDate(arg)) return null;
      return { ...out, frequency: "once", date: arg };
    }
    case "day":
      if (arg !== null) return null;
      return { ...out, frequency: "daily", interval };
    case "week": {
      if (!arg) return null;
      const days: Weekday[] = [];
      for (const part of arg.split(",")) {
        const w = parseWeekday(part);
        if (!w || days.includes(w)) return null;
        days.push(w);
      }
      return { ...out, frequency: "weekly", interval, weekdays: WEEKDAYS.filter((w) => days.includes(w)) };
    }
    case "month": {
      if (!arg) return null;
      const monthly = { ...out, frequency: "monthly" as const, interval };
      if (arg === "last") return { ...monthly, monthMode: "last" };
      if (/^\d+$/.test(arg)) {
        const d = Number(arg);
        if (d < 1 || d > 31) return null;
        return { ...monthly, monthMode: "day", monthDay: d };
      }
      const i = arg.indexOf("-");
      if (i < 0) return null;
      const nth = NTH_WORDS[arg.slice(0, i)];
      const wd = parseWeekday(arg.slice(i + 1));
      if (!nth || !wd) return null;
      return { ...monthly, monthMode: "weekday", nth, nthWeekday: wd };
    }
    case "year": {
      if (dash >= 0 || !arg) return null;
      const m = /^(\d{1,2})-(\d{1,2})$/.exec(arg);
      if (!m) return null;
      const c = { ...out, frequency: "yearly" as const, yearMonth: Number(m[1]), yearDay: Number(m[2]) };
      return validateControls(c) ? null : c;
    }
    default:
      return null;
  }
}

// Times and dates for display: relative times, local dates in the
// household's time zone, ISO weeks. `now` is always an argument.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Epoch milliseconds from an ISO string, epoch ms or epoch seconds. */
export function toMillis(t: string | number): number {
  if (typeof t === "number") return t < 1e11 ? t * 1000 : t;
  return Date.parse(t);
}

/** "just now", "2 min ago", "3 h ago", "yesterday", "4 days ago", "in 12 min"… */
export function relativeTime(t: string | number, now: number): string {
  const ms = toMillis(t);
  if (Number.isNaN(ms)) return "";
  const diff = now - ms;
  const future = diff < 0;
  const abs = Math.abs(diff);
  if (abs < 45_000) return future ? "in a moment" : "just now";
  const say = (n: number, unit: string) => (future ? `in ${n} ${unit}` : `${n} ${unit} ago`);
  if (abs < HOUR) return say(Math.max(1, Math.round(abs / MINUTE)), "min");
  if (abs < DAY) return say(Math.round(abs / HOUR), "h");
  const days = Math.round(abs / DAY);
  if (days === 1) return future ? "tomorrow" : "yesterday";
  if (days < 30) return say(days, "days");
  const months = Math.round(days / 30);
  if (months < 12) return say(months, months === 1 ? "month" : "months");
  const years = Math.round(days / 365);
  return say(years, years === 1 ? "year" : "years");
}

/** Whole minutes and seconds until `t` ("14:32"), or null when past. */
export function countdown(t: string | number, now: number): string | null {
  const left = toMillis(t) - now;
  if (!(left > 0)) return null;
  const s = Math.floor(left / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA zone. */
export function localDate(t: string | number, timeZone: string): string {
  const ms = toMillis(t);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).formatToParts(ms);
  } catch {
    parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(ms);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** A YYYY-MM-DD date plus `n` days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** The ISO week label ("2026-W47") of a YYYY-MM-DD date, as the shell labels weeks. */
export function isoWeek(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  const dow = (t.getUTCDay() + 6) % 7; // Monday = 0
  t.setUTCDate(t.getUTCDate() - dow + 3); // the week's Thursday
  const year = t.getUTCFullYear();
  const dayOfYear = Math.round((t.getTime() - Date.UTC(year, 0, 1)) / DAY);
  const week = 1 + Math.floor(dayOfYear / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The ISO week `n` weeks before the week of `date`. */
export function weeksBack(date: string, n: number): string {
  return isoWeek(addDays(date, -7 * n));
}

/** "Mon 3 Mar, 14:05" in the household's zone. */
export function formatWhen(t: string | number, timeZone: string): string {
  const opts: Intl.DateTimeFormatOptions = {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  };
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone }).format(toMillis(t));
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(toMillis(t));
  }
}

/** Time zones the runtime knows (for the settings picker). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  } catch {
    return [];
  }
}

export function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

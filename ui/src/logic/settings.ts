// Household settings: quiet hours and the streak rule between their spec
// strings and the form's controls.
import type { HouseholdView } from "../bindings";

/** The household's streak rule, as the shell sends it. */
export type StreakRule = HouseholdView["streak"];

export interface QuietControls {
  on: boolean;
  from: string;
  to: string;
}

export function fromQuiet(spec: string | null): QuietControls {
  const m = spec ? /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(spec.trim()) : null;
  return m ? { on: true, from: m[1], to: m[2] } : { on: false, from: "21:00", to: "07:00" };
}

export function toQuiet(c: QuietControls): string {
  return c.on ? `${c.from}-${c.to}` : "off";
}

export function quietProblem(c: QuietControls): string | null {
  if (!c.on) return null;
  const ok = (t: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t);
  return ok(c.from) && ok(c.to) ? null : "Quiet hours need two times, HH:MM.";
}

export function toStreak(r: StreakRule): string {
  return `${r.every}:${r.percent}:${r.cap_percent}`;
}

export function streakProblem(r: StreakRule): string | null {
  const whole = (n: number) => Number.isInteger(n);
  if (!whole(r.every) || r.every < 1 || r.every > 365) return "A streak is 1 to 365 chores in a row.";
  if (!whole(r.percent) || r.percent < 0 || r.percent > 100) return "The bonus is 0 to 100 %.";
  if (!whole(r.cap_percent) || r.cap_percent < 0 || r.cap_percent > 500) return "The cap is 0 to 500 %.";
  return null;
}

export function streakWords(r: StreakRule): string {
  if (r.percent === 0) return "No streak bonus.";
  return `${r.percent}% more points for every ${r.every} on-time in a row, up to ${r.cap_percent}%.`;
}

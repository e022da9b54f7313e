// Assignment specs (`ChoreForm.assign`) <-> the form's mode select and member
// checkboxes, and the missed-policy spec <-> its controls.

export const ASSIGN_MODES = ["anyone", "fixed", "rotate", "least-loaded", "everyone"] as const;
export type AssignMode = (typeof ASSIGN_MODES)[number];

export const ASSIGN_MODE_LABELS: Record<AssignMode, string> = {
  anyone: "Anyone (first to do it)",
  fixed: "One person",
  rotate: "Take turns",
  "least-loaded": "Whoever has done least",
  everyone: "Everyone (each their own)",
};

export interface AssignControls {
  mode: AssignMode;
  /** Chosen members, in the order they were picked (the rotation order). */
  members: string[];
}

/** Why the controls cannot make a spec; null when they can. */
export function validateAssign(c: AssignControls): string | null {
  if (c.mode === "anyone") return null;
  if (c.mode === "fixed") return c.members.length === 1 ? null : "Pick the one person who does it.";
  return c.members.length ? null : "Pick at least one person.";
}

/** The spec; `anyone` for anyone. */
export function toAssignSpec(c: AssignControls): string {
  const problem = validateAssign(c);
  if (problem) throw new Error(problem);
  return c.mode === "anyone" ? "anyone" : `${c.mode}:${c.members.join(",")}`;
}

/**
 * Ticking or unticking a member. "One person" keeps only the latest pick;
 * the others keep the order of picking (the rotation order).
 */
export function toggleMember(c: AssignControls, name: string, on: boolean): AssignControls {
  if (!on) return { ...c, members: c.members.filter((m) => m !== name) };
  if (c.members.includes(name)) return c;
  return { ...c, members: c.mode === "fixed" ? [name] : [...c.members, name] };
}

/** Switching mode keeps the picks (only the first for "One person"). */
export function setMode(c: AssignControls, mode: AssignMode): AssignControls {
  return { mode, members: mode === "fixed" ? c.members.slice(0, 1) : c.members };
}

/**
 * Controls from what a ChoreView says: the spec (`rotate:Anna,Ben`), or
 * its plain words as a fallback ("rotates Anna → Ben"). Null when neither
 * reads; the form then starts from "anyone".
 */
export function fromAssign(value: string | null, known: string[]): AssignControls | null {
  if (value === null || value.trim() === "") return { mode: "anyone", members: [] };
  const s = value.trim();
  const colon = s.indexOf(":");
  const head = (colon >= 0 ? s.slice(0, colon) : s).trim().toLowerCase().replace("_", "-");
  const names = colon >= 0 ? splitNames(s.slice(colon + 1)) : [];
  if (head === "anyone" && colon < 0) return { mode: "anyone", members: [] };
  const allKnown = !known.length || names.every((n) => known.some((k) => k.toLowerCase() === n.toLowerCase()));
  if ((ASSIGN_MODES as readonly string[]).includes(head) && colon >= 0 && names.length && allKnown) {
    const mode = head as AssignMode;
    if (mode === "fixed" && names.length !== 1) return null;
    return { mode, members: names };
  }
  return fromWords(s, known);
}

function splitNames(s: string): string[] {
  return s
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
}

/** Best effort over the plain words: the mode from a keyword, the members from known names in order of appearance. */
function fromWords(s: string, known: string[]): AssignControls | null {
  const lower = s.toLowerCase();
  const found = known
    .map((name) => ({ name, at: indexOfWord(s, name) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((x) => x.name);
  if (/^anyone\b/.test(lower) || lower === "anybody") return { mode: "anyone", members: [] };
  if (!found.length) return null;
  if (lower.includes("rotat") || lower.includes("turn") || s.includes("→")) return { mode: "rotate", members: found };
  if (lower.includes("least")) return { mode: "least-loaded", members: found };
  if (lower.includes("everyone") || lower.includes("each")) return { mode: "everyone", members: found };
  if (found.length === 1) return { mode: "fixed", members: found };
  return null;
}

function indexOfWord(haystack: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, "u").exec(haystack);
  return m ? m.index + m[1].length : -1;
}

/** An assignment in a few plain words, for lists (when the shell gives the spec). */
export function assignWords(value: string | null): string {
  const c = value === null ? { mode: "anyone" as const, members: [] } : fromAssign(value, []);
  if (!c) return value ?? "anyone";
  switch (c.mode) {
    case "anyone":
      return "anyone";
    case "fixed":
      return c.members[0];
    case "rotate":
      return `rotates ${c.members.join(" → ")}`;
    case "least-loaded":
      return `whoever has done least of ${joinWords(c.members)}`;
    case "everyone":
      return `each of ${joinWords(c.members)}`;
  }
}

export function joinWords(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// ----- missed policy -----------------------------------------------------

export interface MissedControls {
  policy: "skip" | "overdue";
  penalty: number;
}

export function toMissedSpec(c: MissedControls): string {
  if (c.policy === "skip") return "skip";
  return c.penalty > 0 ? `overdue:${c.penalty}` : "overdue";
}

export function fromMissedSpec(spec: string | null): MissedControls {
  const s = (spec ?? "skip").trim().toLowerCase();
  if (s.startsWith("overdue")) {
    const n = Number(s.split(":")[1] ?? 0);
    return { policy: "overdue", penalty: Number.isFinite(n) && n > 0 ? Math.floor(n) : 0 };
  }
  return { policy: "skip", penalty: 0 };
}

export function validateMissed(c: MissedControls): string | null {
  if (c.policy === "overdue" && !(Number.isInteger(c.penalty) && c.penalty >= 0 && c.penalty <= 100000)) {
    return "The penalty must be a whole number from 0 to 100000.";
  }
  return null;
}

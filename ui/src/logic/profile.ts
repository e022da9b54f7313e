// Who is at the computer: the stored profile, and which PIN an action needs.
import type { MemberView } from "../bindings";

export const PROFILE_KEY = "hearth.profile";

/** The stored profile if it still exists; else a member of the device's role; else the first parent; else anyone. */
export function initialProfile(
  members: MemberView[],
  stored: string | null,
  deviceRole: string | null = null,
): MemberView | null {
  const byName = stored ? members.find((m) => m.name === stored) : undefined;
  if (byName) return byName;
  if (deviceRole) {
    const same = members.filter((m) => m.role === deviceRole);
    if (same.length === 1) return same[0];
  }
  return members.find((m) => m.role === "parent") ?? members[0] ?? null;
}

export function isParent(m: MemberView | null | undefined): boolean {
  return m?.role === "parent";
}

/** Initial of a name, for the avatar. */
export function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? "?";
}

/** A stable colour slot (0..7) from a name: MemberView carries no colour yet. */
export function colourSlot(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % 8;
}

/** A PIN is 4 to 6 digits (the shell's rule); empty means none. */
/** Why a member's name can't be used, or null. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return "Type a name.";
  if (/[,:/]/.test(name)) return "Names can’t contain , : or /.";
  return null;
}

export function pinProblem(pin: string): string | null {
  if (pin === "") return null;
  return /^\d{4,6}$/.test(pin) ? null : "A PIN is 4 to 6 digits.";
}

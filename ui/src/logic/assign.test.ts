import { describe, expect, test } from "vitest";
import {
  assignWords,
  fromAssign,
  fromMissedSpec,
  setMode,
  toAssignSpec,
  toggleMember,
  toMissedSpec,
  validateAssign,
  validateMissed,
  type AssignControls,
} from "./assign";

const known = ["Anna", "Ben", "Cara", "Mum"];

describe("assignment specs", () => {
  test.each<[AssignControls, string]>([
    [{ mode: "anyone", members: ["Anna"] }, "anyone"],
    [{ mode: "fixed", members: ["Anna"] }, "fixed:Anna"],
    [{ mode: "rotate", members: ["Cara", "Anna", "Ben"] }, "rotate:Cara,Anna,Ben"],
    [{ mode: "least-loaded", members: ["Anna", "Ben"] }, "least-loaded:Anna,Ben"],
    [{ mode: "everyone", members: ["Anna", "Ben"] }, "everyone:Anna,Ben"],
  ])("%j -> %s and back", (c, spec) => {
    expect(toAssignSpec(c)).toBe(spec);
    const back = fromAssign(spec, known)!;
    expect(back.mode).toBe(c.mode);
    if (c.mode !== "anyone") expect(back.members).toEqual(c.members);
  });

  test.each<[AssignControls, RegExp]>([
    [{ mode: "fixed", members: [] }, /one person/],
    [{ mode: "fixed", members: ["Anna", "Ben"] }, /one person/],
    [{ mode: "rotate", members: [] }, /at least one/],
    [{ mode: "everyone", members: [] }, /at least one/],
  ])("%j is refused", (c, why) => {
    expect(validateAssign(c)).toMatch(why);
    expect(() => toAssignSpec(c)).toThrow(why);
  });

  test("the shell's spellings read", () => {
    expect(fromAssign(null, known)).toEqual({ mode: "anyone", members: [] });
    expect(fromAssign("Anyone", known)).toEqual({ mode: "anyone", members: [] });
    expect(fromAssign("FIXED: Anna ", known)).toEqual({ mode: "fixed", members: ["Anna"] });
    expect(fromAssign("least_loaded:Anna", known)).toEqual({ mode: "least-loaded", members: ["Anna"] });
    expect(fromAssign("rotate:Anna, Ben, Cara", known)).toEqual({ mode: "rotate", members: ["Anna", "Ben", "Cara"] });
  });

  test("plain words read as a fallback", () => {
    expect(fromAssign("rotates Anna → Ben → Cara", known)).toEqual({ mode: "rotate", members: ["Anna", "Ben", "Cara"] });
    expect(fromAssign("rotates Cara → Anna", known)).toEqual({ mode: "rotate", members: ["Cara", "Anna"] });
    expect(fromAssign("Ben", known)).toEqual({ mode: "fixed", members: ["Ben"] });
    expect(fromAssign("least loaded of Anna and Ben", known)).toEqual({ mode: "least-loaded", members: ["Anna", "Ben"] });
    expect(fromAssign("everyone: Anna and Cara", known)).toEqual({ mode: "everyone", members: ["Anna", "Cara"] });
    expect(fromAssign("anyone", known)).toEqual({ mode: "anyone", members: [] });
    // A name inside another word is not that name.
    expect(fromAssign("Annabel", known)).toBeNull();
    expect(fromAssign("somebody else", known)).toBeNull();
  });

  test("ticking members", () => {
    let c: AssignControls = { mode: "rotate", members: [] };
    c = toggleMember(c, "Cara", true);
    c = toggleMember(c, "Anna", true);
    c = toggleMember(c, "Anna", true);
    expect(c.members).toEqual(["Cara", "Anna"]);
    c = toggleMember(c, "Cara", false);
    expect(c.members).toEqual(["Anna"]);
    // One person: the latest tick wins.
    let f: AssignControls = { mode: "fixed", members: ["Anna"] };
    f = toggleMember(f, "Ben", true);
    expect(f.members).toEqual(["Ben"]);
    expect(setMode({ mode: "rotate", members: ["Ben", "Anna"] }, "fixed").members).toEqual(["Ben"]);
    expect(setMode({ mode: "fixed", members: ["Ben"] }, "everyone").members).toEqual(["Ben"]);
  });

  test("words for lists", () => {
    expect(assignWords("fixed:Anna")).toBe("Anna");
    expect(assignWords("rotate:Anna,Ben")).toBe("rotates Anna → Ben");
    expect(assignWords("everyone:Anna,Ben,Cara")).toBe("each of Anna, Ben and Cara");
    expect(assignWords(null)).toBe("anyone");
    expect(assignWords("rotates Anna → Ben")).toBe("rotates Anna → Ben");
  });
});

describe("missed policy", () => {
  test.each([
    ["skip", { policy: "skip", penalty: 0 }, "skip"],
    ["overdue", { policy: "overdue", penalty: 0 }, "overdue"],
    ["overdue:5", { policy: "overdue", penalty: 5 }, "overdue:5"],
    ["OVERDUE:0", { policy: "overdue", penalty: 0 }, "overdue"],
  ] as const)("%s", (spec, controls, back) => {
    expect(fromMissedSpec(spec)).toEqual(controls);
    expect(toMissedSpec(controls)).toBe(back);
  });
  test("null is skip; a bad penalty is refused", () => {
    expect(fromMissedSpec(null)).toEqual({ policy: "skip", penalty: 0 });
    expect(validateMissed({ policy: "overdue", penalty: 100001 })).toMatch(/penalty/);
    expect(validateMissed({ policy: "overdue", penalty: 1.5 })).toMatch(/penalty/);
    expect(validateMissed({ policy: "overdue", penalty: 3 })).toBeNull();
  });
});

/** The setup form speaks the form's language: field names for issue paths, no CLI flags, counts of what will run. */
import { describe, expect, it } from "vitest";
import { pairCount } from "../../../renderer/setup/SweepEditor.tsx";
import { changedFields, emptyForm, formMessage, issueLabel } from "../../../renderer/setup/spec-form.ts";

describe("setup messages", () => {
  const methodAt = ["draft", "rsd", "arbitrage"] as const;

  it("names an issue by the form's field: method and 1-based threshold, model, slice, decoding", () => {
    const label = (path: string) => issueLabel({ path, message: "" }, [...methodAt]);
    expect(label("methods.2.thresholds.1")).toBe("arbitrage threshold 2");
    expect(label("methods.1")).toBe("rsd");
    expect(label("methods.7.thresholds.0")).toBe("method 8 threshold 1");
    expect(label("models.prm")).toBe("PRM model");
    expect(label("models.draft")).toBe("draft model");
    expect(label("dataset.limit")).toBe("problems");
    expect(label("decoding.maxSteps")).toBe("max steps");
    expect(label("somethingElse.x")).toBe("somethingElse.x");
  });

  it("rewrites command-line advice for the form", () => {
    const cli = "/d/x.jsonl: expected a question field for format math500 (problem), found fields a, b; pass a mapping (--map question=FIELD) or another --format";
    const msg = formMessage(cli);
    expect(msg).not.toMatch(/--map|--format/);
    expect(msg).toContain("choose the Format that matches this file");
    expect(msg).toContain("question field");
    expect(formMessage("must be ≤ 1")).toBe("must be ≤ 1");
  });

  it("knows which fields a change touched", () => {
    const a = emptyForm();
    const b = { ...a, models: { ...a.models, draft: "/m" }, methods: { ...a.methods, rsd: { ...a.methods.rsd, thresholds: "0, 2" } }, dataset: { ...a.dataset, limit: "3" } };
    expect(changedFields(a, b).sort()).toEqual(["dataset.limit", "methods", "methods.rsd", "models.draft"]);
    expect(changedFields(a, a)).toEqual([]);
  });

  it("counts the (configuration, problem) pairs of the slice", () => {
    const slice = { ...emptyForm().dataset, offset: "", limit: "" };
    expect(pairCount(13, 7, slice)).toBe(91);
    expect(pairCount(13, 7, { ...slice, limit: "3" })).toBe(39);
    expect(pairCount(13, 7, { ...slice, offset: "5", limit: "3" })).toBe(26);
    expect(pairCount(13, null, slice)).toBeNull();
    expect(pairCount(null, 7, slice)).toBeNull();
  });
});

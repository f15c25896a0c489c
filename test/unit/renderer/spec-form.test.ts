import { describe, expect, it } from "vitest";
import { emptyForm, formToSpec, issueField, parseThresholds, specToForm } from "../../../renderer/setup/spec-form.ts";
import { parseSweepSpec } from "../../../main/speculation/sweep-spec.ts";
import { demoSpec } from "../../../main/cli/commands/demo.ts";

function filled() {
  const f = emptyForm();
  f.models = { draft: "/m/d", target: "/m/t", prm: "/m/p", router: "/m/r" };
  f.dataset.path = "/data/test.jsonl";
  return f;
}

describe("sweep form → spec", () => {
  it("builds the spec the CLI reads, and the main side's parser accepts it", () => {
    const f = filled();
    f.dataset.limit = "3";
    f.decoding.maxSteps = "20";
    f.methods.oracle.on = false;
    const { spec, issues, methodAt } = formToSpec(f);
    expect(issues).toEqual([]);
    expect(methodAt).toEqual(["draft", "target", "rsd", "arbitrage"]);
    expect(spec).toEqual({
      name: "sweep",
      models: { draft: "/m/d", target: "/m/t", prm: "/m/p", router: "/m/r" },
      dataset: { path: "/data/test.jsonl", limit: 3 },
      methods: [
        { method: "draft" },
        { method: "target" },
        { method: "rsd", thresholds: [0, 0.25, 0.5, 0.75, 1] },
        { method: "arbitrage", thresholds: [0, 0.25, 0.5, 0.75, 1] },
      ],
      decoding: { temperature: 0, seed: 0, maxSteps: 20 },
    });
    expect(() => parseSweepSpec(spec)).not.toThrow();
  });

  it("names each field it cannot turn into a spec, under the spec's own paths", () => {
    const f = emptyForm();
    f.methods.draft.on = false;
    f.methods.rsd.thresholds = "0, 0.5x, y";
    f.methods.arbitrage.thresholds = "  ";
    f.dataset.limit = "0";
    f.decoding.temperature = "-1";
    f.decoding.seed = "1.5";
    const { issues, methodAt } = formToSpec(f);
    expect(issues).toEqual([
      { path: "models.draft", message: "choose the draft model folder" },
      { path: "models.target", message: "choose the target model folder" },
      { path: "dataset.path", message: "choose a benchmark file" },
      { path: "dataset.limit", message: 'expected an integer ≥ 1, found "0"' },
      { path: "methods.1.thresholds", message: "not numbers: 0.5x, y" },
      { path: "methods.2.thresholds", message: "give at least one threshold" },
      { path: "decoding.temperature", message: 'expected a number ≥ 0, found "-1"' },
      { path: "decoding.seed", message: 'expected an integer ≥ 0, found "1.5"' },
    ]);
    // methods.1 is rsd once draft is off: the issue lands beside the rsd field.
    expect(issueField(issues[4]!, methodAt)).toBe("methods.rsd");
    expect(issueField({ path: "methods.2.thresholds.0", message: "" }, methodAt)).toBe("methods.arbitrage");
    expect(issueField({ path: "models.prm", message: "" }, methodAt)).toBe("models.prm");
  });

  it("reads thresholds separated by commas or spaces", () => {
    expect(parseThresholds("0,0.5 1;  -0.1")).toEqual({ values: [0, 0.5, 1, -0.1], bad: [] });
    expect(parseThresholds("1e-1 nope")).toEqual({ values: [0.1], bad: ["nope"] });
  });

  it("fills the form from the demo spec and turns it back into the same methods", () => {
    const demo = demoSpec(40, "/runs/demo");
    const form = specToForm(demo);
    expect(form.models.router).toBe(demo.models.router);
    expect(form.dataset.limit).toBe("40");
    expect(form.methods.generate.on).toBe(false);
    const back = formToSpec(form);
    expect(back.issues).toEqual([]);
    expect(back.spec.methods).toEqual(demo.methods);
    expect(back.spec.out).toBe("/runs/demo");
  });
});

import { describe, expect, it } from "vitest";
import { fillDatasetPath, fillModelPath, getSetupForm, setSetupForm } from "../../../renderer/setup/form-store.ts";
import { emptyForm } from "../../../renderer/setup/spec-form.ts";

describe("setup form store (the desktop menu fills it)", () => {
  it("puts an opened model folder in the first empty role, and a benchmark in the dataset", () => {
    setSetupForm(emptyForm());
    fillModelPath("/m/a");
    fillModelPath("/m/b");
    expect(getSetupForm().models).toEqual({ draft: "/m/a", target: "/m/b", prm: "", router: "" });
    fillModelPath("/m/c");
    fillModelPath("/m/d");
    fillModelPath("/m/e"); // every role taken: the draft is replaced
    expect(getSetupForm().models).toEqual({ draft: "/m/e", target: "/m/b", prm: "/m/c", router: "/m/d" });
    fillDatasetPath("/d/x.jsonl");
    expect(getSetupForm().dataset.path).toBe("/d/x.jsonl");
  });
});

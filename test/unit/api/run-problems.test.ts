/** runs.problems: a run's question and ground truth from its dataset file — and no text at all when that file is gone or changed. */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProblems } from "../../../main/api/run-problems.ts";
import { TINY_RUN } from "../../helpers/run-fixture.ts";
import { ROOT } from "../../helpers/serve.ts";

const tmp = mkdtempSync(join(tmpdir(), "run-problems-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fixture run with its dataset copied beside it (run.json pointed at the copy). */
function runWithDataset(name: string): { dir: string; dataset: string } {
  const dir = join(tmp, name);
  cpSync(TINY_RUN, dir, { recursive: true });
  const dataset = join(tmp, `${name}.jsonl`);
  cpSync(join(ROOT, "test/fixtures/sweep/tiny.jsonl"), dataset);
  const meta = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as { dataset: { path: string }; resolved: { dataset: { path: string } } };
  meta.dataset.path = meta.resolved.dataset.path = dataset;
  writeFileSync(join(dir, "run.json"), JSON.stringify(meta));
  return { dir, dataset };
}

describe("runs.problems", () => {
  it("reads the question and the ground truth as the sweep did, and names ids the dataset lacks", async () => {
    const { dir } = runWithDataset("ok");
    const got = await runProblems(dir, ["tiny-02", "tiny-00", "nope"]);
    expect(got.problems).toEqual([
      { id: "tiny-02", question: "What is 4+4?", answer: "8" },
      { id: "tiny-00", question: "What is 1+2?", answer: "3" },
    ]);
    expect(got.note).toMatch(/not in the run's dataset .*: nope$/);
  });

  it("shows nothing from a dataset changed since the run, and says so", async () => {
    const { dir, dataset } = runWithDataset("changed");
    appendFileSync(dataset, `${JSON.stringify({ problem: "What is 9+9?", solution: "\\\\boxed{18}", unique_id: "extra" })}\n`);
    const got = await runProblems(dir, ["tiny-00"]);
    expect(got.problems).toEqual([]);
    expect(got.note).toMatch(/has changed since the run \(sha256/);
  });

  it("says the dataset is gone rather than failing", async () => {
    const { dir, dataset } = runWithDataset("gone");
    rmSync(dataset);
    const got = await runProblems(dir, ["tiny-00"]);
    expect(got).toEqual({ problems: [], note: expect.stringMatching(/is not there any more/) });
  });
});

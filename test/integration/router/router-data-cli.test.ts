/**
 * `arbitrage router-data`: the Hugging Face table reads back (JSONL, and Parquet through
 * hyparquet), and its text is what the arbitrage-router scorer feeds its model — checked token
 * for token against the scorer's own input builder on the fixture router (a character tokenizer).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../main/cli/index.ts";
import { buildScorerInput } from "../../../main/engine/scorer-input.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { readRouterRows } from "../../../main/router/router-rows.ts";
import { captureIO } from "../../helpers/cli-capture.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";
import { routerFixture } from "../../helpers/router-data.ts";

const HELDOUT = routerFixture("heldout.jsonl");

function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(path);
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
}

describe("arbitrage router-data", () => {
  const dir = mkdtempSync(join(tmpdir(), "router-data-cli-"));
  let scorer: StepScorer;
  beforeAll(async () => {
    scorer = await StepScorer.load(fixtureModel("router"), { intraOpThreads: 1 });
  });
  afterAll(async () => scorer.dispose());

  it("writes JSONL and Parquet with the same records; bad lines are reported and skipped", async () => {
    const cli = captureIO(dir);
    expect(await main(["router-data", "--in", HELDOUT, "--out", "hf"], cli)).toBe(0);
    expect(cli.err()).toMatch(/skipped 2 line\(s\)[\s\S]*line 5:[\s\S]*line 10:/);
    expect(cli.out()).toMatch(/^11 records \(5 label 1, 6 label 0\), with Model 0:\/1: annotations/);
    const jsonl = readJsonl(join(dir, "hf", "train.jsonl"));
    const parquet = await readParquet(join(dir, "hf", "train.parquet"));
    expect(jsonl).toHaveLength(11);
    // Parquet INT64 columns come back as BigInt; everything else is the same value.
    const normalised = parquet.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
    expect(normalised).toEqual(jsonl);
    expect(Object.keys(jsonl[0]!)).toEqual(["text", "label", "delta", "question", "steps", "sources", "problem_id", "data_name", "level", "step_index", "prm_draft", "prm_target", "draft_step", "target_step"]);
    expect(jsonl[2]).toMatchObject({
      text: "What is 2+3*4?\nModel 0: 3*4 = 12.\nModel 1: 2 + 12 = 14.\nModel 0: The answer is \\boxed{14}.\n",
      label: 0,
      delta: 0,
      step_index: 2,
      question: "What is 2+3*4?",
      steps: ["3*4 = 12.", "2 + 12 = 14.", "The answer is \\boxed{14}."],
      sources: [0, 1, 0],
    });
    expect(parquet[1]?.["label"]).toBe(1n);
    // steps and sources are real list columns (list<string>, list<int32>), not JSON text.
    const bytes = readFileSync(join(dir, "hf", "train.parquet"));
    const schema = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).schema;
    const at = schema.findIndex((e) => e.name === "steps");
    expect(schema.slice(at, at + 3).map((e) => [e.name, e.converted_type ?? null, e.repetition_type, e.type ?? null])).toEqual([
      ["steps", "LIST", "REQUIRED", null],
      ["list", null, "REPEATED", null],
      ["element", "UTF8", "REQUIRED", "BYTE_ARRAY"],
    ]);
  });

  it("the annotated text tokenizes to exactly the scorer's input ids (default step end = the delimiter's last character)", async () => {
    const cli = captureIO(dir);
    expect(await main(["router-data", "--in", HELDOUT, "--out", "hf2", "--split-name", "test"], cli)).toBe(0);
    const records = readJsonl(join(dir, "hf2", "test.jsonl"));
    const rows = readRouterRows(HELDOUT).rows;
    expect(scorer.info.scorer).toMatchObject({ convention: "arbitrage-router", annotate: true, stepDelimiter: "\n\n", questionSuffix: "\n" });
    rows.forEach((row, i) => {
      const ids = buildScorerInput(scorer.tokenizer, scorer.info.scorer, row.question, [...row.contextSteps, row.draftStep], [...row.contextSources, 0]).ids;
      expect(scorer.tokenizer.encode(records[i]!["text"] as string, false)).toEqual(ids);
    });
  });

  it("--no-annotations drops the prefixes, as the no-annotations router sees its input", async () => {
    const cli = captureIO(dir);
    expect(await main(["router-data", "--in", HELDOUT, "--out", "plain", "--no-annotations", "--step-end", "\\n"], cli)).toBe(0);
    const records = readJsonl(join(dir, "plain", "train.jsonl"));
    expect(records[2]?.["text"]).toBe("What is 2+3*4?\n3*4 = 12.\n2 + 12 = 14.\nThe answer is \\boxed{14}.\n");
    const plainCfg = { ...scorer.info.scorer, annotate: false };
    const row = readRouterRows(HELDOUT).rows[6]!;
    const ids = buildScorerInput(scorer.tokenizer, plainCfg, row.question, [...row.contextSteps, row.draftStep], [...row.contextSources, 0]).ids;
    expect(scorer.tokenizer.encode(records[6]!["text"] as string, false)).toEqual(ids);
  });

  it("refuses to overwrite its input and reads JSON escapes in --step-end", async () => {
    const cli = captureIO(dir);
    expect(await main(["router-data", "--in", HELDOUT, "--out", "tab", "--step-end", "\\t", "--split-name", "x"], cli)).toBe(0);
    expect(readJsonl(join(dir, "tab", "x.jsonl"))[0]?.["text"]).toBe("What is 2+3*4?\nModel 0: 3*4 = 12.\t");
    const clash = captureIO(dir);
    expect(await main(["router-data", "--in", HELDOUT, "--out", routerFixture(""), "--split-name", "heldout"], clash)).toBe(2);
    expect(clash.err()).toContain("would overwrite the input");
  });
});

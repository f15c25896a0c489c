/**
 * The held-out grader cases (bench/heldout-grader-cases.jsonl): 430 completions written by a
 * second author (batches 1 and 2 without reading the graders' code), by category, each with the real toolkit's
 * verdict (`toolkit`, from bench/qwen_toolkit_runner.py: the toolkit at the commit in
 * GRADER_VERSION, sympy 1.12) and a careful verdict (`careful`, justified in `comment` where not
 * obvious), in batches: 1 (269) and 2 (98) written before any grader change they prompted, 3 (63)
 * written after those fixes and measured once before its own fixes. The bench reports agreement
 * on them separately from every other set. They are a measure, never a source of fixes: a grader
 * change is made from cases its author writes for the rule, and the held-out figure is then
 * re-measured. The first measurement (before any fix they
 * prompted) is recorded in docs/grading.md; later figures are no longer held-out in the strict
 * sense, and docs/grading.md says so.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { gradeBoth } from "../main/eval/grade/grade.ts";

const HeldOutCase = z.object({
  id: z.string(),
  /** 1 and 2: written before any grader change they prompted; 3: written after those fixes. */
  batch: z.number().int(),
  category: z.string(),
  pred_text: z.string(),
  gt: z.string(),
  data_name: z.string(),
  toolkit: z.boolean(),
  careful: z.boolean(),
  comment: z.string().optional(),
});
export type HeldOutCase = z.infer<typeof HeldOutCase>;

export interface HeldOutResult {
  n: number;
  qwenAgree: number;
  strictAgree: number;
  maxMs: number;
  slowest: string;
  disagreements: string[];
  byCategory: Map<string, { n: number; q: number; s: number }>;
  byBatch: Map<number, { n: number; q: number; s: number }>;
}

export function loadHeldOut(file: string): HeldOutCase[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l, k) => {
      const parsed = HeldOutCase.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${k + 1}: not a held-out case: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function runHeldOut(cases: HeldOutCase[]): HeldOutResult {
  const r: HeldOutResult = { n: 0, qwenAgree: 0, strictAgree: 0, maxMs: 0, slowest: "", disagreements: [], byCategory: new Map(), byBatch: new Map() };
  for (const c of cases) {
    const t0 = performance.now();
    const v = gradeBoth({ predText: c.pred_text, gt: c.gt, dataName: c.data_name });
    const ms = performance.now() - t0;
    if (ms > r.maxMs) {
      r.maxMs = ms;
      r.slowest = `held-out ${c.id}`;
    }
    const cat = r.byCategory.get(c.category) ?? { n: 0, q: 0, s: 0 };
    const bat = r.byBatch.get(c.batch) ?? { n: 0, q: 0, s: 0 };
    r.byBatch.set(c.batch, bat);
    cat.n++;
    bat.n++;
    r.n++;
    if (v.qwen.correct === c.toolkit) {
      r.qwenAgree++;
      cat.q++;
      bat.q++;
    } else {
      r.disagreements.push(`qwen   held-out ${c.id}/${c.category} (batch ${c.batch}): ours=${v.qwen.correct} toolkit=${c.toolkit} pred=${JSON.stringify(v.qwen.extracted)} gt=${JSON.stringify(v.qwen.gt)}`);
    }
    if (v.strict.correct === c.careful) {
      r.strictAgree++;
      cat.s++;
      bat.s++;
    } else {
      r.disagreements.push(`strict held-out ${c.id}/${c.category} (batch ${c.batch}): ours=${v.strict.correct} careful=${c.careful} pred=${JSON.stringify(v.strict.extracted)} gt=${JSON.stringify(v.strict.gt)}${c.comment ? ` (${c.comment})` : ""}`);
    }
    r.byCategory.set(c.category, cat);
  }
  return r;
}

// `npx tsx bench/grader-heldout.ts`: the held-out figures alone (the full bench prints them too)
if (process.argv[1]?.endsWith("grader-heldout.ts")) {
  const file = new URL("./heldout-grader-cases.jsonl", import.meta.url).pathname;
  gradeBoth({ predText: "\\boxed{1}", gt: "1" }); // warm-up
  const r = runHeldOut(loadHeldOut(file));
  for (const d of r.disagreements) console.log(d);
  console.log("");
  console.log("held-out category   n   qwen=toolkit  strict=careful");
  for (const [cat, k] of [...r.byCategory.entries()].sort()) console.log(`${cat.padEnd(18)} ${String(k.n).padStart(4)}   ${String(k.q).padStart(6)}        ${String(k.s).padStart(6)}`);
  console.log("");
  for (const [b, k] of [...r.byBatch.entries()].sort()) {
    console.log(`heldout_batch${b}_qwen_agreement: ${(k.q / k.n).toFixed(4)} (${k.n})`);
    console.log(`heldout_batch${b}_strict_agreement: ${(k.s / k.n).toFixed(4)} (${k.n})`);
  }
  console.log(`heldout_cases: ${r.n}`);
  console.log(`heldout_max_case_ms: ${r.maxMs.toFixed(1)}`);
  console.log(`heldout_qwen_agreement: ${(r.qwenAgree / r.n).toFixed(4)}`);
  console.log(`heldout_strict_agreement: ${(r.strictAgree / r.n).toFixed(4)}`);
}

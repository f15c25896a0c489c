/**
 * The hand-written cases of bench:grader (bench/grader-written-cases.ts) as a regression guard:
 * the qwen grader against the real toolkit's recorded verdicts, the strict grader against the
 * careful ones, at the goals (>= 99 % and >= 97 %). `npm run bench:grader` prints the
 * disagreements themselves.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gradeBoth } from "../../../../main/eval/grade/grade.ts";
import { WRITTEN_CASES, WRITTEN_CASES_2, WRITTEN_CASES_3 } from "../../../../bench/grader-written-cases.ts";

const recorded = new Map<string, boolean>();
for (const line of readFileSync(join(import.meta.dirname, "../../../../bench/toolkit-verdicts-written.jsonl"), "utf8").split("\n")) {
  if (!line.trim()) continue;
  const r = JSON.parse(line) as { pred_text: string; gt: string; data_name: string; correct: boolean; timeout: boolean };
  if (!r.timeout) recorded.set(`${r.data_name}\u0000${r.pred_text}\u0000${r.gt}`, r.correct);
}

describe("hand-written grading cases", () => {
  const all = [...WRITTEN_CASES, ...WRITTEN_CASES_2, ...WRITTEN_CASES_3];
  it("every case has the toolkit's recorded verdict", () => {
    const missing = all.filter((c) => !recorded.has(`${c.data ?? "math"}\u0000${c.pred}\u0000${c.gt}`));
    expect(missing.map((c) => c.pred)).toEqual([]);
  });

  it("qwen agrees with the toolkit on >= 99 % and strict with careful judgement on >= 97 %", () => {
    let q = 0;
    let s = 0;
    for (const c of all) {
      const data = c.data ?? "math";
      const v = gradeBoth({ predText: c.pred, gt: c.gt, dataName: data });
      if (v.qwen.correct === recorded.get(`${data}\u0000${c.pred}\u0000${c.gt}`)) q++;
      if (v.strict.correct === c.human) s++;
    }
    expect(q / all.length).toBeGreaterThanOrEqual(0.99);
    expect(s / all.length).toBeGreaterThanOrEqual(0.97);
  }, 60_000);
});

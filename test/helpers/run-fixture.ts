import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProblemRecord, SweepSummary } from "../../shared/results.ts";

/** A real run folder made by `arbitrage sweep` on the tiny fixture spec (test/helpers/sweep-fixtures.ts). */
export const TINY_RUN = fileURLToPath(new URL("../fixtures/run-tiny", import.meta.url));

export function tinyRecords(): ProblemRecord[] {
  return readFileSync(`${TINY_RUN}/journal.jsonl`, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => (JSON.parse(l) as { record: ProblemRecord }).record);
}

export function tinySummary(): SweepSummary {
  return JSON.parse(readFileSync(`${TINY_RUN}/summary.json`, "utf8")) as SweepSummary;
}

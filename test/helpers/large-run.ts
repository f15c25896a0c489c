/**
 * A large run folder for import tests and `npm run bench:app`: the fixture sweep's real run folder
 * (test/fixtures/run-tiny: 13 configurations × 7 problems) with its journal repeated under new
 * problem ids until it holds `steps` step records. run.json and summary.json are the fixture's,
 * with the problem count scaled (the plots show the fixture's summary; the records are what is
 * heavy to import).
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { TINY_RUN } from "./run-fixture.ts";

export interface LargeRun {
  dir: string;
  records: number;
  steps: number;
  bytes: number;
}

export function writeLargeRun(dir: string, steps: number): LargeRun {
  mkdirSync(dir, { recursive: true });
  const lines = readFileSync(join(TINY_RUN, "journal.jsonl"), "utf8").split("\n").filter((l) => l.trim() !== "");
  const stepsPerRound = lines.reduce((n, l) => n + (JSON.parse(l) as { record: { steps: unknown[] } }).record.steps.length, 0);
  const rounds = Math.max(1, Math.ceil(steps / stepsPerRound));
  const template = `${lines.join("\n")}\n`;
  const fd = openSync(join(dir, "journal.jsonl"), "w");
  let bytes = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const text = template.replaceAll('"problemId":"', `"problemId":"r${r}-`);
      bytes += writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
  const meta = JSON.parse(readFileSync(join(TINY_RUN, "run.json"), "utf8")) as { dataset: { count: number }; resolved: { name: string } };
  const problems = meta.dataset.count * rounds;
  meta.dataset.count = problems;
  meta.resolved.name = `large-${rounds * stepsPerRound}`;
  writeFileSync(join(dir, "run.json"), JSON.stringify(meta));
  const summary = JSON.parse(readFileSync(join(TINY_RUN, "summary.json"), "utf8")) as { problems: number };
  summary.problems = problems;
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  return { dir, records: lines.length * rounds, steps: rounds * stepsPerRound, bytes };
}

/**
 * Differential check of the qwen grader against the real toolkit on random spacing and notation
 * variants of the MATH500 answers (thin spaces at random places, digit groups, scientific notation,
 * x(x) for x^2, \left/\right, a/b for \frac, \sqrt 2, ^1, \%, \$, another problem's answer, ...).
 * The variants are made from ../shared/datasets, so they are not stored in the repository.
 *
 *   npx tsx bench/grader-variants.ts make OUT.jsonl [--seed N] [--datasets DIR]
 *   python3 bench/qwen_toolkit_runner.py OUT.jsonl VERDICTS.jsonl      (QWEN_EVAL_DIR, SYMPY_DIR)
 *   npx tsx bench/grader-variants.ts compare VERDICTS.jsonl
 *
 * docs/grading.md reports seed 5.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { grade } from "../main/eval/grade/grade.ts";
import { rng } from "./grader-cases.ts";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};

function make(out: string): void {
  const seed = Number(opt("--seed") ?? 5);
  const datasets = resolve(opt("--datasets") ?? join(here, "..", "..", "shared", "datasets"));
  const r = rng(seed);
  const answers = readFileSync(join(datasets, "math500", "test.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { answer: string }).answer);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const SP = ["\\,", "\\;", "\\!", "\\:", "\\quad ", " ", "\\ "];
  const REWRITES: [RegExp, string][] = [
    [/\\frac\{([^{}]+)\}\{([^{}]+)\}/, "($1)/($2)"], [/\\frac\{(\d+)\}\{(\d+)\}/, "$1/$2"], [/\\sqrt\{(\d+)\}/, "\\sqrt $1"],
    [/\^\{(\d)\}/, "^$1"], [/(\d)([a-z])/, "$1\\cdot $2"], [/(\d)\\sqrt/, "$1\\times\\sqrt"], [/\\pi/, "\\pi "],
    [/\(/, "\\left("], [/\[/, "\\left["], [/,/, ",\\ "], [/\\frac/, "\\tfrac"], [/(\d)\\pi/, "\\pi\\cdot $1"],
    [/\\sqrt\{(\d+)\}/, "$1^{1/2}"], [/\\sqrt\{(\d+)\}/, "\\sqrt[2]{$1}"], [/^(-?\d+)$/, "$1.0"], [/^(-?\d+)$/, "$1\\%"],
    [/^(\d+)$/, "\\$$1"], [/([a-z])\^2/, "$1\\cdot $1"], [/([a-z])/, "$1^1"],
  ];
  const lines: string[] = [];
  const push = (pred: string, gt: string) =>
    lines.push(JSON.stringify({ id: `v${lines.length}`, pred_text: `So the answer is $\\boxed{${pred}}$.`, gt, data_name: "math" }));
  for (const a of answers) {
    const k = Math.floor(r() * (a.length + 1));
    push(a.slice(0, k) + pick(SP) + a.slice(k), a);
    if (/\d{4,}/.test(a)) push(a.replace(/(\d)(?=(\d{3})+(?!\d))/g, `$1${pick(SP)}`), a);
    if (/^\d+$/.test(a) && Number(a) >= 100) {
      const e = Math.floor(Math.log10(Number(a)));
      push(`${Number(a) / 10 ** e}e${e}`, a);
      push(`${Number(a) / 10 ** e}\\times 10^{${e}}`, a);
    }
    const sq = /([a-z])\^2/.exec(a);
    if (sq) push(a.replace(sq[0], `${sq[1]}(${sq[1]})`), a);
    for (let t = 0; t < 2; t++) {
      const [re, rep] = pick(REWRITES);
      if (re.test(a)) push(a.replace(re, rep), a);
    }
    push(pick(answers).replace(/(\d)(\d)/, `$1${pick(SP)}$2`), a);
  }
  writeFileSync(out, lines.join("\n") + "\n");
  console.log(`variants: ${lines.length}`);
}

function compare(file: string): void {
  let n = 0;
  let agree = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as { pred_text: string; gt: string; data_name: string; correct: boolean; timeout: boolean; extracted: string; gt_norm: string };
    if (rec.timeout) continue;
    n++;
    const v = grade({ predText: rec.pred_text, gt: rec.gt, dataName: rec.data_name });
    if (v.correct === rec.correct) agree++;
    else console.log(`ours=${v.correct} toolkit=${rec.correct} pred=${JSON.stringify(rec.extracted)} gt=${JSON.stringify(rec.gt_norm)}`);
  }
  console.log(`variants_compared: ${n}`);
  console.log(`qwen_agreement: ${n > 0 ? (agree / n).toFixed(4) : "n/a"}`);
}

const [cmd, file] = args;
if (cmd === "make" && file) make(file);
else if (cmd === "compare" && file) compare(file);
else {
  console.error("usage: grader-variants.ts make OUT.jsonl [--seed N] [--datasets DIR] | compare VERDICTS.jsonl");
  process.exit(2);
}

/**
 * Reads router data in the `generate` format (docs/router-data.md): one JSON object per line. A
 * line that does not fit is reported with its line number and why, and skipped, so one bad line
 * never costs the rest of a long file.
 *
 * `draft_features` is accepted in both spellings: camelCase as the step loop writes it
 * ({ tokens, meanLogprob, minLogprob, meanEntropy }) and snake_case as the format doc shows it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { WorkbenchError } from "../../shared/errors.ts";
import type { StepSource } from "../engine/scorer-input.ts";
import type { StepFeatures } from "../speculation/step-oracle.ts";

/** Draft-side features of a step: the step loop's StepFeatures, so the sweep can pass them as is. */
export type DraftFeatures = StepFeatures;

export interface RouterRow {
  /** 1-based line in the file. */
  line: number;
  problemId: string | null;
  dataName: string | null;
  level: number | string | null;
  subject: string | null;
  question: string;
  stepIndex: number;
  contextSteps: string[];
  contextSources: StepSource[];
  draftStep: string;
  targetStep: string | null;
  prmDraft: number | null;
  prmTarget: number | null;
  delta: number;
  label: 0 | 1;
  draftFeatures: DraftFeatures | null;
}

export interface BadLine {
  line: number;
  reason: string;
}

export interface RouterRowsFile {
  path: string;
  /** sha256 of the file's bytes: training provenance and a check that two runs read the same data. */
  sha256: string;
  rows: RouterRow[];
  bad: BadLine[];
}

class LineProblem extends Error {}

/**
 * How far stored numbers may disagree through rounding: writers round PRM scores and Δ to a few
 * decimals separately (the demo's oracle keeps 6), so prm_target − prm_draft and Δ can differ in
 * the last place.
 */
const ROUNDING = 1e-5;

function kind(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  return `a ${typeof v}`;
}

function str(r: Record<string, unknown>, key: string): string {
  const v = r[key];
  if (typeof v !== "string") throw new LineProblem(`"${key}" must be a string, found ${kind(v)}`);
  return v;
}

function optStr(r: Record<string, unknown>, key: string): string | null {
  const v = r[key];
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new LineProblem(`"${key}" must be a string or null, found ${kind(v)}`);
}

function num(r: Record<string, unknown>, key: string): number {
  const v = r[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new LineProblem(`"${key}" must be a finite number, found ${kind(v)}`);
  return v;
}

function optNum(r: Record<string, unknown>, key: string): number | null {
  return r[key] === undefined || r[key] === null ? null : num(r, key);
}

const FEATURE_KEYS: [keyof DraftFeatures, string][] = [
  ["tokens", "tokens"],
  ["meanLogprob", "mean_logprob"],
  ["minLogprob", "min_logprob"],
  ["meanEntropy", "mean_entropy"],
];

function features(v: unknown): DraftFeatures | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object" || Array.isArray(v)) throw new LineProblem(`"draft_features" must be an object, found ${kind(v)}`);
  const f = v as Record<string, unknown>;
  const out: Partial<DraftFeatures> = {};
  for (const [camel, snake] of FEATURE_KEYS) {
    const x = f[camel] ?? f[snake];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new LineProblem(`"draft_features.${camel}" (or "${snake}") must be a finite number, found ${kind(x)}`);
    }
    out[camel] = x;
  }
  return out as DraftFeatures;
}

/** One parsed JSON value → a row, or a LineProblem saying what does not fit. */
export function parseRouterRow(value: unknown, line: number): RouterRow {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new LineProblem(`expected a JSON object, found ${kind(value)}`);
  const r = value as Record<string, unknown>;
  const question = str(r, "question");
  const stepIndex = num(r, "step_index");
  if (!Number.isInteger(stepIndex) || stepIndex < 0) throw new LineProblem(`"step_index" must be a non-negative integer, found ${stepIndex}`);
  const cs = r["context_steps"];
  if (!Array.isArray(cs) || !cs.every((s) => typeof s === "string")) throw new LineProblem(`"context_steps" must be a list of strings, found ${kind(cs)}`);
  const src = r["context_sources"];
  if (!Array.isArray(src) || !src.every((s) => s === 0 || s === 1)) throw new LineProblem(`"context_sources" must be a list of 0 (draft) / 1 (target), found ${JSON.stringify(src)}`);
  if (src.length !== cs.length) throw new LineProblem(`"context_sources" has ${src.length} entries but "context_steps" has ${cs.length}`);
  const draftStep = str(r, "draft_step");
  const targetStep = r["target_step"] === undefined || r["target_step"] === null ? null : str(r, "target_step");
  const delta = num(r, "delta");
  const prmDraft = optNum(r, "prm_draft");
  const prmTarget = optNum(r, "prm_target");
  if (prmDraft !== null && prmTarget !== null && Math.abs(prmTarget - prmDraft - delta) > ROUNDING) {
    throw new LineProblem(`"delta" ${delta} is not prm_target − prm_draft = ${prmTarget - prmDraft}`);
  }
  const label: 0 | 1 = delta > 0 ? 1 : 0;
  const stored = r["label"];
  if (stored !== undefined && stored !== 0 && stored !== 1) throw new LineProblem(`"label" must be 0 or 1, found ${JSON.stringify(stored)}`);
  // A writer that labels before rounding (label from the exact Δ, Δ stored to 6 decimals) can store
  // label 1 with Δ = 0 for a tiny advantage; that is a tie at the file's precision, read as
  // 1[Δ > 0] like every other row. A disagreement beyond rounding is a broken row.
  if (stored !== undefined && stored !== label && Math.abs(delta) > ROUNDING) {
    throw new LineProblem(`"label" ${JSON.stringify(stored)} disagrees with delta ${delta} (label is 1[delta > 0] = ${label})`);
  }
  const level = r["level"];
  if (level !== undefined && level !== null && typeof level !== "string" && !(typeof level === "number" && Number.isFinite(level))) {
    throw new LineProblem(`"level" must be a number, a string or null, found ${kind(level)}`);
  }
  return {
    line,
    problemId: optStr(r, "problem_id"),
    dataName: optStr(r, "data_name"),
    level: (level as number | string | undefined) ?? null,
    subject: optStr(r, "subject"),
    question,
    stepIndex,
    contextSteps: cs as string[],
    contextSources: src as StepSource[],
    draftStep,
    targetStep,
    prmDraft,
    prmTarget,
    delta,
    label,
    draftFeatures: features(r["draft_features"]),
  };
}

/** Parses JSONL text; blank lines are skipped silently, every other unusable line is reported. */
export function parseRouterRows(text: string): { rows: RouterRow[]; bad: BadLine[] } {
  const rows: RouterRow[] = [];
  const bad: BadLine[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      bad.push({ line, reason: `not valid JSON (${err instanceof Error ? err.message : String(err)})` });
      return;
    }
    try {
      rows.push(parseRouterRow(value, line));
    } catch (err) {
      if (!(err instanceof LineProblem)) throw err;
      bad.push({ line, reason: err.message });
    }
  });
  return { rows, bad };
}

export function readRouterRows(path: string): RouterRowsFile {
  if (!existsSync(path)) throw new WorkbenchError("missing-file", `router data file not found: ${path}`);
  if (statSync(path).isDirectory()) throw new WorkbenchError("usage", `expected a JSONL file of generate rows, found a directory: ${path}`);
  const bytes = readFileSync(path);
  const { rows, bad } = parseRouterRows(bytes.toString("utf8"));
  return { path, sha256: createHash("sha256").update(bytes).digest("hex"), rows, bad };
}

/** "line 3: …" lines for a report, at most `max` of them plus a count of the rest. */
export function describeBadLines(bad: readonly BadLine[], max = 20): string[] {
  const out = bad.slice(0, max).map((b) => `line ${b.line}: ${b.reason}`);
  if (bad.length > max) out.push(`… and ${bad.length - max} more`);
  return out;
}

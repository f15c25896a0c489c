/**
 * A sweep spec checked field by field for the API: the lead's schema (main/speculation/sweep-spec.ts) and
 * its cross-field rules, turned into `{ path, message }` issues a form can show beside each field,
 * plus the paths that do not exist on this machine (a sweep would fail on them minutes later).
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { WorkbenchError } from "../../shared/errors.ts";
import type { FieldIssue } from "../../shared/api/envelope.ts";
import { zodIssues } from "../../shared/api/envelope.ts";
import type { Configuration } from "../../shared/results.ts";
import type { ResolvedSpec, SweepSpec } from "../speculation/sweep-spec.ts";
import { parseSweepSpec, resolveSweepSpec, SweepSpecSchema } from "../speculation/sweep-spec.ts";

export interface SpecCheck {
  issues: FieldIssue[];
  spec: SweepSpec | null;
  resolved: ResolvedSpec | null;
  configurations: Configuration[];
}

/** parseSweepSpec's message lists its rule violations as "  - path: message" lines. */
function issuesFromMessage(message: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const line of message.split("\n")) {
    const m = /^\s+- ([^:]+): (.*)$/.exec(line);
    if (m) out.push({ path: (m[1] as string) === "spec" ? "" : (m[1] as string), message: m[2] as string });
  }
  return out.length > 0 ? out : [{ path: "", message }];
}

function pathIssues(spec: SweepSpec, base: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  for (const role of ["draft", "target", "prm", "router"] as const) {
    const ref = spec.models[role];
    if (ref === undefined) continue;
    if (typeof ref !== "string" && !("path" in ref)) {
      // A model served over HTTP: only its tokenizer is a local path.
      const tok = (ref as { tokenizer?: unknown }).tokenizer;
      if (typeof tok === "string" && !existsSync(abs(tok))) issues.push({ path: `models.${role}.tokenizer`, message: `nothing at ${abs(tok)}` });
      continue;
    }
    const p = abs(typeof ref === "string" ? ref : ref.path);
    if (!existsSync(p)) issues.push({ path: `models.${role}`, message: `no model folder at ${p}` });
    else if (!statSync(p).isDirectory() && !(role === "router" && p.toLowerCase().endsWith(".json"))) {
      issues.push({ path: `models.${role}`, message: `${p} is a file; expected a model folder${role === "router" ? " or a light router .json" : ""}` });
    }
  }
  const ds = abs(spec.dataset.path);
  if (!existsSync(ds)) issues.push({ path: "dataset.path", message: `no file at ${ds}` });
  else if (statSync(ds).isDirectory()) issues.push({ path: "dataset.path", message: `${ds} is a folder; expected a dataset file` });
  return issues;
}

/** Checks a spec; never throws for a bad spec (the issues say what is wrong). */
export function checkSpec(value: unknown, base: string): SpecCheck {
  const parsed = SweepSpecSchema.safeParse(value);
  if (!parsed.success) return { issues: zodIssues(parsed.error), spec: null, resolved: null, configurations: [] };
  let spec: SweepSpec;
  try {
    spec = parseSweepSpec(value);
  } catch (err) {
    return { issues: issuesFromMessage((err as Error).message), spec: null, resolved: null, configurations: [] };
  }
  const issues = pathIssues(spec, base);
  const resolved = resolveSweepSpec(spec, base);
  return { issues, spec, resolved, configurations: issues.length === 0 ? resolved.configurations : [] };
}

/** The resolved spec, or a "bad-spec" error whose details.issues lists each field. */
export function requireSpec(value: unknown, base: string): { spec: SweepSpec; resolved: ResolvedSpec } {
  const check = checkSpec(value, base);
  if (check.issues.length > 0 || !check.spec || !check.resolved) {
    const lines = check.issues.map((i) => `  - ${i.path || "spec"}: ${i.message}`);
    throw new WorkbenchError("bad-spec", `the sweep spec is invalid:\n${lines.join("\n")}`, { issues: check.issues });
  }
  return { spec: check.spec, resolved: check.resolved };
}

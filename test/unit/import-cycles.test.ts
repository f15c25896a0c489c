/**
 * No module of main/ or shared/ reaches itself through its imports. A circle makes the evaluation
 * order of its modules depend on which one is imported first (a class used before it is defined,
 * an undefined re-export), and it usually means two modules share one job. Type-only imports count
 * too: they are circles in the design even where they vanish at run time.
 *
 * Imports are read with TypeScript's own pre-processor (comments and strings are not imports);
 * lazy `import("…")` counts as well, so a circle cannot hide behind one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ROOTS = ["main", "shared"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Imports and re-exports of a module (type-only and lazy ones included), as written. */
function moduleImports(text: string): string[] {
  const info = ts.preProcessFile(text, true, false);
  return info.importedFiles.map((f) => f.fileName);
}

/** The file a relative specifier names ("./x.ts", "./x" → x.ts / x.tsx / x/index.ts), or null. */
function resolveRelative(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every circle of the import graph, each as the list of files around it (shortest found per start). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("|");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function importGraph(): Map<string, string[]> {
  const files = ROOTS.flatMap((r) => sourceFiles(join(ROOT, r)));
  const inScope = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = moduleImports(readFileSync(file, "utf8"))
      .map((spec) => resolveRelative(file, spec))
      .filter((t): t is string => t !== null && inScope.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

describe("import cycles among main/ and shared/", () => {
  it("reads static, re-exported, type-only and lazy imports, not ones in comments or strings", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type { B } from "./b.ts";',
      "import {",
      "  c,",
      '} from "./c.ts";',
      'export { d } from "./d.ts";',
      'export type * from "./e.ts";',
      'import "./side-effect.ts";',
      '// import { z } from "./commented.ts";',
      'const s = "import { q } from \\"./in-a-string.ts\\"";',
      'const lazy = await import("./lazy.ts");',
    ].join("\n");
    expect(moduleImports(text).sort()).toEqual(["./a.ts", "./b.ts", "./c.ts", "./d.ts", "./e.ts", "./lazy.ts", "./side-effect.ts"]);
  });

  it("finds a circle of two, a longer one, and none in a tree", () => {
    const two = new Map([
      ["a", ["b"]],
      ["b", ["a"]],
    ]);
    expect(findCycles(two)).toEqual([["a", "b", "a"]]);
    const three = new Map([
      ["x", ["y"]],
      ["y", ["z"]],
      ["z", ["x", "w"]],
      ["w", []],
    ]);
    expect(findCycles(three)).toEqual([["x", "y", "z", "x"]]);
    const tree = new Map([
      ["r", ["s", "t"]],
      ["s", ["t"]],
      ["t", []],
    ]);
    expect(findCycles(tree)).toEqual([]);
  });

  it("has none", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100); // the walker found the code base
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(" → "));
    expect(cycles).toEqual([]);
  });
});

/**
 * The `strict` grader's equivalence: what a careful human accepts.
 * - brackets matter: (1,2] is not [1,2); a tuple is ordered; a set or a bare list of solutions is not;
 * - pi, e and i are the constants; exact answers are compared exactly (0.3333 is not 1/3,
 *   12345 is not 12346); other expressions agree as functions to 1e-9 at several points;
 * - equations are equal when one is a non-zero multiple of the other; inequalities keep direction;
 * - no percentage rescaling: 50 and 0.5 differ.
 */
import { Budget, DEFAULT_BUDGET_MS } from "./budget.ts";
import { type Cx, cx } from "./complex.ts";
import { type Node, closeComplex, evaluate, finite, freeSymbols, hasError, parseLatex, sameFunction, warmUp } from "./latex-value.ts";
import { namedValue, strictNormalize, wrapsWhole } from "./strict-normalize.ts";

type Interval = { lo: string; hi: string; loClosed: boolean; hiClosed: boolean };
type Reading =
  | { kind: "letter"; letter: string }
  | { kind: "matrix"; rows: string[][] }
  | { kind: "intervals"; parts: Interval[] }
  | { kind: "set"; items: string[] }
  | { kind: "tuple"; items: string[] }
  | { kind: "relation"; op: string; lhs: Node; rhs: Node }
  | { kind: "scalar"; node: Node; text: string }
  | { kind: "text"; text: string };

/** Split on a separator at bracket depth 0 (depth counts (), [], {}, \{ \}). */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0 && s.startsWith(sep, k)) {
      out.push(s.slice(start, k));
      start = k + sep.length;
      k += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

function readInterval(s: string): Interval | null {
  const m = /^([([])(.*)([)\]])$/s.exec(s.trim());
  if (!m) return null;
  const inner = splitTop(m[2]!, ",");
  if (inner.length !== 2) return null;
  return { lo: inner[0]!, hi: inner[1]!, loClosed: m[1] === "[", hiClosed: m[3] === "]" };
}

const REL_OPS: [string, string][] = [
  ["\\le", "le"], ["\\ge", "ge"], ["\\ne", "ne"], ["<", "lt"], [">", "gt"], ["=", "eq"],
];

function read(sIn: string): Reading {
  let s = sIn.trim();
  const letter = /^\(?([A-E])\)?$/.exec(s);
  if (letter) return { kind: "letter", letter: letter[1]! };
  // a word or phrase ("Evelyn", "even", "no solution"), not a product of variables
  if (/^[A-Za-z][A-Za-z' -]*[A-Za-z]$/.test(s) && /[A-Za-z]{3,}/.test(s)) return { kind: "text", text: s };
  if (s === "\\mathbb{R}" || s === "\\mathbb R") s = "(-\\infty,\\infty)";

  if (s.startsWith("\\begin{pmatrix}") && s.endsWith("\\end{pmatrix}")) {
    const body = s.slice("\\begin{pmatrix}".length, -"\\end{pmatrix}".length);
    const rows = body
      .split("\\\\")
      .map((r) => r.trim())
      .filter((r) => r !== "")
      .map((r) => r.split("&").map((c) => c.trim()));
    return { kind: "matrix", rows };
  }

  const unionParts = splitTop(s.replace(/\\cup/g, "∪"), "∪");
  const intervals = unionParts.map(readInterval);
  if (intervals.every((iv) => iv !== null)) {
    const parts = intervals as Interval[];
    const isTuple = parts.length === 1 && !parts[0]!.loClosed && !parts[0]!.hiClosed;
    if (!isTuple) return { kind: "intervals", parts };
  }

  if (s.startsWith("\\{") && s.endsWith("\\}")) {
    const body = s.slice(2, -2).trim();
    return { kind: "set", items: body === "" ? [] : splitTop(body, ",") };
  }
  if (s.startsWith("{") && s.endsWith("}") && wrapsWhole(s) && splitTop(s.slice(1, -1), ",").length > 1) {
    return { kind: "set", items: splitTop(s.slice(1, -1), ",") };
  }
  if (s.startsWith("(") && s.endsWith(")") && wrapsWhole(s) && splitTop(s.slice(1, -1), ",").length > 1) {
    return { kind: "tuple", items: splitTop(s.slice(1, -1), ",") };
  }
  const angle = /^\\langle(.*)\\rangle$/s.exec(s);
  if (angle) return { kind: "tuple", items: splitTop(angle[1]!, ",") };

  const listed = splitTop(s.replace(/\s+(?:and|or)\s+/g, ","), ",");
  if (listed.length > 1) return { kind: "set", items: listed.filter((x) => x !== "") };

  for (const [tok, op] of REL_OPS) {
    const parts = splitTop(s, tok);
    if (parts.length === 2 && (tok !== "=" || !/[<>]|\\le|\\ge/.test(s))) {
      const lhs = parseScalar(parts[0]!);
      const rhs = parseScalar(parts[1]!);
      if (lhs !== null && rhs !== null) return orient(op, lhs, rhs);
      break;
    }
  }

  const node = parseScalar(s);
  if (node !== null) return { kind: "scalar", node, text: s };
  return { kind: "text", text: s };
}

function orient(op: string, lhs: Node, rhs: Node): Reading {
  if (op === "gt") return { kind: "relation", op: "lt", lhs: rhs, rhs: lhs };
  if (op === "ge") return { kind: "relation", op: "le", lhs: rhs, rhs: lhs };
  return { kind: "relation", op, lhs, rhs };
}

function parseScalar(s: string): Node | null {
  if (s.trim() === "") return null;
  const node = parseLatex(s.trim());
  if (node === null || hasError(node, "exact")) return null;
  if (typeof node === "string" && node.startsWith("'")) return null;
  const head = Array.isArray(node) ? node[0] : null;
  if (head === "List" || head === "Set" || head === "Matrix" || head === "Sequence" || head === "Tuple") return null;
  if (JSON.stringify(node).includes('"Sequence"')) return null;
  return node;
}

// -- exact numbers -------------------------------------------------------------------------------

type Rational = { n: bigint; d: bigint };
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

function decimalRational(t: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  let n = BigInt((m[2] || "0") + frac);
  if (m[1] === "-") n = -n;
  return reduce({ n, d: 10n ** BigInt(frac.length) });
}
function reduce(r: Rational): Rational {
  if (r.d === 0n) return r;
  const g = gcd(r.n, r.d) || 1n;
  const sign = r.d < 0n ? -1n : 1n;
  return { n: (sign * r.n) / g, d: (sign * r.d) / g };
}

/** A plain number literal as an exact rational: 12, -0.25, \frac{3}{4}, -\frac34, 3/4. */
export function exactRational(s: string): Rational | null {
  const t = s.replace(/\s+/g, "");
  const dec = decimalRational(t);
  if (dec) return dec;
  const frac = /^([+-]?)\\frac\{([+-]?\d+(?:\.\d+)?)\}\{([+-]?\d+(?:\.\d+)?)\}$/.exec(t) ?? /^([+-]?)([+-]?\d+(?:\.\d+)?)\/([+-]?\d+(?:\.\d+)?)$/.exec(t);
  if (!frac) return null;
  const a = decimalRational(frac[2]!);
  const b = decimalRational(frac[3]!);
  if (!a || !b || b.n === 0n) return null;
  const r = reduce({ n: a.n * b.d, d: a.d * b.n });
  return frac[1] === "-" ? { n: -r.n, d: r.d } : r;
}

// -- comparisons ---------------------------------------------------------------------------------

const SAMPLES = [0.61803, 1.41421, -0.70711, 2.71828, -1.73205, 0.36788];

/** a / b is a constant (positive when `positive`) as a function of the free symbols. */
function proportional(a: Node, b: Node, positive: boolean): boolean {
  const names = [...new Set([...freeSymbols(a, "exact"), ...freeSymbols(b, "exact")])].sort();
  let ratio: Cx | null = null;
  let seen = 0;
  for (let r = 0; r < SAMPLES.length; r++) {
    const env = new Map<string, Cx>();
    names.forEach((n, k) => env.set(n, cx(SAMPLES[(r + k) % SAMPLES.length]! * (1 + 0.13 * k))));
    const va = evaluate(a, "exact", env);
    const vb = evaluate(b, "exact", env);
    if (va === null || vb === null) return false;
    if (!finite(va) || !finite(vb)) continue;
    const aZero = va.abs() < 1e-12;
    const bZero = vb.abs() < 1e-12;
    if (aZero || bZero) {
      if (aZero !== bZero) return false;
      continue;
    }
    const q = va.div(vb);
    if (ratio === null) ratio = q;
    else if (!closeComplex(q, ratio, 1e-9)) return false;
    seen++;
  }
  if (ratio === null || seen === 0) return false;
  return !positive || (Math.abs(ratio.im) < 1e-12 && ratio.re > 0);
}

function scalarsEqual(a: Reading & { kind: "scalar" }, b: Reading & { kind: "scalar" }): boolean {
  const ra = exactRational(a.text);
  const rb = exactRational(b.text);
  if (ra && rb) return ra.n === rb.n && ra.d === rb.d;
  if (freeSymbols(a.node, "exact").size === 0 && freeSymbols(b.node, "exact").size === 0) {
    // infinities: -\infty equals -\infty however it is written
    const va = evaluate(a.node, "exact", new Map());
    const vb = evaluate(b.node, "exact", new Map());
    const inf = (z: Cx) => !Number.isFinite(z.re) || !Number.isFinite(z.im);
    if (va && vb && inf(va) && inf(vb)) return va.im === 0 && vb.im === 0 && va.re === vb.re && !Number.isNaN(va.re);
  }
  return sameFunction(a.node, b.node, "exact", 1e-9) === true;
}

const textKey = (s: string) => s.toLowerCase().replace(/\\[a-z]+|[\s{}\\]/g, (m) => (m.startsWith("\\") && m.length > 1 ? m.slice(1) : ""));

function readingsEqual(A: Reading, B: Reading, budget: Budget): boolean {
  if (budget.exhausted) return false;
  if (A.kind !== B.kind) {
    // a one-element set/list is its element
    if (A.kind === "set" && A.items.length === 1) return strictEqualNormalized(A.items[0]!, show(B), budget);
    if (B.kind === "set" && B.items.length === 1) return strictEqualNormalized(show(A), B.items[0]!, budget);
    return false;
  }
  switch (A.kind) {
    case "letter":
      return A.letter === (B as typeof A).letter;
    case "text":
      return textKey(A.text) === textKey((B as typeof A).text);
    case "scalar":
      return scalarsEqual(A, B as typeof A);
    case "relation": {
      const b = B as typeof A;
      if (A.op !== b.op) return false;
      const da: Node = ["Subtract", A.lhs, A.rhs];
      const db: Node = ["Subtract", b.lhs, b.rhs];
      return proportional(da, db, A.op !== "eq" && A.op !== "ne");
    }
    case "tuple": {
      const b = B as typeof A;
      return A.items.length === b.items.length && A.items.every((x, k) => strictEqualNormalized(x, b.items[k]!, budget));
    }
    case "set": {
      const b = B as typeof A;
      return sameMultiset(A.items, b.items, budget);
    }
    case "intervals": {
      const b = B as typeof A;
      if (A.parts.length !== b.parts.length) return false;
      const key = (iv: Interval) => `${iv.loClosed}${iv.hiClosed}`;
      const used = new Set<number>();
      return A.parts.every((p) => {
        const k = b.parts.findIndex(
          (q, j) =>
            !used.has(j) &&
            key(p) === key(q) &&
            strictEqualNormalized(p.lo, q.lo, budget) &&
            strictEqualNormalized(p.hi, q.hi, budget),
        );
        if (k < 0) return false;
        used.add(k);
        return true;
      });
    }
    case "matrix": {
      const b = B as typeof A;
      return (
        A.rows.length === b.rows.length &&
        A.rows.every((row, i) => row.length === b.rows[i]!.length && row.every((c, j) => strictEqualNormalized(c, b.rows[i]![j]!, budget)))
      );
    }
  }
}

function show(r: Reading): string {
  switch (r.kind) {
    case "scalar":
    case "text":
      return r.text;
    case "letter":
      return r.letter;
    default:
      return "";
  }
}

function sameMultiset(a: string[], b: string[], budget: Budget): boolean {
  // sets: duplicates do not matter
  const uniq = (xs: string[]) => xs.filter((x, k) => xs.findIndex((y, j) => j < k && strictEqualNormalized(x, y, budget)) < 0);
  const ua = uniq(a);
  const ub = uniq(b);
  if (ua.length !== ub.length) return false;
  const used = new Set<number>();
  return ua.every((x) => {
    const k = ub.findIndex((y, j) => !used.has(j) && strictEqualNormalized(x, y, budget));
    if (k < 0) return false;
    used.add(k);
    return true;
  });
}

function strictEqualNormalized(a: string, b: string, budget: Budget): boolean {
  const x = strictNormalize(a);
  const y = strictNormalize(b);
  if (x === y) return true;
  if (readingsEqual(read(x), read(y), budget)) return true;
  // "x = 5" against "5": the value named; both named: the same name and value
  const nx = namedValue(x);
  const ny = namedValue(y);
  if (nx && ny) return nx[0] === ny[0] && strictEqualNormalized(nx[1], ny[1], budget);
  if (nx && !y.includes("=")) return strictEqualNormalized(nx[1], y, budget);
  if (ny && !x.includes("=")) return strictEqualNormalized(x, ny[1], budget);
  return false;
}

/** The strict grader's verdict on an extracted prediction and a ground-truth answer. */
export function mathEqualStrict(prediction: string, reference: string, budget?: Budget): boolean {
  if (prediction.trim() === "") return false;
  if (!budget) {
    warmUp();
    budget = new Budget(DEFAULT_BUDGET_MS);
  }
  return strictEqualNormalized(prediction, reference, budget);
}

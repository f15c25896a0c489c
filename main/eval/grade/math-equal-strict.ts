/**
 * The `strict` grader's equivalence: what a careful human accepts (docs/grading.md).
 * - brackets matter: (1,2] is not [1,2); a tuple is ordered; a set or a bare list of solutions is not;
 *   an inequality in one variable is the interval it describes; a column vector is its tuple;
 * - pi, e and i are the constants; numbers are compared exactly (BigInt rationals: 0.3333 is not 1/3,
 *   2^{64} is not 18446744073709551615); other expressions agree as functions to 1e-9 at several points;
 * - equations are equal when one is a non-zero multiple of the other; inequalities keep direction;
 * - a percentage p% equals p or p/100, degrees d° equal d or d*pi/180, c cents equal c or c/100
 *   (dollars); without a marker on either side there is no rescaling: 50 and 0.5 differ;
 * - \pm stands for the set of both signs; choice letters compare as letters (lower case too) and a
 *   multi-select as a set of letters; a numeral with a base subscript equals its digits.
 */
import { Budget, DEFAULT_BUDGET_MS } from "./budget.ts";
import { type Cx, cx } from "./complex.ts";
import { exactValue, sameRational } from "./exact-value.ts";
import { type Node, closeComplex, evaluate, finite, freeSymbols, sameFunction, warmUp } from "./latex-value.ts";
import { namedValue, strictNormalize } from "./strict-normalize.ts";
import { type Interval, type Reading, parseScalar, read } from "./strict-read.ts";

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

/** Scalars: exact rationals when both sides are exact numbers, else agreement as functions. */
function nodesEqual(a: Node, b: Node): boolean {
  const ea = exactValue(a);
  const eb = exactValue(b);
  if (ea && eb) return sameRational(ea, eb);
  if (freeSymbols(a, "exact").size === 0 && freeSymbols(b, "exact").size === 0) {
    // infinities: -\infty equals -\infty however it is written
    const va = evaluate(a, "exact", new Map());
    const vb = evaluate(b, "exact", new Map());
    const inf = (z: Cx) => !Number.isFinite(z.re) || !Number.isFinite(z.im);
    // only an answer that writes \infty is infinite: 10^{400} overflows a float but is a number
    if (va && vb && (inf(va) || inf(vb))) {
      if (!writesInfinity(a) || !writesInfinity(b)) return false;
      return inf(va) && inf(vb) && va.im === 0 && vb.im === 0 && va.re === vb.re && !Number.isNaN(va.re);
    }
    // an exact number against an inexact value (a decimal against pi): numerically, tightly
  }
  return sameFunction(a, b, "exact", 1e-9) === true;
}

const writesInfinity = (n: Node) => /Infinity/.test(JSON.stringify(n));

/** What a marker's unit is worth in the unmarked unit: p% = p/100, d° = d*pi/180 rad, c¢ = $c/100. */
const MARKER_SCALE: Record<string, Node> = {
  "%": ["Rational", 1, 100],
  "°": ["Divide", "Pi", 180],
  "¢": ["Rational", 1, 100],
};

/** A marked number against an unmarked answer: equal to the number itself or to its rescaled value. */
function scaledEqual(A: Reading & { kind: "scaled" }, other: string, budget: Budget): boolean {
  if (strictEqualNormalized(A.body, other, budget)) return true;
  const body = parseScalar(A.body);
  const o = read(other);
  if (body === null || o.kind !== "scalar") return false;
  return nodesEqual(["Multiply", body, MARKER_SCALE[A.marker]!], o.node);
}

const textKey = (s: string) => s.toLowerCase().replace(/\\[a-z]+|[\s{}\\]/g, (m) => (m.startsWith("\\") && m.length > 1 ? m.slice(1) : ""));

/** A one-column or one-row matrix as the tuple of its entries, else null. */
function vectorItems(A: Reading): string[] | null {
  if (A.kind === "tuple") return A.items;
  if (A.kind !== "matrix") return null;
  if (A.rows.every((r) => r.length === 1)) return A.rows.map((r) => r[0]!);
  if (A.rows.length === 1) return A.rows[0]!;
  return null;
}

/** An open interval (a, b) and the pair (a, b) are written alike; the other side's kind decides. */
function asIntervals(A: Reading): Interval[] | null {
  if (A.kind === "intervals") return A.parts;
  if (A.kind === "tuple" && A.items.length === 2) return [{ lo: A.items[0]!, hi: A.items[1]!, loClosed: false, hiClosed: false }];
  return null;
}

function differentKinds(A: Reading, B: Reading, budget: Budget): boolean {
  // a one-element set/list is its element
  if (A.kind === "set" && A.items.length === 1) return strictEqualNormalized(A.items[0]!, show(B), budget);
  if (B.kind === "set" && B.items.length === 1) return strictEqualNormalized(show(A), B.items[0]!, budget);
  if (A.kind === "scaled") return scaledEqual(A, show(B), budget);
  if (B.kind === "scaled") return scaledEqual(B, show(A), budget);
  // a numeral in a base against its digits written without the base
  if (A.kind === "based" || B.kind === "based") {
    const [based, other] = (A.kind === "based" ? [A, B] : [B, A]) as [Reading & { kind: "based" }, Reading];
    return other.kind === "scalar" && /^[0-9A-Za-z]+$/.test(other.text) && other.text.toUpperCase() === based.digits;
  }
  // a lower-case letter for a choice
  if (A.kind === "letter" || B.kind === "letter") {
    const [choice, other] = (A.kind === "letter" ? [A, B] : [B, A]) as [Reading & { kind: "letter" }, Reading];
    const lower = other.kind === "scalar" ? /^\(?([a-e])\)?$/.exec(other.text) : null;
    return lower !== null && lower[1]!.toUpperCase() === choice.letter;
  }
  const va = vectorItems(A);
  const vb = vectorItems(B);
  if (va && vb) return va.length === vb.length && va.every((x, k) => strictEqualNormalized(x, vb[k]!, budget));
  const ia = asIntervals(A);
  const ib = asIntervals(B);
  if (ia && ib && (A.kind === "intervals" || B.kind === "intervals")) return intervalsEqual(ia, ib, budget);
  return false;
}

function intervalsEqual(a: Interval[], b: Interval[], budget: Budget): boolean {
  if (a.length !== b.length) return false;
  const key = (iv: Interval) => `${iv.loClosed}${iv.hiClosed}`;
  const used = new Set<number>();
  return a.every((p) => {
    const k = b.findIndex(
      (q, j) => !used.has(j) && key(p) === key(q) && strictEqualNormalized(p.lo, q.lo, budget) && strictEqualNormalized(p.hi, q.hi, budget),
    );
    if (k < 0) return false;
    used.add(k);
    return true;
  });
}

function readingsEqual(A: Reading, B: Reading, budget: Budget): boolean {
  if (budget.exhausted) return false;
  if (A.kind !== B.kind) return differentKinds(A, B, budget);
  switch (A.kind) {
    case "letter":
      return A.letter === (B as typeof A).letter;
    case "letters":
      return A.letters.join("") === (B as typeof A).letters.join("");
    case "text":
      return textKey(A.text) === textKey((B as typeof A).text);
    case "scalar":
      return nodesEqual(A.node, (B as typeof A).node);
    case "scaled": {
      const b = B as typeof A;
      return A.marker === b.marker && strictEqualNormalized(A.body, b.body, budget);
    }
    case "based": {
      const b = B as typeof A;
      return A.base === b.base && A.digits === b.digits;
    }
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
    case "set":
      return sameMultiset(A.items, (B as typeof A).items, budget);
    case "intervals":
      return intervalsEqual(A.parts, (B as typeof A).parts, budget);
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
    case "scaled":
      return `${r.body}${r.marker}`;
    case "based":
      return `${r.digits}_${r.base}`;
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
  if (budget.exhausted) return false;
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

/**
 * Exact rational arithmetic over compute-engine's MathJSON, with BigInt: the strict grader's way to
 * compare numbers that floating point cannot tell apart (2^{64} and 18446744073709551615, 20! and
 * 2432902008176640001, 0.\overline{3} and 1/3). Only integer and rational operations are exact;
 * anything else (a root that is not a perfect power, pi, a symbol) gives null, and the caller falls
 * back to numeric comparison. Sizes are bounded up front so that 2^{2^{100}} gives null at once.
 */
import type { Node } from "./latex-value.ts";

export interface Rational {
  n: bigint;
  d: bigint;
}

/** Largest result we build, in bits (about 6000 decimal digits). */
const MAX_BITS = 20000;
const MAX_FACTORIAL = 1000;

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

export function rational(n: bigint, d = 1n): Rational | null {
  if (d === 0n) return null;
  const g = gcd(n, d) || 1n;
  const sign = d < 0n ? -1n : 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

const bits = (x: bigint) => (x < 0n ? -x : x).toString(2).length;

/** A decimal literal (optionally with a repeating tail in parentheses, "0.1(6)") as a rational. */
export function decimalToRational(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:\((\d+)\))?$/.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const sign = m[1] === "-" ? -1n : 1n;
  const int = m[2] || "0";
  const frac = m[3] ?? "";
  const rep = m[4];
  const base = BigInt(int + frac);
  const scale = 10n ** BigInt(frac.length);
  if (rep === undefined) return rational(sign * base, scale);
  // x = int.frac(rep)... = (int.frac rep - int.frac) / (scale * (10^len - 1))
  const withRep = BigInt(int + frac + rep);
  const repScale = 10n ** BigInt(rep.length);
  return rational(sign * (withRep - base), scale * (repScale - 1n));
}

function numberLeaf(n: Node): Rational | null {
  if (typeof n === "number") {
    if (!Number.isFinite(n)) return null;
    if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return rational(BigInt(n));
    const s = String(n);
    return /e/i.test(s) ? null : decimalToRational(s);
  }
  if (n && typeof n === "object" && !Array.isArray(n) && "num" in n) {
    const raw = String((n as { num: unknown }).num);
    if (/e/i.test(raw)) {
      const m = /^([+-]?[\d.]+)e([+-]?\d+)$/i.exec(raw);
      if (!m || Math.abs(Number(m[2])) > 4000) return null;
      const mant = decimalToRational(m[1]!);
      const e = BigInt(m[2]!);
      if (!mant) return null;
      return e >= 0n ? rational(mant.n * 10n ** e, mant.d) : rational(mant.n, mant.d * 10n ** -e);
    }
    return decimalToRational(raw);
  }
  return null;
}

const add = (a: Rational, b: Rational) => rational(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a: Rational, b: Rational) => rational(a.n * b.n, a.d * b.d);
const neg = (a: Rational): Rational => ({ n: -a.n, d: a.d });

function intRoot(x: bigint, k: number): bigint | null {
  if (x < 0n) {
    if (k % 2 === 0) return null;
    const r = intRoot(-x, k);
    return r === null ? null : -r;
  }
  let r = BigInt(Math.round(Number(x) ** (1 / k)));
  for (const c of [r - 1n, r, r + 1n]) if (c >= 0n && c ** BigInt(k) === x) return c;
  if (bits(x) < 50) return null;
  // large: Newton on BigInt
  r = 1n << BigInt(Math.ceil(bits(x) / k));
  for (let it = 0; it < 200; it++) {
    const next = ((BigInt(k) - 1n) * r + x / r ** (BigInt(k) - 1n)) / BigInt(k);
    if (next >= r) break;
    r = next;
  }
  return r ** BigInt(k) === x ? r : null;
}

function power(b: Rational, e: Rational): Rational | null {
  if (e.d === 1n) {
    const k = e.n < 0n ? -e.n : e.n;
    if (k > 100000n || (bits(b.n) + bits(b.d)) * Number(k) > MAX_BITS) return null;
    const p = { n: b.n ** k, d: b.d ** k };
    if (e.n >= 0n) return rational(p.n, p.d);
    return p.n === 0n ? null : rational(p.d, p.n);
  }
  // a rational power: exact only for perfect roots (8^{1/3}, (4/9)^{1/2})
  if (e.d > 64n) return null;
  const k = Number(e.d);
  const rn = intRoot(b.n, k);
  const rd = intRoot(b.d, k);
  if (rn === null || rd === null) return null;
  return power({ n: rn, d: rd }, { n: e.n, d: 1n });
}

/** The exact value of an expression made of numbers and + - * / ^ ! and perfect roots, or null. */
export function exactValue(node: Node, depth = 0): Rational | null {
  if (depth > 120) return null;
  const leaf = numberLeaf(node);
  if (leaf !== null) return leaf;
  if (!Array.isArray(node) || typeof node[0] !== "string") return null;
  const head = node[0];
  const args = node.slice(1);
  const all = (): Rational[] | null => {
    const out: Rational[] = [];
    for (const a of args) {
      const v = exactValue(a, depth + 1);
      if (v === null) return null;
      out.push(v);
    }
    return out;
  };
  switch (head) {
    case "Add": {
      const v = all();
      if (!v) return null;
      let acc: Rational | null = { n: 0n, d: 1n };
      for (const x of v) acc = acc && add(acc, x);
      return acc;
    }
    case "Subtract": {
      const v = all();
      if (!v || v.length === 0) return null;
      let acc: Rational | null = v[0]!;
      for (const x of v.slice(1)) acc = acc && add(acc, neg(x));
      return acc;
    }
    case "Negate": {
      const v = all();
      return v && v.length === 1 ? neg(v[0]!) : null;
    }
    case "Multiply":
    case "InvisibleOperator": {
      const v = all();
      if (!v) return null;
      let acc: Rational | null = { n: 1n, d: 1n };
      for (const x of v) {
        acc = acc && mul(acc, x);
        if (acc && bits(acc.n) + bits(acc.d) > MAX_BITS) return null;
      }
      return acc;
    }
    case "Divide":
    case "Rational": {
      const v = all();
      if (!v || v.length !== 2 || v[1]!.n === 0n) return null;
      return mul(v[0]!, { n: v[1]!.d, d: v[1]!.n });
    }
    case "Power": {
      const v = all();
      return v && v.length === 2 ? power(v[0]!, v[1]!) : null;
    }
    case "Sqrt": {
      const v = all();
      return v && v.length === 1 ? power(v[0]!, { n: 1n, d: 2n }) : null;
    }
    case "Root": {
      const v = all();
      return v && v.length === 2 && v[1]!.d === 1n && v[1]!.n > 0n ? power(v[0]!, { n: 1n, d: v[1]!.n }) : null;
    }
    case "Factorial": {
      const v = all();
      if (!v || v.length !== 1 || v[0]!.d !== 1n || v[0]!.n < 0n || v[0]!.n > BigInt(MAX_FACTORIAL)) return null;
      let f = 1n;
      for (let k = 2n; k <= v[0]!.n; k++) f *= k;
      return { n: f, d: 1n };
    }
    case "Delimiter": {
      const body = args[0];
      if (Array.isArray(body) && body[0] === "Sequence") return body.length === 2 ? exactValue(body[1], depth + 1) : null;
      return args.length >= 1 ? exactValue(body, depth + 1) : null;
    }
    case "Abs": {
      const v = all();
      return v && v.length === 1 ? { n: v[0]!.n < 0n ? -v[0]!.n : v[0]!.n, d: v[0]!.d } : null;
    }
    default:
      return null;
  }
}

export const sameRational = (a: Rational, b: Rational) => a.n === b.n && a.d === b.d;

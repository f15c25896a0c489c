/**
 * Reading answers as mathematics: @cortex-js/compute-engine parses the LaTeX (its raw, non-canonical
 * MathJSON, so nothing is simplified or expanded while parsing), and the expression tree is
 * evaluated numerically with mathjs's complex arithmetic. Symbolic equality is decided the way a
 * computer-algebra `equals` decides it in practice: by evaluating both sides at several points for
 * their free symbols. Evaluation is plain floating point, so a huge power or factorial becomes
 * Infinity at once instead of hanging; sizes are bounded before parsing.
 *
 * Two readings exist. `sympy` mimics what the toolkit's parsers (sympy's parse_latex) make of an
 * answer: pi, e and i are plain symbols, unknown commands are symbols, \log is the natural log.
 * `exact` is the careful one: pi, e and i are the constants, \log is base 10.
 */
import { ComputeEngine } from "@cortex-js/compute-engine";
import { combinations, gamma } from "mathjs";
import { type Cx, cx, isCx } from "./complex.ts";

export type Mode = "sympy" | "exact";
/** Raw MathJSON as compute-engine produces it. */
export type Node = unknown;

/** Longest answer we try to read as mathematics; longer ones are compared as text only. */
export const MAX_LATEX_LENGTH = 600;
const MAX_DEPTH = 60;

let engine: ComputeEngine | undefined;
function ce(): ComputeEngine {
  if (engine === undefined) {
    engine = new ComputeEngine();
    engine.parse("x^2+\\frac{1}{2}", { canonical: false }); // builds its LaTeX dictionaries
  }
  return engine;
}

/**
 * Starts compute-engine (its first parse builds dictionaries: a few hundred ms, once per process).
 * Called before a comparison's time budget starts, so that start-up never turns a verdict into "no".
 */
export function warmUp(): void {
  ce();
}

/** Bracket nesting of a string, or Infinity when it is unbalanced beyond repair. */
function nestingDepth(s: string): number {
  let depth = 0;
  let max = 0;
  for (const c of s) {
    if (c === "{" || c === "(" || c === "[") max = Math.max(max, ++depth);
    else if (c === "}" || c === ")" || c === "]") depth--;
  }
  return max;
}

/** compute-engine's raw MathJSON for `latex`, or null when it cannot be read within our bounds. */
export function parseLatex(latex: string): Node | null {
  if (latex.length === 0 || latex.length > MAX_LATEX_LENGTH || nestingDepth(latex) > MAX_DEPTH) return null;
  // prose is not mathematics, and compute-engine is slow on long runs of letters
  if ((latex.replace(/\\[A-Za-z]+/g, "").match(/[A-Za-z]/g)?.length ?? 0) > MAX_LETTERS) return null;
  const hit = cache.get(latex);
  if (hit !== undefined) return hit;
  let node: Node | null;
  try {
    // compute-engine reads "a_1+a_2" as a_{1+a_2}: a bare subscript is one character in LaTeX
    node = ce().parse(latex.replace(/_([A-Za-z0-9])/g, "_{$1}"), { canonical: false }).json as Node;
  } catch {
    node = null;
  }
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(latex, node);
  return node;
}

/** Letters (outside command names) beyond which a string is not read as mathematics. */
export const MAX_LETTERS = 24;
const CACHE_SIZE = 5000;
const cache = new Map<string, Node | null>();

function headOf(n: Node): string | null {
  return Array.isArray(n) && typeof n[0] === "string" ? n[0] : null;
}
function argsOf(n: Node): Node[] {
  return Array.isArray(n) ? n.slice(1) : [];
}
const unquote = (s: string) => s.replace(/^'|'$/g, "");

/** An Error node for an unknown command: the command's name ("binom"), else null. */
function unknownCommand(n: Node): string | null {
  if (headOf(n) !== "Error") return null;
  const [code, where] = argsOf(n);
  if (typeof code !== "string" || unquote(code) !== "unexpected-command") return null;
  if (headOf(where) !== "LatexString") return null;
  const text = argsOf(where)[0];
  return typeof text === "string" ? unquote(text).replace(/^\\/, "") : null;
}

/** True when the tree holds a parse error anywhere (unknown commands allowed in sympy mode). */
export function hasError(n: Node, mode: Mode): boolean {
  if (!Array.isArray(n)) return false;
  if (headOf(n) === "Error") {
    const cmd = unknownCommand(n);
    return !(cmd !== null && (mode === "sympy" || /^[dt]?binom$/.test(cmd)));
  }
  return n.some((c) => hasError(c, mode));
}

function numberValue(n: Node): number | null {
  if (typeof n === "number") return n;
  if (n && typeof n === "object" && !Array.isArray(n) && "num" in n) {
    const raw = String((n as { num: unknown }).num).replace(/\((\d+)\)$/, (_m, d: string) => d.repeat(20));
    const v = Number(raw);
    return Number.isNaN(v) && raw !== "NaN" ? null : v;
  }
  return null;
}

/** Names of the free symbols of an expression, as this reading sees them. */
export function freeSymbols(n: Node, mode: Mode, out: Set<string> = new Set()): Set<string> {
  const sym = symbolName(n, mode);
  if (sym !== null) {
    out.add(sym);
    return out;
  }
  if (Array.isArray(n)) {
    const head = headOf(n);
    if (head === "Error") {
      const cmd = unknownCommand(n);
      if (cmd !== null) out.add(`\\${cmd}`);
      return out;
    }
    if (head === "At" || head === "Subscript") {
      // x_1 is one symbol named "x_1"
      out.add(subscriptName(n));
      return out;
    }
    for (const c of head === null ? n : head === "SympyApply" ? n.slice(2) : n.slice(1)) freeSymbols(c, mode, out);
  }
  return out;
}

const CONSTANT_SYMBOLS: Record<string, "pi" | "e" | "i" | "inf" | "-inf"> = {
  Pi: "pi", ExponentialE: "e", e: "e", ImaginaryUnit: "i", i: "i",
  PositiveInfinity: "inf", NegativeInfinity: "-inf",
};

/** The name of a symbol leaf (constants count as symbols in sympy mode), else null. */
function symbolName(n: Node, mode: Mode): string | null {
  if (typeof n !== "string") return null;
  if (n.startsWith("'")) return null; // a text string
  const c = CONSTANT_SYMBOLS[n];
  if (c === "inf" || c === "-inf") return null;
  if (c !== undefined) return mode === "sympy" ? c : null;
  if (FUNCTION_NAMES.has(n)) return null;
  return n;
}

function subscriptName(n: Node): string {
  const [base, sub] = argsOf(n);
  return `${JSON.stringify(base)}_${JSON.stringify(sub)}`;
}

type Fn1 = (z: Cx) => Cx;
const UNARY: Record<string, Fn1> = {
  Sqrt: (z) => z.sqrt(),
  Exp: (z) => z.exp(),
  Ln: (z) => z.log(),
  Lb: (z) => z.log().div(Math.LN2),
  Lg: (z) => z.log().div(Math.LN10),
  Sin: (z) => z.sin(), Cos: (z) => z.cos(), Tan: (z) => z.tan(),
  Cot: (z) => z.cot(), Sec: (z) => z.sec(), Csc: (z) => z.csc(),
  Arcsin: (z) => z.asin(), Arccos: (z) => z.acos(), Arctan: (z) => z.atan(),
  Arccot: (z) => z.acot(), Arcsec: (z) => z.asec(), Arccsc: (z) => z.acsc(),
  Sinh: (z) => z.sinh(), Cosh: (z) => z.cosh(), Tanh: (z) => z.tanh(),
  Abs: (z) => cx(z.abs(), 0),
  Floor: (z) => z.floor(0), Ceil: (z) => z.ceil(0),
  Negate: (z) => z.neg(),
  OverBar: (z) => cx(z.re, -z.im),
  Square: (z) => z.mul(z),
  Factorial: (z) => realOnly(z, (x) => (x > 170 ? Infinity : Number.isInteger(x) && x < 0 ? NaN : gamma(x + 1))),
};
const INVERSES: Record<string, string> = { Sin: "Arcsin", Cos: "Arccos", Tan: "Arctan", Cot: "Arccot", Sec: "Arcsec", Csc: "Arccsc" };
const FUNCTION_NAMES = new Set([...Object.keys(UNARY), "Log", "Root", "Power", "Divide", "Max", "Min"]);

function realOnly(z: Cx, f: (x: number) => number): Cx {
  if (Math.abs(z.im) > 1e-12) return cx(NaN, 0);
  return cx(f(z.re), 0);
}

const NAN = cx(NaN, NaN);

/**
 * Numeric value of an expression with `env` giving values to its free symbols; null when the
 * expression is not a scalar this evaluator knows (a tuple, a set, text, an unknown function).
 */
export function evaluate(n: Node, mode: Mode, env: ReadonlyMap<string, Cx>, depth = 0): Cx | null {
  if (depth > MAX_DEPTH * 2) return null;
  const num = numberValue(n);
  if (num !== null) return cx(num, 0);
  if (typeof n === "string") {
    const c = CONSTANT_SYMBOLS[n];
    if (c === "inf") return cx(Infinity, 0);
    if (c === "-inf") return cx(-Infinity, 0);
    if (mode === "exact" && c === "pi") return cx(Math.PI, 0);
    if (mode === "exact" && c === "e") return cx(Math.E, 0);
    if (mode === "exact" && c === "i") return cx(0, 1);
    const name = symbolName(n, mode);
    if (name === null) return null;
    return env.get(name) ?? null;
  }
  const head = headOf(n);
  if (head === null) return null;
  const args = argsOf(n);
  const ev = (x: Node) => evaluate(x, mode, env, depth + 1);
  const all = (): Cx[] | null => {
    const out: Cx[] = [];
    for (const a of args) {
      const v = ev(a);
      if (v === null) return null;
      out.push(v);
    }
    return out;
  };
  switch (head) {
    case "Error": {
      const cmd = mode === "sympy" ? unknownCommand(n) : null;
      return cmd === null ? null : (env.get(`\\${cmd}`) ?? null);
    }
    case "Add": {
      const v = all();
      return v && v.reduce((acc, x) => acc.add(x), cx(0, 0));
    }
    case "Subtract": {
      const v = all();
      if (!v || v.length === 0) return null;
      return v.slice(1).reduce((acc, x) => acc.sub(x), v[0]!);
    }
    case "Multiply":
      return product(args, mode, env, depth);
    case "InvisibleOperator":
      return invisible(args, mode, env, depth);
    case "Divide":
    case "Rational": {
      const v = all();
      if (!v || v.length !== 2) return null;
      return v[1]!.isZero() ? NAN : v[0]!.div(v[1]!);
    }
    case "Power": {
      const v = all();
      if (!v || v.length !== 2) return null;
      return power(v[0]!, v[1]!);
    }
    case "Root": {
      const v = all();
      if (!v || v.length !== 2) return null;
      return power(v[0]!, cx(1, 0).div(v[1]!));
    }
    case "Log": {
      const v = all();
      if (!v || v.length === 0) return null;
      const base = v.length > 1 ? v[1]!.log() : cx(mode === "sympy" ? 1 : Math.LN10, 0);
      return v[0]!.log().div(base);
    }
    case "Delimiter": {
      if (args.length === 0) return null;
      const body = args[0];
      if (headOf(body) === "Sequence" && argsOf(body).length !== 1) return null;
      return ev(headOf(body) === "Sequence" ? argsOf(body)[0] : body);
    }
    case "Sequence":
      return args.length === 1 ? ev(args[0]) : null;
    case "Degrees": {
      const v = all();
      if (!v || v.length !== 1) return null;
      return mode === "exact" ? v[0]!.mul(Math.PI / 180) : v[0]!;
    }
    case "PlusMinus": {
      if (mode !== "sympy") return null;
      const pm = env.get("\\pm");
      const v = all();
      if (!v || !pm) return null;
      return v.length === 1 ? pm.mul(v[0]!) : v.length === 2 ? v[0]!.mul(pm).mul(v[1]!) : null;
    }
    case "Cx": {
      const v = all();
      return v && v.length === 2 ? v[0]!.add(v[1]!.mul(cx(0, 1))) : null;
    }
    case "Max":
    case "Min": {
      const v = all();
      if (!v || v.length === 0 || v.some((x) => Math.abs(x.im) > 1e-12)) return null;
      const re = v.map((x) => x.re);
      return cx(head === "Max" ? Math.max(...re) : Math.min(...re), 0);
    }
    case "At":
    case "Subscript": {
      return env.get(subscriptName(n)) ?? null;
    }
    case "SympyApply": {
      // f(x) as sympy's LaTeX parser reads it: an undefined function. Its value is a fixed,
      // nonlinear function of the name and the argument, so f(x+1) equals f(1+x) and nothing else.
      const [name, arg] = args;
      const v = arg === undefined ? null : ev(arg);
      if (v === null || typeof name !== "string") return null;
      let h = 7;
      for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 1009;
      return v.mul(0.37 + h / 997).add(h / 101).sin().mul(1.9).add(v.mul(v).mul(0.13));
    }
    case "Apply": {
      // \cos^{-1}(x): ["Apply", ["InverseFunction", "Cos"], x]
      const [fn, arg] = args;
      if (headOf(fn) === "InverseFunction") {
        const base = argsOf(fn)[0];
        const inv = typeof base === "string" ? INVERSES[base] : undefined;
        const v = arg === undefined ? null : ev(arg);
        return inv && v ? UNARY[inv]!(v) : null;
      }
      return null;
    }
    default: {
      const f = UNARY[head];
      if (f && args.length === 1) {
        const v = ev(args[0]);
        return v && f(v);
      }
      return null;
    }
  }
}

function power(b: Cx, e: Cx): Cx {
  if (b.isZero()) {
    if (e.re > 0) return cx(0, 0);
    return e.isZero() ? cx(1, 0) : NAN;
  }
  // integer powers of reals stay real (complex.js goes through exp/log)
  if (e.im === 0 && Number.isInteger(e.re) && b.im === 0) return cx(b.re ** e.re, 0);
  return b.pow(e);
}

function product(args: Node[], mode: Mode, env: ReadonlyMap<string, Cx>, depth: number): Cx | null {
  let acc = cx(1, 0);
  for (const a of args) {
    const v = evaluate(a, mode, env, depth + 1);
    if (v === null) return null;
    acc = acc.mul(v);
  }
  return acc;
}

/** Juxtaposition: a product, except `\exp(2)`, `\binom{5}{2}` and similar applications. */
function invisible(args: Node[], mode: Mode, env: ReadonlyMap<string, Cx>, depth: number): Cx | null {
  const items: Node[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const next = args[k + 1];
    if (typeof a === "string" && UNARY[a] && next !== undefined) {
      items.push([a, next]);
      k++;
      continue;
    }
    const cmd = unknownCommand(a);
    if (cmd !== null && /^[dt]?binom$/.test(cmd) && k + 2 < args.length) {
      const nv = evaluate(args[k + 1], mode, env, depth + 1);
      const kv = evaluate(args[k + 2], mode, env, depth + 1);
      if (!nv || !kv) return null;
      items.push(binomial(nv, kv));
      k += 2;
      continue;
    }
    items.push(a);
  }
  let acc = cx(1, 0);
  for (const it of items) {
    const v = isCx(it) ? it : evaluate(it, mode, env, depth + 1);
    if (v === null) return null;
    acc = acc.mul(v);
  }
  return acc;
}

function binomial(n: Cx, k: Cx): Cx {
  if (n.im !== 0 || k.im !== 0) return NAN;
  if (Number.isInteger(n.re) && Number.isInteger(k.re) && n.re >= k.re && k.re >= 0 && n.re < 1000) {
    return cx(combinations(n.re, k.re), 0);
  }
  return cx(gamma(n.re + 1) / (gamma(k.re + 1) * gamma(n.re - k.re + 1)), 0);
}

/** Points at which free symbols are sampled: irregular, both signs, away from 0 and 1. */
const SAMPLES = [0.5772156649, 1.3247179572, -0.8109302162, 2.2360679775, -1.7320508076, 0.3183098862, 1.6180339887];

export function finite(z: Cx | null): z is Cx {
  return z !== null && Number.isFinite(z.re) && Number.isFinite(z.im);
}

/** |a - b| <= rel * max(|a|, |b|) (+ a tiny absolute slack for values that should be 0). */
export function closeComplex(a: Cx, b: Cx, rel: number, abs = 0): boolean {
  const d = a.sub(b).abs();
  return d <= Math.max(rel * Math.max(a.abs(), b.abs()), abs);
}

/**
 * Whether two expressions agree as functions of their free symbols (numerically, at several
 * points, to `rel`). null when neither can be evaluated anywhere. Expressions without symbols are
 * compared once.
 */
export function sameFunction(a: Node, b: Node, mode: Mode, rel = 1e-9, map?: (z: Cx) => Cx): boolean | null {
  const names = [...new Set([...freeSymbols(a, mode), ...freeSymbols(b, mode)])].sort();
  const rounds = names.length === 0 ? 1 : 6;
  let compared = 0;
  for (let r = 0; r < rounds; r++) {
    const env = new Map<string, Cx>();
    names.forEach((name, k) => env.set(name, cx(SAMPLES[(r + 2 * k) % SAMPLES.length]! * (1 + 0.1 * k), 0)));
    let va = evaluate(a, mode, env);
    let vb = evaluate(b, mode, env);
    if (va === null || vb === null) return null;
    if (map) {
      va = map(va);
      vb = map(vb);
    }
    if (!finite(va) || !finite(vb)) continue;
    compared++;
    if (!closeComplex(va, vb, rel, 1e-12)) return false;
  }
  return compared > 0 ? true : null;
}

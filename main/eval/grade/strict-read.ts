/**
 * How the strict grader reads a normalised answer: as a choice letter (or a set of them), a matrix,
 * a union of intervals (inequalities in one variable included), a set, a tuple, a relation, a
 * number with a scale marker (%, °, ¢), a numeral in a base, a scalar expression or plain text.
 * Reading decides what kind of object the answer is; math-equal-strict compares objects.
 */
import { type Node, freeSymbols, hasError, parseLatex } from "./latex-value.ts";
import { wrapsWhole } from "./strict-normalize.ts";

export type Interval = { lo: string; hi: string; loClosed: boolean; hiClosed: boolean };
export type Reading =
  | { kind: "letter"; letter: string }
  | { kind: "letters"; letters: string[] }
  | { kind: "matrix"; rows: string[][] }
  | { kind: "intervals"; parts: Interval[] }
  | { kind: "set"; items: string[] }
  | { kind: "tuple"; items: string[] }
  | { kind: "relation"; op: string; lhs: Node; rhs: Node }
  | { kind: "scaled"; marker: string; body: string }
  | { kind: "based"; digits: string; base: string }
  | { kind: "scalar"; node: Node; text: string }
  | { kind: "text"; text: string };

/** Split on a separator at bracket depth 0 (depth counts (), [], {}). */
export function splitTop(s: string, sep: string | RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0) {
      let len = 0;
      if (typeof sep === "string") len = s.startsWith(sep, k) ? sep.length : 0;
      else {
        const m = new RegExp(`^(?:${sep.source})`).exec(s.slice(k));
        len = m ? m[0].length : 0;
      }
      if (len > 0) {
        out.push(s.slice(start, k));
        start = k + len;
        k += len - 1;
      }
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
const INEQ = /\\le(?![a-z])|\\ge(?![a-z])|<|>/;

export function parseScalar(s: string): Node | null {
  if (s.trim() === "") return null;
  const node = parseLatex(s.trim());
  if (node === null || hasError(node, "exact")) return null;
  if (typeof node === "string" && node.startsWith("'")) return null;
  const head = Array.isArray(node) ? node[0] : null;
  if (head === "List" || head === "Set" || head === "Matrix" || head === "Sequence" || head === "Tuple") return null;
  if (JSON.stringify(node).includes('"Sequence"')) return null;
  return node;
}

const isVariable = (s: string) => /^[a-zA-Z]$/.test(s.trim());
const constant = (s: string) => {
  const n = parseScalar(s);
  return n !== null && freeSymbols(n, "exact").size === 0;
};

/**
 * An inequality in one variable as the interval it describes: x<3 is (-inf, 3), 3 \ge x is
 * (-inf, 3], -2 \le x < 5 is [-2, 5). null when it is not of that shape.
 */
function inequalityInterval(s: string): { variable: string; interval: Interval } | null {
  const parts: string[] = [];
  const ops: string[] = [];
  let rest = s;
  for (let guard = 0; guard < 4; guard++) {
    const m = INEQ.exec(rest);
    if (!m) break;
    parts.push(rest.slice(0, m.index).trim());
    ops.push(m[0]);
    rest = rest.slice(m.index + m[0].length);
  }
  parts.push(rest.trim());
  const lessish = (op: string) => op === "<" || op === "\\le";
  const closed = (op: string) => op === "\\le" || op === "\\ge";
  if (ops.length === 1) {
    const [a, b] = parts as [string, string];
    const op = ops[0]!;
    let variable: string;
    let bound: string;
    let upper: boolean; // the variable is below the bound
    if (isVariable(a) && constant(b)) [variable, bound, upper] = [a.trim(), b, lessish(op)];
    else if (isVariable(b) && constant(a)) [variable, bound, upper] = [b.trim(), a, !lessish(op)];
    else return null;
    const interval = upper
      ? { lo: "-\\infty", hi: bound, loClosed: false, hiClosed: closed(op) }
      : { lo: bound, hi: "\\infty", loClosed: closed(op), hiClosed: false };
    return { variable, interval };
  }
  if (ops.length === 2) {
    const [a, x, b] = parts as [string, string, string];
    if (!isVariable(x) || !constant(a) || !constant(b)) return null;
    const [o1, o2] = ops as [string, string];
    if (lessish(o1) !== lessish(o2)) return null;
    const [lo, hi, loOp, hiOp] = lessish(o1) ? [a, b, o1, o2] : [b, a, o2, o1];
    return { variable: x.trim(), interval: { lo, hi, loClosed: closed(loOp), hiClosed: closed(hiOp) } };
  }
  return null;
}

/**
 * Conditions on one variable that are unions of intervals without being a chain of < and \le:
 * x \ne c is (-inf, c) U (c, inf); |x - a| < c is (a-c, a+c) (\le closed); |x - a| > c is
 * (-inf, a-c) U (a+c, inf) (\ge closed). The bounds must be constants. null otherwise.
 */
function conditionIntervals(s: string): Interval[] | null {
  const ne = /^([a-zA-Z])\s*\\ne\s*(.+)$/s.exec(s) ?? /^(.+?)\s*\\ne\s*([a-zA-Z])$/s.exec(s);
  if (ne) {
    const [v, c] = isVariable(ne[1]!) ? [ne[1]!, ne[2]!] : [ne[2]!, ne[1]!];
    if (!isVariable(v) || !constant(c)) return null;
    return [
      { lo: "-\\infty", hi: c, loClosed: false, hiClosed: false },
      { lo: c, hi: "\\infty", loClosed: false, hiClosed: false },
    ];
  }
  const abs = /^\|\s*([a-zA-Z])\s*(?:([+-])\s*([^|]+?))?\s*\|\s*(<|>|\\le(?![a-z])|\\ge(?![a-z]))\s*(.+)$/s.exec(s);
  if (!abs) return null;
  const [, , sign, shift, op, c] = abs as unknown as [string, string, string | undefined, string | undefined, string, string];
  if (!constant(c) || (shift !== undefined && !constant(shift))) return null;
  // |x - a|: centre a; |x + a|: centre -a
  const centre = shift === undefined ? "0" : sign === "-" ? `(${shift})` : `-(${shift})`;
  const lo = `${centre}-(${c})`;
  const hi = `${centre}+(${c})`;
  const closed = op === "\\le" || op === "\\ge";
  if (op === "<" || op === "\\le") return [{ lo, hi, loClosed: closed, hiClosed: closed }];
  return [
    { lo: "-\\infty", hi: lo, loClosed: false, hiClosed: closed },
    { lo: hi, hi: "\\infty", loClosed: closed, hiClosed: false },
  ];
}

/** "x<-1 or x>2" as a union of intervals in one variable, else null. */
function inequalityUnion(s: string): Interval[] | null {
  const condition = conditionIntervals(s.trim());
  if (condition) return condition;
  if (!INEQ.test(s)) return null;
  const pieces = splitTop(s, /\s+or\s+|\s*\\cup\s*|\s*\\lor\s*|\s*,\s*/);
  const read = pieces.map(inequalityInterval);
  if (read.some((r) => r === null)) return null;
  const vars = new Set(read.map((r) => r!.variable));
  return vars.size === 1 ? read.map((r) => r!.interval) : null;
}

/** "x = 2, y = -1" (distinct single-letter names): the tuple of values, in alphabetical name order. */
function namedTuple(items: string[]): string[] | null {
  const named = items.map((x) => /^([a-zA-Z])\s*=\s*(.+)$/s.exec(x));
  if (items.length < 2 || named.some((m) => m === null || /[=<>]/.test(m[2]!))) return null;
  const names = named.map((m) => m![1]!);
  if (new Set(names).size !== names.length) return null;
  return named
    .map((m) => [m![1]!, m![2]!.trim()] as const)
    .sort((p, q) => (p[0] < q[0] ? -1 : 1))
    .map((p) => p[1]);
}

/** The two answers a \pm (\mp) expression stands for; null when it has none at top level. */
function plusMinus(s: string): [string, string] | null {
  if (!/\\pm(?![a-z])|\\mp(?![a-z])/.test(s) || splitTop(s, ",").length > 1) return null;
  const sign = (pm: string, mp: string) => s.replace(/\\pm(?![a-z])/g, pm).replace(/\\mp(?![a-z])/g, mp);
  return [sign("+", "-"), sign("-", "+")];
}

export function read(sIn: string): Reading {
  let s = sIn.trim();
  // a choice letter alone, or followed by the option's content: "(B) 12", "C: 12", "D. \sqrt{2}"
  const letter = /^\(?([A-E])\)?$/.exec(s) ?? /^\(([A-E])\)\s*\S.*$/s.exec(s) ?? /^\(?([A-E])\)?\s*[:.]\s+\S.*$/s.exec(s);
  if (letter) return { kind: "letter", letter: letter[1]! };
  // several choices: BD, B, D, B and D (distinct letters A-E)
  const compact = s.replace(/\s+/g, "");
  if (/^[A-E](?:(?:,|and|&)?[A-E])+$/.test(compact)) {
    const letters = compact.replace(/,|and|&/g, "");
    if (new Set(letters).size === letters.length) return { kind: "letters", letters: [...letters].sort() };
  }
  if (s === "DNE" || /^(?:yes|no|none|true|false)$/i.test(s)) return { kind: "text", text: s };
  // a word or phrase ("Evelyn", "even", "no solution"), not a product of variables
  if (/^[A-Za-z][A-Za-z' -]*[A-Za-z]$/.test(s) && /[A-Za-z]{3,}/.test(s) && !/\s(?:or|and)\s/.test(s)) return { kind: "text", text: s };

  const marker = /^(.+?)([%°¢])$/s.exec(s);
  if (marker && !/[%°¢]/.test(marker[1]!)) return { kind: "scaled", marker: marker[2]!, body: marker[1]!.trim() };

  const based = /^([0-9A-Za-z]+)_(\d+)$/.exec(s);
  if (based && /\d/.test(based[1]!)) return { kind: "based", digits: based[1]!.toUpperCase(), base: based[2]! };

  if (s.startsWith("\\begin{pmatrix}") && s.endsWith("\\end{pmatrix}")) {
    const body = s.slice("\\begin{pmatrix}".length, -"\\end{pmatrix}".length);
    const rows = body
      .split("\\\\")
      .map((r) => r.trim())
      .filter((r) => r !== "")
      .map((r) => r.split("&").map((c) => c.trim()));
    return { kind: "matrix", rows };
  }

  const pm = plusMinus(s.replace(/^[a-zA-Z]\s*=\s*/, ""));
  if (pm) return { kind: "set", items: pm };

  const unionParts = splitTop(s.replace(/\\cup/g, "∪"), "∪");
  const intervals = unionParts.map(readInterval);
  if (intervals.every((iv) => iv !== null)) {
    const parts = intervals as Interval[];
    const isTuple = parts.length === 1 && !parts[0]!.loClosed && !parts[0]!.hiClosed;
    if (!isTuple) return { kind: "intervals", parts };
  }
  const ineq = inequalityUnion(s);
  if (ineq) return { kind: "intervals", parts: ineq };

  // (x, y) = (2, -1): the values
  const tupleNamed = /^\(\s*[a-zA-Z](?:\s*,\s*[a-zA-Z])+\s*\)\s*=\s*(\(.+\))$/s.exec(s);
  if (tupleNamed) return read(tupleNamed[1]!);

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

  const listed = splitTop(s, /\s*,\s*|\s+and\s+|\s+or\s+|\s*;\s*/).filter((x) => x !== "");
  if (listed.length > 1) {
    const tuple = namedTuple(listed);
    if (tuple) return { kind: "tuple", items: tuple };
    return { kind: "set", items: listed };
  }

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

/**
 * The toolkit's `math_equal`, rule for rule and in its order, including the verdicts that are not
 * mathematically right (see the `strict` grader for the careful ones):
 * - numbers are close within rel 1e-4, and a number may match the reference, /100 or x100;
 * - a string that starts with ( or [ and has a ) or ] later is split on commas after dropping its
 *   first and last characters, so interval brackets never matter;
 * - sympy's LaTeX parser reads only up to the first top-level comma, so "\frac12, 3" equals "\frac12";
 * - pi, e and i are plain symbols; inequalities compare |lhs - rhs| only, so x<3 equals x>=3;
 * - `{a,b}` read as a Python set ignores order; matrices compare rounded to 3 decimals.
 */
import { type Cx, cx } from "./complex.ts";
import { type Rational, exactValue } from "./exact-value.ts";
import { Budget, DEFAULT_BUDGET_MS } from "./budget.ts";
import { QWEN_REL_TOL, isClose, isDigit, parseDigits } from "./numeric.ts";
import { pyLstripChars, pyRstripChars, pyStrip, pyStripChars, replaceAll } from "./py-compat.ts";
import {
  type Node,
  evaluate,
  finite,
  freeSymbols,
  hasError,
  parseLatex,
  sameFunction,
  warmUp,
} from "./latex-value.ts";

const LETTERS = ["A", "B", "C", "D", "E"];
const LETTER = /(?<![\p{L}\p{N}_])(A|B|C|D|E)(?![\p{L}\p{N}_])/gu;

/** grader.py's choice_answer_clean (simpler than parser.py's): the last standalone letter. */
export function graderChoiceClean(pred: string): string {
  let p = pyLstripChars(pyStripChars(pyRstripChars(pyRstripChars(pyStripChars(pred, "\n"), "."), "/"), " "), ":");
  const letters = [...p.toUpperCase().matchAll(LETTER)].map((m) => m[1]!);
  p = letters.length > 0 ? letters[letters.length - 1]! : pyStripChars(pyStrip(p), ".");
  return pyRstripChars(pyRstripChars(p, "."), "/");
}

/** str_to_pmatrix: "{1,2}" -> "\begin{pmatrix}1\2\end{pmatrix}" (a single backslash, as the toolkit). */
export function strToPmatrix(input: string): string {
  const found = [...pyStrip(input).matchAll(/\{[^\n]*,[^\n]*\}/g)].map((m) => m[0]);
  return found
    .map((m) => `\\begin{pmatrix}${replaceAll(pyStripChars(m, "{}"), ",", "\\")}\\end{pmatrix}`)
    .join(", ");
}

const PMATRIX_BEGIN = "\\begin{pmatrix}";
const PMATRIX_END = "\\end{pmatrix}";
const isMatrixText = (s: string) =>
  (s.startsWith("\\begin{pmatrix}") || s.startsWith("\\begin{bmatrix}")) &&
  (s.endsWith("\\end{pmatrix}") || s.endsWith("\\end{bmatrix}"));

function matrixRows(s: string): string[] {
  return s
    .slice(PMATRIX_BEGIN.length, s.length - PMATRIX_END.length)
    .split("\\\\")
    .map((l) => pyStrip(l))
    .filter((l) => l !== "");
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

export interface MathEqualOptions {
  includePercentage?: boolean;
  isClose?: boolean;
  budget?: Budget;
}

/** The toolkit's math_equal(prediction, reference). */
export function mathEqualQwen(prediction: string, reference: string, opts: MathEqualOptions = {}): boolean {
  if (pyStrip(prediction).toLowerCase() === pyStrip(reference).toLowerCase()) return true;
  if (!opts.budget) warmUp();
  const budget = opts.budget ?? new Budget(DEFAULT_BUDGET_MS);
  const o = { ...opts, budget };
  if (budget.exhausted) return false;
  const includePercentage = opts.includePercentage ?? true;
  const close = opts.isClose ?? true;

  if (LETTERS.includes(reference) && graderChoiceClean(prediction) === reference) return true;

  // 1. numbers
  if (isDigit(prediction) && isDigit(reference)) {
    const p = parseDigits(prediction)!;
    const r = parseDigits(reference)!;
    const targets = includePercentage ? [r / 100, r, r * 100] : [r];
    return targets.some((t) => (close ? isClose(t, p, QWEN_REL_TOL) : t === p));
  }
  if (prediction === "") return false;

  // 2. symbolic
  let ref = pyStrip(reference);
  const pred = pyStrip(prediction);
  if (pred.includes("pmatrix") && !ref.includes("pmatrix")) ref = strToPmatrix(ref);

  // brackets: drop the outer ones in the cases the toolkit does, then every ( ) { }
  let predStr = pred;
  let refStr = ref;
  if (
    (pred.startsWith("[") && pred.endsWith("]") && !ref.startsWith("(")) ||
    (pred.startsWith("(") && pred.endsWith(")") && !ref.startsWith("["))
  ) {
    predStr = pyStripChars(predStr, "[]()");
    refStr = pyStripChars(refStr, "[]()");
  }
  for (const c of ["{", "}", "(", ")"]) {
    refStr = replaceAll(refStr, c, "");
    predStr = replaceAll(predStr, c, "");
  }
  if (predStr.toLowerCase() === refStr.toLowerCase()) return true;

  // [a, b] vs [c, d]: element by element, whatever the brackets
  const bracketed = /^[([][^\n]+[)\]]/;
  if (bracketed.test(pred) && bracketed.test(ref)) {
    const pp = pred.slice(1, -1).split(",");
    const rp = ref.slice(1, -1).split(",");
    if (pp.length === rp.length && pp.every((p, k) => mathEqualQwen(p, rp[k]!, o))) return true;
  }

  if (isMatrixText(pred) && isMatrixText(ref)) {
    const pl = matrixRows(pred);
    const rl = matrixRows(ref);
    let matched = pl.length === rl.length;
    for (let k = 0; matched && k < pl.length; k++) {
      const pc = pl[k]!.split("&");
      const rc = rl[k]!.split("&");
      matched = pc.length === rc.length && pc.every((c, j) => mathEqualQwen(c, rc[j]!, o));
    }
    if (matched) return true;
  }

  if (count(pred, "=") === 1 && count(ref, "=") === 1) {
    const [pl, pr] = pred.split("=") as [string, string];
    const [rl, rr] = ref.split("=") as [string, string];
    const p = `${pyStrip(pl)} - (${pyStrip(pr)})`;
    const r = `${pyStrip(rl)} - (${pyStrip(rr)})`;
    if (symbolicEqualQwen(p, r, budget) || symbolicEqualQwen(`-(${p})`, r, budget)) return true;
  } else if (count(pred, "=") === 1 && pyStrip(pred.split("=")[0]!).length <= 2 && !ref.includes("=")) {
    if (mathEqualQwen(pred.split("=")[1]!, ref, o)) return true;
  } else if (count(ref, "=") === 1 && pyStrip(ref.split("=")[0]!).length <= 2 && !pred.includes("=")) {
    if (mathEqualQwen(pred, ref.split("=")[1]!, o)) return true;
  }

  return symbolicEqualQwen(pred, ref, budget);
}

// ---------------------------------------------------------------------------------------------
// symbolic_equal: what sympy makes of the two strings, and its four tests.

type SympyReading =
  | { kind: "expr"; node: Node }
  | { kind: "relation"; op: string; lhs: Node; rhs: Node }
  | { kind: "pyseq"; open: string; items: number[] }
  | { kind: "pyset"; items: number[] }
  | { kind: "matrix"; rows: Node[][] }
  | { kind: "text"; text: string };

const RELATIONS = new Set(["Equal", "Less", "LessEqual", "Greater", "GreaterEqual", "NotEqual"]);
const NON_SCALAR = new Set(["List", "Set", "Matrix", "Sequence", "Tuple", "Interval", "Union", "Element", "Function"]);

/**
 * Where sympy's (non-strict) parse_latex stops reading: at a comma outside brackets (unless it is a
 * thousands separator inside a number, "1,000"), at a closing bracket that closes nothing ("5)(2"
 * reads as 5), at a full stop that is not a decimal point ("p-q. Then ..." reads as p-q), and at a
 * subscript on a number ("2516_8" reads as 2516). -1 when it reads to the end.
 */
function prefixEnd(s: string): number {
  let depth = 0;
  const digit = (k: number) => k >= 0 && k < s.length && s[k]! >= "0" && s[k]! <= "9";
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (--depth < 0) return k;
    } else if (c === ",") {
      const thousands = digit(k - 1) && digit(k + 1) && digit(k + 2) && digit(k + 3) && !digit(k + 4);
      if (thousands) k += 3;
      else if (depth === 0) return k;
    } else if (c === "." && !digit(k + 1)) {
      return k;
    } else if (c === "_" && digit(k - 1)) {
      return k;
    }
  }
  return -1;
}

/**
 * What sympy's LaTeX lexer (LaTeX.g4) does before the grammar sees a string, in a form that
 * compute-engine then reads the same way:
 * - spacing commands (\, \: \; \quad \qquad \! and their long names), \left, \right and the
 *   ignored commands (\vrule, \*, \-, \., \/, ...) are skipped like whitespace; a number is a run of
 *   DIGIT tokens, so digits separated only by skipped text join ("12\,000" is 12000, "3\quad 4" is 34);
 * - \overline{x} is the conjugate of x, so a digit before it multiplies ("0.1\overline{6}" is 0.6);
 * - a subscript is one letter or a whole number, but a function keeps a digit for its argument
 *   (\log_327 is log base 32 of 7), and \log_{10} keeps its base;
 * - `e`/`E` after a digit is a letter, not an exponent: "1.5e3" is 1.5*e*3 (compute-engine would read
 *   1500), "2e-3" is 2e - 3.
 */
export function sympyLexical(s: string): string {
  let t = s.replace(SYMPY_SKIPPED, " ");
  // a subscript atom is one letter or a whole number (x_12 is x_{12}); after a function name the
  // parser leaves the function its argument: \log_327 is log base 32 of 7, \log_28x is base 28 of x
  t = t.replace(/(\\(?:log|ln|lg|exp|a?r?c?(?:sin|cos|tan|csc|sec|cot)h?))_(\d+)(?=(.?))/g, (_m, fn: string, d: string, next: string) =>
    /[A-Za-z\\({]/.test(next) || d.length === 1 ? `${fn}_{${d}}` : `${fn}_{${d.slice(0, -1)}}${d.slice(-1)}`,
  );
  t = t.replace(/_(\d+(?:\.\d+)?)/g, "_{$1}");
  // compute-engine drops a base of 10 (its Log is base 10), while a bare \log is natural to sympy
  t = t.replace(/\\log_\{10\}/g, "\\lg ");
  // whitespace is skipped everywhere; it only separates a command name from a following letter
  t = t.replace(/\s+/g, (m: string, at: number) => (/\\[a-zA-Z]+$/.test(t.slice(0, at)) && /^[a-zA-Z]/.test(t.slice(at + m.length)) ? " " : ""));
  // \circ is a plain symbol to sympy (strip_string has already removed the usual ^\circ spellings)
  t = t.replace(/\\circ(?![a-zA-Z])/g, "\\operatorname{circ}");
  // a number may group its digits by threes with commas (compute-engine would read a tuple)
  t = t.replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
  // \overline is complex conjugation (FUNC_OVERLINE), not a repeating decimal: 0.1\overline{6} is 0.6
  t = t.replace(/(\d)\s*\\overline(?![a-zA-Z])/g, "$1\\cdot\\overline");
  t = t.replace(/(\d)\s*([eE])(?![a-zA-Z])(\s*\d)?/g, (_m, d: string, e: string, n: string | undefined) =>
    `${d}\\cdot ${e}${n === undefined ? "" : `\\cdot ${n.trim()}`}`,
  );
  return t;
}
const SYMPY_SKIPPED =
  /\\[,:;!]|\\(?:thinspace|medspace|thickspace|negthinspace|negmedspace|negthickspace|q?quad|vrule|vcenter|vbox|vskip|vspace|hfil)(?![a-zA-Z])|\\(?:left|right)(?![a-zA-Z|])|\\[-*./"(=]/g;

/**
 * sympy's grammar reads a letter or a command symbol directly followed by "(" as a function
 * application (`func: (LETTER | SYMBOL) subexpr? L_PAREN args R_PAREN`): n(n+1) is the undefined
 * function n at n+1, not n^2+n, while 2(n+1), (n+1)n and x^2(x+1) are products.
 */
function sympyApplications(n: Node): Node {
  if (!Array.isArray(n)) return n;
  const mapped = n.map((c, k) => (k === 0 && typeof c === "string" ? c : sympyApplications(c)));
  if (mapped[0] !== "InvisibleOperator") return mapped;
  const out: Node[] = ["InvisibleOperator"];
  for (let k = 1; k < mapped.length; k++) {
    const a = mapped[k];
    const next = mapped[k + 1];
    if (typeof a === "string" && !a.startsWith("'") && isParenGroup(next)) {
      out.push(["SympyApply", a, (next as Node[])[1]]);
      k++;
    } else {
      out.push(a);
    }
  }
  return out.length === 2 ? out[1] : out;
}

function isParenGroup(n: Node): boolean {
  if (!Array.isArray(n) || n[0] !== "Delimiter" || n.length < 2) return false;
  const body = n[1];
  if (Array.isArray(body) && body[0] === "Sequence" && body.length !== 2) return false;
  return n.length === 2 || (typeof n[2] === "string" && n[2].startsWith("'("));
}

function balanced(s: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (const c of s) {
    if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c in pairs) {
      if (stack.pop() !== pairs[c]) return false;
    }
  }
  return stack.length === 0;
}

function isScalarNode(n: Node): boolean {
  if (!Array.isArray(n)) return true;
  const head = n[0];
  if (typeof head === "string" && NON_SCALAR.has(head)) return false;
  if (head === "Delimiter") {
    const body = n[1];
    if (Array.isArray(body) && body[0] === "Sequence" && body.length !== 2) return false;
  }
  return n.slice(1).every(isScalarNode);
}

/**
 * sympy's parse_latex: it reads the longest prefix that is an expression (stopping at a top-level
 * comma or an unmatched closing bracket, backing off a dangling operator: "5+" reads as 5), and
 * fails on tuples, sets and matrices.
 */
function sympyLatex(raw: string): SympyReading | null {
  const s = sympyLexical(raw);
  // a decimal point needs a digit before it (number: DIGIT+ ('.' DIGIT+)?): ".5" does not parse
  if (/(?:^|[^\d])\.\d/.test(s)) return null;
  const end = prefixEnd(s);
  // a backslash before anything but a letter or one of the lexer's symbol tokens is a lexer error;
  // it fails the parse when the lexer reaches it: inside what the grammar reads, or in the tokens it
  // looks ahead at after a comma (whether ",ddd" continues a number): "3,\5,7" and "0\" fail,
  // "\sqrt{3})\" reads as \sqrt{3}. Any character outside ASCII is a lexer error too (the
  // grammar's alphabet is ASCII): "90°", "−5" (Unicode minus) and "(−∞, 2)" do not parse
  const seen = end < 0 ? s.length : s[end] === "," ? end + 5 : end + 1;
  const lexError = /\\(?![a-zA-Z,:;!*\-./"(={}])|[^\x00-\x7f]/u.exec(s);
  if (lexError && lexError.index < seen) return null;
  let prefix = end >= 0 ? s.slice(0, end) : s;
  if (prefix.includes("&") || prefix.includes("\\\\") || !balanced(prefix)) return null;
  let node: Node | null = null;
  for (let tries = 0; tries < 4; tries++) {
    if (pyStrip(prefix) === "") return null;
    node = parseLatex(prefix);
    if (node !== null && !hasError(node, "sympy")) {
      node = sympyApplications(node);
      break;
    }
    const shorter = prefix.replace(/(?:[-+*/^_(=<>:]|\\(?:cdot|times|div|pm))\s*$/, "");
    if (shorter === prefix) return null;
    prefix = shorter;
    node = null;
  }
  if (node === null) return null;
  if (Array.isArray(node) && typeof node[0] === "string" && RELATIONS.has(node[0])) {
    const [, lhs, rhs] = node;
    if (node.length !== 3 || !isScalarNode(lhs) || !isScalarNode(rhs)) return null;
    return { kind: "relation", op: node[0], lhs, rhs };
  }
  if (!isScalarNode(node)) return null;
  if (typeof node === "string" && node.startsWith("'")) return null;
  return { kind: "expr", node };
}

const PY_NUMBERS = /^[\d\s.+\-*/()]+$/;

/** sympy's parse_expr on a Python literal of numbers: a tuple, list or set (of exact values). */
function sympyPython(s: string): SympyReading | null {
  const t = pyStrip(s);
  const open = t[0];
  const close = t[t.length - 1];
  const kinds: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  if (open === undefined || kinds[open] !== close) return null;
  const body = t.slice(1, -1);
  if (body.includes("(") || body.includes("[") || body.includes("{")) return null;
  const parts = body.split(",");
  if (open === "(" && parts.length < 2) return null;
  if (parts[parts.length - 1]!.trim() === "" && parts.length > 1) parts.pop();
  const items: number[] = [];
  for (const p of parts) {
    if (!PY_NUMBERS.test(p) || pyStrip(p) === "") return null;
    const v = evaluateArithmetic(p);
    if (v === null) return null;
    items.push(v);
  }
  return open === "{" ? { kind: "pyset", items } : { kind: "pyseq", open, items };
}

function evaluateArithmetic(p: string): number | null {
  const node = parseLatex(pyStrip(p).replace(/\*\*/g, "^"));
  if (node === null || hasError(node, "exact")) return null;
  const v = evaluate(node, "exact", new Map());
  return finite(v) && v.im === 0 ? v.re : null;
}

/**
 * latex2sympy: here only its matrices matter (the other two parsers read the rest first). Like the
 * toolkit, it is tried first on the text with "\\\\" halved. A row break followed by a command
 * ("\\\\\\frac") survives the halving as a row break followed by the command's name without its
 * backslash ("frac{2}{3}", letters multiplied), so such a matrix is read with mangled entries; the
 * halved text is unreadable when a lone backslash is left before anything but a command.
 */
function sympyMatrix(s: string): SympyReading | null {
  const single = replaceAll(s, "\\\\", "\\");
  const lone = single.replace(/\\\\/g, "").match(/\\(?:[a-zA-Z]+|.|$)/g) ?? [];
  if (lone.every((cmd) => LATEX2SYMPY_COMMANDS.test(cmd))) {
    const r = readMatrix(single);
    if (r !== null) return r;
  }
  return readMatrix(s);
}
const LATEX2SYMPY_COMMANDS =
  /^\\(?:begin|end|frac|dfrac|tfrac|sqrt|pi|cdot|times|div|sin|cos|tan|cot|sec|csc|ln|log|exp|infty|alpha|beta|gamma|theta|left|right)$/;

function readMatrix(s: string): SympyReading | null {
  let t = pyStrip(s);
  // like parse_latex, latex2sympy reads a prefix: the matrix, whatever follows it
  const end = t.indexOf(PMATRIX_END);
  if (t.startsWith(PMATRIX_BEGIN) && end >= 0) t = t.slice(0, end + PMATRIX_END.length);
  if (!isMatrixText(t)) return null;
  const rows: Node[][] = [];
  for (const line of matrixRows(t)) {
    const row: Node[] = [];
    for (const cell of line.split("&")) {
      const r = sympyLatex(pyStrip(cell));
      if (r === null || r.kind !== "expr") return null;
      row.push(r.node);
    }
    rows.push(row);
  }
  if (rows.length === 0 || rows.some((r) => r.length !== rows[0]!.length)) return null;
  return { kind: "matrix", rows };
}

function sympyRead(s: string, budget: Budget): SympyReading {
  const single = replaceAll(s, "\\\\", "\\");
  const readers = [() => sympyLatex(single), () => (single === s ? null : sympyLatex(s)), () => sympyPython(s), () => sympyMatrix(s)];
  for (const read of readers) {
    if (budget.exhausted) break;
    const r = read();
    if (r !== null) return r;
  }
  return { kind: "text", text: s };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The value of a symbol-free expression, or null. */
function constantOf(n: Node): Cx | null {
  if (freeSymbols(n, "sympy").size > 0) return null;
  const v = evaluate(n, "sympy", new Map());
  return finite(v) ? v : null;
}

/** Python's round(x, 3) on a float (half to even on the binary value; close enough for 3 places). */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function symbolicEqualQwen(a: string, b: string, budget: Budget = new Budget(DEFAULT_BUDGET_MS)): boolean {
  if (budget.exhausted) return false;
  const A = sympyRead(a, budget);
  const B = sympyRead(b, budget);
  if (budget.exhausted) return false;
  if (A.kind === "text" || B.kind === "text") return A.kind === "text" && B.kind === "text" && A.text === B.text;

  if (A.kind === "pyseq" || A.kind === "pyset" || B.kind === "pyseq" || B.kind === "pyset") {
    if (A.kind !== B.kind) return false;
    if (A.kind === "pyseq" && B.kind === "pyseq") {
      return A.open === B.open && A.items.length === B.items.length && A.items.every((x, k) => x === B.items[k]);
    }
    if (A.kind === "pyset" && B.kind === "pyset") {
      const sa = new Set(A.items);
      const sb = new Set(B.items);
      return sa.size === sb.size && [...sa].every((x) => sb.has(x));
    }
    return false;
  }

  if (A.kind === "matrix" || B.kind === "matrix") {
    if (A.kind !== "matrix" || B.kind !== "matrix") return false;
    if (A.rows.length !== B.rows.length || A.rows[0]!.length !== B.rows[0]!.length) return false;
    return A.rows.every((row, i) =>
      row.every((cell, j) => {
        const other = B.rows[i]![j]!;
        if (sameJson(cell, other)) return true;
        const x = constantOf(cell);
        const y = constantOf(other);
        if (x && y) return round3(x.re) === round3(y.re) && round3(x.im) === round3(y.im);
        return sameFunction(cell, other, "sympy") === true;
      }),
    );
  }

  if (A.kind === "relation" || B.kind === "relation") {
    if (A.kind !== "relation" || B.kind !== "relation") return false;
    if (sameJson(A, B)) return true;
    // sympy: Relational.equals (same or reversed relation with equal sides), else |lhs - rhs| equal
    const diffA: Node = ["Subtract", A.lhs, A.rhs];
    const diffB: Node = ["Subtract", B.lhs, B.rhs];
    return sameFunction(diffA, diffB, "sympy", 1e-9, (z) => cx(z.abs(), 0)) === true;
  }

  // both plain expressions
  if (sameJson(A.node, B.node)) return true;
  if (sameFunction(A.node, B.node, "sympy") === true) return true;
  const x = floatOf(A.node);
  const y = floatOf(B.node);
  return x !== null && y !== null && isClose(y, x, QWEN_REL_TOL);
}

/**
 * float(N(a)) of a symbol-free real expression: a value beyond the float range is ±inf there (N
 * keeps the huge value, float() overflows it), and math.isclose(inf, inf) is True, so
 * 2^{2023} is "close" to 2^{2023}-1. null when sympy's float() raises (symbols, complex values).
 */
function floatOf(n: Node): number | null {
  if (freeSymbols(n, "sympy").size > 0) return null;
  const v = evaluate(n, "sympy", new Map());
  if (v === null) return null;
  // complex arithmetic has a single unsigned infinity; the sign of an overflow comes from the
  // exact rational value where there is one (2^{2023}-1 is +inf, -2^{2023} is -inf)
  if (!Number.isFinite(v.re) || !Number.isFinite(v.im)) {
    const q = exactValue(n);
    if (q !== null) return rationalToFloat(q);
    return v.im === 0 ? v.re : null; // \infty itself is a real (signed) infinity
  }
  return v.im === 0 ? v.re : null;
}

/** Python's float() of a sympy Rational: ±inf beyond the float range. */
function rationalToFloat(q: Rational): number {
  const bitsOf = (x: bigint) => (x < 0n ? -x : x).toString(2).length;
  const shift = Math.max(bitsOf(q.n), bitsOf(q.d)) - 1000;
  if (shift <= 0) return Number(q.n) / Number(q.d);
  const s = BigInt(shift);
  const num = Number(q.n >> s);
  const den = Number(q.d >> s);
  return den === 0 ? (q.n < 0n ? -Infinity : Infinity) : num / den;
}

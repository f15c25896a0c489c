/**
 * Normalisation for the `strict` grader: removes presentation (spacing commands, \left/\right,
 * \dfrac, dollars, thousands separators, units written as \text{..} or as a word after a number,
 * "x \in" prefixes) without touching anything that could be mathematics: single letters are never
 * deleted, and brackets are kept because they carry meaning. Percent, degrees and cents change a
 * number's scale, so they are kept as the markers %, ° and ¢ (math-equal-strict compares them).
 */
import { decimalToRational } from "./exact-value.ts";
import { pyStrip, replaceAll } from "./py-compat.ts";
import { numberPhraseValue } from "./word-number.ts";

const SPACING = ["\\!", "\\,", "\\;", "\\:", "\\>", "\\qquad", "\\quad", "\\thinspace", "\\medspace", "\\thickspace", "~"];

/** Remove `\cmd{...}` wrappers, keeping their content (`\text{odd}` -> `odd`). */
function unwrap(s: string, cmd: string): string {
  let out = s;
  for (let guard = 0; guard < 50; guard++) {
    const at = out.indexOf(`\\${cmd}{`);
    if (at < 0) break;
    const open = at + cmd.length + 1;
    let depth = 0;
    let close = -1;
    for (let k = open; k < out.length; k++) {
      if (out[k] === "{") depth++;
      else if (out[k] === "}" && --depth === 0) {
        close = k;
        break;
      }
    }
    if (close < 0) break;
    out = out.slice(0, at) + out.slice(open + 1, close) + out.slice(close + 1);
  }
  return out;
}

/**
 * A unit after a number: bare words ("5 cm", "12 apples", "12 m"), \text{..} / \mathrm{..} / \mbox{..}
 * groups, powers (cm^2) and "/" (m/s). The head must end like a number or a group.
 */
const UNIT_TAIL = /^(.*?[\d}).])((?:\s*(?:\\(?:text|mbox|mathrm)\s*\{[^{}]*\}|[A-Za-z]+\.?|\^\s*\{?\s*\d\s*\}?|\/))+)\s*$/s;

export const UNIT_WORDS = new Set([
  "cm", "mm", "km", "m", "kg", "g", "mg", "lb", "lbs", "oz", "ft", "feet", "foot", "inch", "inches", "in", "yd", "yard", "yards",
  "mile", "miles", "mph", "kph", "sec", "second", "seconds", "s", "min", "minute", "minutes", "hour", "hours", "hr", "hrs", "day", "days",
  "week", "weeks", "month", "months", "year", "years", "dollar", "dollars", "cent", "cents", "degree", "degrees", "unit", "units",
  "sq", "square", "cubic", "meter", "meters", "metre", "metres", "liter", "liters", "litre", "litres", "l", "ml", "gallon", "gallons",
  "percent", "pounds", "pound", "ounces", "ounce", "people", "students", "times", "ways", "points", "cups", "pages", "apples",
  "radian", "radians", "rad", "per", "cents",
]);

/** Units that change the number's scale rather than disappear: they become a marker. */
const MARKER_UNITS: Record<string, string> = {
  percent: "%", degree: "°", degrees: "°", cent: "¢", cents: "¢",
};

function stripTrailingUnit(s: string): string {
  const m = UNIT_TAIL.exec(s);
  if (!m) return s;
  const head = m[1]!;
  const tail = m[2]!.trim();
  const wrapped = /\\(?:text|mbox|mathrm)\s*\{/.test(tail);
  const words = tail
    .replace(/\\(?:text|mbox|mathrm)\s*\{([^}]*)\}/g, " $1 ")
    .replace(/\^\s*\{?\s*\d\s*\}?|\//g, " ")
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "")
    .map((w) => w.replace(/\.$/, "").toLowerCase());
  if (words.length === 0) return s;
  if (words.length === 1 && MARKER_UNITS[words[0]!]) return `${head.trim()}${MARKER_UNITS[words[0]!]}`;
  if (words.some((w) => w === "and" || w === "or")) return s;
  // inside \text{} after a number anything is a unit; bare words only when they look like units or nouns
  if (wrapped || words.every((w) => UNIT_WORDS.has(w) || /^[a-z]{4,}$/.test(w))) return head.trim();
  return s;
}

/** 0.1\overline{6} -> \frac{1}{6}: a repeating decimal as the exact fraction it denotes. */
function repeatingDecimals(s: string): string {
  return s.replace(/(-?)(\d*)\.(\d*)\\overline\{(\d+)\}/g, (whole, sign: string, int: string, frac: string, rep: string) => {
    const r = decimalToRational(`${sign}${int || "0"}.${frac}(${rep})`);
    if (!r) return whole;
    const abs = r.n < 0n ? -r.n : r.n;
    return `${r.n < 0n ? "-" : ""}\\frac{${abs}}{${r.d}}`;
  });
}

/** 3\frac{1}{2} -> \frac{7}{2}: a whole number directly followed by a proper fraction of digits. */
function mixedNumber(s: string): string {
  const m = /^(-?)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}([%°¢]?)$/.exec(s);
  if (!m) return s;
  const whole = BigInt(m[2]!);
  const num = BigInt(m[3]!);
  const den = BigInt(m[4]!);
  if (den === 0n || num >= den) return s;
  return `${m[1]}\\frac{${whole * den + num}}{${den}}${m[5]}`;
}

/**
 * Unicode mathematics as the LaTeX it stands for: "(−∞, 2)" is (-\infty, 2), "3 × 4" is 3 \times 4,
 * "x ≤ 1", "√2", "π". (° stays: it is the degree marker.)
 */
const UNICODE_LATEX: Record<string, string> = {
  "\u2212": "-", "\u2013": "-", "\u221e": "\\infty ", "\u00d7": "\\times ", "\u00b7": "\\cdot ", "\u22c5": "\\cdot ",
  "\u00f7": "\\div ", "\u2264": "\\le ", "\u2265": "\\ge ", "\u2260": "\\ne ", "\u03c0": "\\pi ", "\u221a": "\\sqrt",
  "\u00b1": "\\pm ", "\u222a": "\\cup ", "\u2208": "\\in ", "\u2205": "\\emptyset ",
};
function unicodeToLatex(s: string): string {
  return s.replace(/[\u2212\u2013\u221e\u00d7\u00b7\u22c5\u00f7\u2264\u2265\u2260\u03c0\u221a\u00b1\u222a\u2208\u2205]/g, (c) => UNICODE_LATEX[c]!);
}

/** Words that name the same answer. */
const SYNONYMS: Record<string, string> = {
  dne: "DNE", "does not exist": "DNE", "doesn't exist": "DNE", "does not exists": "DNE",
  infinity: "\\infty", "+\\infty": "\\infty", "positive infinity": "\\infty", "negative infinity": "-\\infty",
  "all real numbers": "(-\\infty,\\infty)",
  // the empty solution set (\emptyset and \varnothing are \{\} by now)
  "no solution": "\\{\\}", "no solutions": "\\{\\}", "no real solution": "\\{\\}", "no real solutions": "\\{\\}", "\\mathbb{r}": "(-\\infty,\\infty)", "\\mathbb r": "(-\\infty,\\infty)",
};

/**
 * The strict grader's normalisation, rule by rule (docs/grading.md lists them):
 * Unicode mathematics becomes LaTeX; \! goes (kerning), other spacing commands, \left/\right,
 * \displaystyle and dollars become spaces or go; \dfrac/\tfrac/\cfrac are \frac; a matrix
 * environment in brackets is the matrix; set-builder notation is its condition; a unit after a
 * number goes, except percent, degrees and cents, which become the markers %, ° and ¢ (they change
 * the value's scale, see math-equal-strict); \text{}-like wrappers are unwrapped; thousands
 * separators go; \frac12 and \sqrt2 shorthands are expanded; repeating decimals and mixed numbers
 * become fractions; an answer made only of number words becomes its number; DNE, infinity and
 * "all real numbers" and the empty set have one spelling each; a base subscript is written n_b.
 */
export function strictNormalize(input: string): string {
  let s = unicodeToLatex(pyStrip(String(input)).replace(/\n/g, " "));
  s = s.replace(/^\$+|\$+$/g, "");
  s = replaceAll(s, "\\displaystyle", "");
  s = replaceAll(s, "\\!", ""); // a negative thin space is kerning, never a separator: 12,\!345 is 12,345
  for (const sp of SPACING) s = replaceAll(s, sp, " ");
  s = s.replace(/(?<!\\)\\ /g, " "); // "\ " is a space, "\\ " a matrix row break
  s = s.replace(/\\(?:d|t|c)frac/g, "\\frac").replace(/\\(?:d|t)binom/g, "\\binom");
  s = s.replace(/\{\s*([^{}]+?)\s*\\choose\s*([^{}]+?)\s*\}/g, "\\binom{$1}{$2}");
  s = s.replace(/\\left\b|\\right\b|\\big[lr]?\b|\\Big[lr]?\b/g, "");
  s = s.replace(/\\left(?=[.(\[|])|\\right(?=[.)\]|])/g, "");
  s = s.replace(/\\(?:neq)\b/g, "\\ne").replace(/\\(?:leq|leqslant)\b/g, "\\le").replace(/\\(?:geq|geqslant)\b/g, "\\ge");
  s = s.replace(/\\begin\{[bpv]?matrix\}/g, "\\begin{pmatrix}").replace(/\\end\{[bpv]?matrix\}/g, "\\end{pmatrix}");
  s = s.replace(/\\begin\{array\}\{[^}]*\}/g, "\\begin{pmatrix}").replace(/\\end\{array\}/g, "\\end{pmatrix}");
  // a matrix environment inside brackets is the matrix: \left(\begin{array}{c}..\end{array}\right)
  s = s.replace(/^\s*[(\[]\s*(\\begin\{pmatrix\}.*\\end\{pmatrix\})\s*[)\]]\s*$/s, "$1");
  s = s.replace(/\\[lr]?vert\b|\\[lr]\|/g, "|");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\degree|\^\s*\{\s*\\text\{\s*o\s*\}\s*\}/g, "°");
  // degrees inside a trigonometric function are radians there: \cos 60° is \cos(60\pi/180)
  s = s.replace(/(\\(?:sin|cos|tan|cot|sec|csc))\s*(?:\(\s*(-?\d+(?:\.\d+)?)\s*°\s*\)|(-?\d+(?:\.\d+)?)\s*°)/g,
    (_m, fn: string, inParens: string | undefined, bare: string | undefined) => `${fn}\\left(\\frac{${inParens ?? bare}\\pi}{180}\\right)`);
  s = s.replace(/\\?\$/g, "");
  s = s.replace(/\\%|%|\\text\{\s*\\?%\s*\}/g, "%");
  s = s.replace(/\{,\}/g, ",");
  s = pyStrip(s).replace(/[.。]+$/, "");
  s = stripTrailingUnit(pyStrip(s));
  s = unwrap(s, "boxed");
  for (const cmd of ["text", "textbf", "mathrm", "mbox", "mathbf", "textit", "operatorname", "textnormal"]) s = unwrap(s, cmd);
  const inset = /^\s*[A-Za-z]\s*\\in\s*(.+)$/s.exec(s);
  if (inset) s = inset[1]!;
  // set-builder notation for a condition on one variable: \{x \mid x > 2\} is the condition
  const builder = /^\\\{\s*([A-Za-z])\s*(?:\\in\s*\\mathbb\{?R\}?\s*)?(?:\\mid|\||:)\s*(.+?)\s*\\\}$/s.exec(s);
  if (builder && new RegExp(`(?<![A-Za-z\\\\])${builder[1]}(?![A-Za-z])`).test(builder[2]!)) s = builder[2]!;
  s = s.replace(/\s+/g, " ").trim();
  s = s.replace(/\s+([%°¢])$/, "$1");
  // thousands separators in a lone number: 1,234,567 or 1\,234 (spacing is a space by now)
  const marker = /[%°¢]$/.test(s) ? s.slice(-1) : "";
  const body = marker ? s.slice(0, -1).trim() : s;
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(body)) s = body.replace(/,/g, "") + marker;
  else if (/^-?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(body)) s = body.replace(/ /g, "") + marker;
  s = s.replace(/\\frac(\d)(\d)/g, "\\frac{$1}{$2}").replace(/\\frac\{([^{}]+)\}(\d)/g, "\\frac{$1}{$2}");
  s = s.replace(/\\frac(\d)\{/g, "\\frac{$1}{").replace(/\\sqrt(\d+)/g, "\\sqrt{$1}");
  s = replaceAll(s, "\\emptyset", "\\{\\}").replace(/\\varnothing/g, "\\{\\}");
  s = s.trim();
  while (s.startsWith("{") && s.endsWith("}") && wrapsWhole(s)) s = s.slice(1, -1).trim();
  s = repeatingDecimals(s);
  s = mixedNumber(s);
  const words = numberPhraseValue(s);
  if (words !== null) s = words;
  s = SYNONYMS[s.toLowerCase()] ?? s;
  // base subscripts: {1011}_2, 1011_{2}, 1011_{(2)} -> 1011_2
  const based = /^\{?([0-9A-Za-z]+)\}?_\{?\(?(\d+)\)?\}?$/.exec(s);
  if (based && /\d/.test(based[1]!)) s = `${based[1]}_${based[2]}`;
  return s;
}

/** Whether the brace opening at 0 closes at the last character. */
export function wrapsWhole(s: string): boolean {
  let depth = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0 && k < s.length - 1) return false;
    }
  }
  return depth === 0;
}

/**
 * "x = 5" -> ["x", "5"], "f(x) = 2x+1" -> ["f(x)", "2x+1"]: an answer that names a single variable
 * or a function of one variable (f^{-1}(x) too) on the left; null otherwise.
 */
export function namedValue(s: string): [string, string] | null {
  const eq = /^\s*([A-Za-z](?:\^\{-1\})?(?:_\{?[A-Za-z0-9]+\}?)?(?:\([a-z]\))?|\\[a-z]+)\s*=\s*(.+)$/s.exec(s);
  if (!eq || eq[2]!.includes("=") || /^[<>]/.test(eq[2]!)) return null;
  return [eq[1]!, eq[2]!.trim()];
}

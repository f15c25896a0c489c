/**
 * Normalisation for the `strict` grader: removes presentation (spacing commands, \left/\right,
 * \dfrac, dollars, degrees, percent signs, thousands separators, units written as \text{..} or as
 * a word after a number, "x =" prefixes) without touching anything that could be mathematics:
 * single letters are never deleted, and brackets are kept because they carry meaning.
 */
import { pyStrip, replaceAll } from "./py-compat.ts";

const SPACING = ["\\!", "\\,", "\\;", "\\:", "\\>", "\\quad", "\\qquad", "~"];

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

/** A unit-like word after a number: "5 cm", "12 apples", "3 \text{ inches}" (2+ letters). */
const TRAILING_WORDS = /^(.*?[0-9}.])(?:\s*\\text\{\s*[A-Za-z][A-Za-z .^\d]*\}|\s*\\mbox\{[^}]*\}|\s*\\mathrm\{\s*[A-Za-z]{2,}[^}]*\}|\s+(?:[A-Za-z]{2,}\.?)(?:\s+[A-Za-z]{2,}\.?)*(?:\^\{?\d\}?)?)$/s;

const UNIT_WORDS = new Set([
  "cm", "mm", "km", "m", "kg", "g", "mg", "lb", "lbs", "oz", "ft", "feet", "foot", "inch", "inches", "in", "yd", "yard", "yards",
  "mile", "miles", "mph", "sec", "second", "seconds", "min", "minute", "minutes", "hour", "hours", "hr", "hrs", "day", "days",
  "week", "weeks", "month", "months", "year", "years", "dollar", "dollars", "cent", "cents", "degree", "degrees", "unit", "units",
  "sq", "square", "cubic", "meter", "meters", "metre", "metres", "liter", "liters", "litre", "litres", "gallon", "gallons",
  "percent", "pounds", "pound", "ounces", "ounce", "people", "students", "times", "ways", "points", "cups", "pages", "apples",
]);

function stripTrailingUnit(s: string): string {
  const m = TRAILING_WORDS.exec(s);
  if (!m) return s;
  const head = m[1]!;
  const tail = s.slice(head.length).trim();
  const words = tail
    .replace(/\\(?:text|mbox|mathrm)\{([^}]*)\}/g, "$1")
    .replace(/\^\{?\d\}?/g, "")
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/\.$/, "").toLowerCase());
  // \text{...} after a number is always a unit; bare words only when they look like units/nouns
  const isText = /^\\(?:text|mbox|mathrm)\{/.test(tail);
  if (isText || words.every((w) => UNIT_WORDS.has(w) || /^[a-z]{4,}$/.test(w))) return head.trim();
  return s;
}

export function strictNormalize(input: string): string {
  let s = pyStrip(String(input)).replace(/\n/g, " ");
  s = s.replace(/^\$+|\$+$/g, "");
  s = replaceAll(s, "\\displaystyle", "");
  for (const sp of SPACING) s = replaceAll(s, sp, " ");
  s = s.replace(/(?<!\\)\\ /g, " "); // "\ " is a space, "\\ " a matrix row break
  s = s.replace(/\\(?:d|t)frac/g, "\\frac").replace(/\\(?:d|t)binom/g, "\\binom");
  s = s.replace(/\\left\b|\\right\b|\\big[lr]?\b|\\Big[lr]?\b/g, "");
  s = s.replace(/\\left(?=[.(\[|])|\\right(?=[.)\]|])/g, "");
  s = s.replace(/\\(?:neq)\b/g, "\\ne").replace(/\\leq\b/g, "\\le").replace(/\\geq\b/g, "\\ge");
  s = s.replace(/\\begin\{[bpv]?matrix\}/g, "\\begin{pmatrix}").replace(/\\end\{[bpv]?matrix\}/g, "\\end{pmatrix}");
  s = s.replace(/\\begin\{array\}\{[^}]*\}/g, "\\begin{pmatrix}").replace(/\\end\{array\}/g, "\\end{pmatrix}");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree/g, "");
  s = s.replace(/\\?\$/g, "");
  s = s.replace(/\\%|%/g, "");
  s = s.replace(/\{,\}/g, ",");
  s = pyStrip(s).replace(/[.。]+$/, "");
  s = stripTrailingUnit(pyStrip(s));
  s = unwrap(s, "boxed");
  for (const cmd of ["text", "textbf", "mathrm", "mbox", "mathbf", "textit", "operatorname"]) s = unwrap(s, cmd);
  const inset = /^\s*[A-Za-z]\s*\\in\s*(.+)$/s.exec(s);
  if (inset) s = inset[1]!;
  s = s.replace(/\s+/g, " ").trim();
  // thousands separators in a lone number: 1,234,567 or 1\,234
  if (/^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (/^-?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/ /g, "");
  s = s.replace(/\\frac(\d)(\d)/g, "\\frac{$1}{$2}").replace(/\\frac\{([^{}]+)\}(\d)/g, "\\frac{$1}{$2}");
  s = s.replace(/\\frac(\d)\{/g, "\\frac{$1}{").replace(/\\sqrt(\d+)/g, "\\sqrt{$1}");
  s = replaceAll(s, "\\emptyset", "\\{\\}").replace(/\\varnothing/g, "\\{\\}");
  s = s.trim();
  while (s.startsWith("{") && s.endsWith("}") && wrapsWhole(s)) s = s.slice(1, -1).trim();
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

/** "x = 5" -> ["x", "5"]: an answer that names a single variable on the left; null otherwise. */
export function namedValue(s: string): [string, string] | null {
  const eq = /^\s*([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\\[a-z]+)\s*=\s*(.+)$/s.exec(s);
  if (!eq || eq[2]!.includes("=") || /^[<>]/.test(eq[2]!)) return null;
  return [eq[1]!, eq[2]!.trim()];
}

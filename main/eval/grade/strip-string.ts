/**
 * The toolkit's `strip_string`: the normalisation applied to every extracted prediction and to
 * every ground truth before they are compared. Rules are applied in the toolkit's order, because
 * the order decides the result (unit words are deleted before `\text{}` is unwrapped, "x=" is
 * deleted anywhere in the string, `\frac12` is expanded after spaces are removed, ...).
 */
import { convertWordNumber } from "./word-number.ts";
import { PY_NONWORD, PY_WORD, isCanonicalPyInt, pyRstripChars, pyStrip, replaceAll } from "./py-compat.ts";

/**
 * Unit words (mainly from MathQA) that the toolkit deletes when they stand between non-word
 * characters. They are used as regular-expression sources unescaped, exactly as the toolkit does,
 * so "." matches any character and single letters (a, c, d, m, s, t, ...) are deleted as well.
 */
const BASE_UNIT_TEXTS = [
  "east", "degree", "mph", "kmph", "ft", "m sqaure", " m east", "sq m", "deg", "mile", "q .",
  "monkey", "prime", "ratio", "profit of rs", "rd", "o", "gm", "p . m", "lb", "tile", "per", "dm",
  "lt", "gain", "ab", "way", "west", "a .", "b .", "c .", "d .", "e .", "f .", "g .", "h .", "t",
  "a", "h", "no change", "men", "soldier", "pie", "bc", "excess", "st", "inches", "noon",
  "percent", "by", "gal", "kmh", "c", "acre", "rise", "a . m", "th", "π r 2", "sq", "mark", "l",
  "toy", "coin", "sq . m", "gallon", "° f", "profit", "minw", "yr", "women", "feet", "am", "pm",
  "hr", "cu cm", "square", "v â € ™", "are", "rupee", "rounds", "cubic", "cc", "mtr", "s", "ohm",
  "number", "kmph", "day", "hour", "minute", "min", "second", "man", "woman", "sec", "cube", "mt",
  "sq inch", "mp", "∏ cm ³", "hectare", "more", "sec", "unit", "cu . m", "cm 2", "rs .", "rs",
  "kg", "g", "month", "km", "m", "cm", "mm", "apple", "liter", "loss", "yard", "pure", "year",
  "increase", "decrease", "d", "less", "Surface", "litre", "pi sq m", "s .", "metre", "meter",
  "inch",
];
/** The toolkit's list: the words above followed by each with an "s" appended. */
export const UNIT_TEXTS: readonly string[] = [...BASE_UNIT_TEXTS, ...BASE_UNIT_TEXTS.map((t) => `${t}s`)];

// Python's `.` matches anything but "\n"; JS's also refuses "\r", U+2028, U+2029.
const pyDotSource = (src: string) => src.replace(/\./g, "[^\\n]");
const UNIT_PATTERNS = UNIT_TEXTS.map(
  (unit) => new RegExp(`(^|${PY_NONWORD})${pyDotSource(unit)}($|${PY_NONWORD})`, "gu"),
);

/** `\frac1b` / `\frac12` / `\frac1{72}` -> braced arguments, as the toolkit's _fix_fracs does. */
export function fixFracs(string: string): string {
  const parts = string.split("\\frac");
  let out = parts[0]!;
  for (const sub of parts.slice(1)) {
    out += "\\frac";
    if (sub.length > 0 && sub[0] === "{") {
      out += sub;
      continue;
    }
    if (sub.length < 2) return string;
    const a = sub[0]!;
    const b = sub[1]!;
    const rest = sub.slice(2);
    out += b !== "{" ? `{${a}}{${b}}${rest}` : `{${a}}${b}${rest}`;
  }
  return out;
}

/** "3/4" -> "\frac{3}{4}" when both sides are plain integers (or contain "sqrt"). */
export function fixASlashB(string: string): string {
  const parts = string.split("/");
  if (parts.length !== 2) return string;
  const [a, b] = parts as [string, string];
  const ok = (side: string) => side.includes("sqrt") || isCanonicalPyInt(side);
  if (!ok(a) || !ok(b)) return string;
  return `\\frac{${a}}{${b}}`;
}

/** `\sqrt2` / `\sqrt2x` -> `\sqrt{2}` / `\sqrt{2x}`. */
export function fixSqrt(string: string): string {
  return string.replace(new RegExp(`\\\\sqrt(${PY_WORD}+)`, "gu"), "\\sqrt{$1}");
}

export interface StripOptions {
  /** The toolkit skips unit-word deletion for carp_en and minerva_math. */
  skipUnit?: boolean;
}

/** The toolkit's strip_string, rule for rule. */
export function stripString(input: string, opts: StripOptions = {}): string {
  let s = pyStrip(String(input));
  s = replaceAll(s, "\n", "");
  s = pyRstripChars(s, ".");
  s = replaceAll(s, "\\!", "");

  // matrices: array/bmatrix are read as pmatrix
  s = s.replace(/\\begin\{array\}\{[^\n]*?\}/g, "\\begin{pmatrix}");
  s = s.replace(/\\end\{array\}/g, "\\end{pmatrix}");
  s = replaceAll(s, "bmatrix", "pmatrix");

  s = replaceAll(s, "tfrac", "frac");
  s = replaceAll(s, "dfrac", "frac");
  s = replaceAll(replaceAll(replaceAll(s, "\\neq", "\\ne"), "\\leq", "\\le"), "\\geq", "\\ge");

  s = replaceAll(s, "\\left", "");
  s = replaceAll(s, "\\right", "");
  s = replaceAll(s, "\\{", "{");
  s = replaceAll(s, "\\}", "}");

  // a trailing \text{...} is a unit, unless it is the whole answer
  const noUnit = pyStrip(s.replace(/\\text\{[^\n]*?\}$/, ""));
  if (noUnit !== "" && noUnit !== s) s = noUnit;

  if (!opts.skipUnit) {
    for (let round = 0; round < 2; round++) {
      for (const pattern of UNIT_PATTERNS) {
        const t = s.replace(pattern, "$1$2");
        if (t !== "") s = t;
      }
    }
  }

  s = replaceAll(s, "^{\\circ}", "");
  s = replaceAll(s, "^\\circ", "");

  s = replaceAll(s, "\\$", "");
  s = replaceAll(s, "$", "");
  s = replaceAll(replaceAll(s, "\\(", ""), "\\)", "");

  s = convertWordNumber(s);

  s = s.replace(/\\text\{([^\n]*?)\}/g, "$1");
  for (const key of ["x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to"]) {
    s = replaceAll(s, key, "");
  }
  s = replaceAll(s, "\\emptyset", "{}");
  s = replaceAll(s, "(-\\infty,\\infty)", "\\mathbb{R}");

  s = replaceAll(s, "\\%", "");
  s = replaceAll(s, "%", "");

  s = replaceAll(s, " .", " 0.");
  s = replaceAll(s, "{.", "{0.");

  // (The toolkit's "strip one pair of brackets around an alphanumeric string" rule can never fire:
  // a string that starts with a bracket is not alphanumeric. Nothing to do.)

  s = replaceAll(s, "infinity", "\\infty");
  if (!s.includes("\\infty")) s = replaceAll(s, "inf", "\\infty");
  s = replaceAll(s, "+\\inity", "\\infty");

  s = replaceAll(s, "and", "");
  s = replaceAll(s, "\\mathbf", "");
  s = s.replace(/\\mbox\{[^\n]*?\}/g, "");

  if (s.includes("j") && !s.includes("i")) s = replaceAll(s, "j", "i");

  // 2.000 -> 2, 3.0x -> 3x
  s = s.replace(/(\p{Nd}+)\.0*([^\p{Nd}])/gu, "$1$2");
  s = s.replace(/(\p{Nd}+)\.0*$/u, "$1");

  if (s.length === 0) return s;
  if (s[0] === ".") s = `0${s}`;

  // "k = 5" -> "5" when the left side is at most two characters
  const eq = s.split("=");
  if (eq.length === 2 && eq[0]!.length <= 2) s = eq[1]!;

  s = fixSqrt(s);
  s = replaceAll(s, " ", "");
  s = fixFracs(s);
  s = fixASlashB(s);
  return s;
}

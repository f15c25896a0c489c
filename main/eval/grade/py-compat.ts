/**
 * Small helpers that give JavaScript strings the semantics of the Python built-ins and `re`
 * features the Qwen2.5-Math toolkit relies on (str.strip, \w / \W / \d / \b in Unicode mode,
 * float(), int() round-trips, float repr). Kept in one place so each grading module reads like
 * the rule it implements.
 */

/** Characters for which Python's str.isspace() is true (what str.strip()/split() remove). */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, "u");

/** Python's `\w` in Unicode mode: letters, numbers and the underscore. */
export const PY_WORD = "[\\p{L}\\p{N}_]";
/** Python's `\W` in Unicode mode. */
export const PY_NONWORD = "[^\\p{L}\\p{N}_]";
/** Python's `\d` in Unicode mode (any decimal digit). */
export const PY_DIGIT = "\\p{Nd}";

/** str.strip() with no argument. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_SPACE, "").replace(TRAILING_SPACE, "");
}

/** str.split() with no argument: split on whitespace runs, no empty parts. */
export function pySplitWhitespace(s: string): string[] {
  return pyStrip(s)
    .split(SPACE_RUN)
    .filter((w) => w !== "");
}

/** str.lstrip(chars) / rstrip(chars) / strip(chars): remove any of `chars` from an end. */
export function pyLstripChars(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}
export function pyRstripChars(s: string, chars: string): string {
  let j = s.length;
  while (j > 0 && chars.includes(s[j - 1]!)) j--;
  return s.slice(0, j);
}
export function pyStripChars(s: string, chars: string): string {
  return pyRstripChars(pyLstripChars(s, chars), chars);
}

/** str.replace(old, new): every occurrence, left to right, non-overlapping. */
export function replaceAll(s: string, from: string, to: string): string {
  return s.split(from).join(to);
}

/** str.isalnum(): non-empty and every character a letter or number. */
export function pyIsAlnum(s: string): boolean {
  return s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s);
}

/** str.lower(). */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

const PY_FLOAT_DEC = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PY_FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's float(str): the accepted syntax (underscores, inf/nan, surrounding spaces), or null. */
export function pyFloat(text: string): number | null {
  const s = pyStrip(text);
  if (PY_FLOAT_DEC.test(s)) return Number(s.replace(/_/g, ""));
  const m = PY_FLOAT_SPECIAL.exec(s);
  if (m) {
    if (m[2]!.toLowerCase() === "nan") return Number.NaN;
    return m[1] === "-" ? -Infinity : Infinity;
  }
  return null;
}

/**
 * "{}".format(int(s)) == s for a string without "sqrt" — i.e. `s` is exactly how Python prints
 * the integer it parses to (no sign "+", no leading zeros, no "-0", no underscores, ASCII digits).
 */
export function isCanonicalPyInt(s: string): boolean {
  return /^(?:0|-?[1-9][0-9]*)$/.test(s);
}

/** repr(float) as Python prints it (shortest round-trip; scientific below 1e-4 and from 1e16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // JS exponential with the shortest digits, then Python's exponent style (e-05, e+16).
    const [mant, exp] = x.toExponential().split("e") as [string, string];
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
    return `${mant}e${sign}${digits}`;
  }
  const s = String(x);
  if (s.includes("e")) {
    // JS switches to exponent form only past 1e21 / below 1e-6, outside this branch.
    return s;
  }
  return s.includes(".") ? s : `${s}.0`;
}

/** str(value) for a JSON value that Python's json module would have loaded (int vs float). */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pyFloatRepr(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null || value === undefined) return "None";
  return JSON.stringify(value);
}

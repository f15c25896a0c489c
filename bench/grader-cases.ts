/**
 * Grading cases for the grader benchmark, made from dataset answers by perturbations whose
 * mathematical verdict is known by construction (`human`): rewritings that keep the value
 * (\dfrac, "x =", units, thousands separators, reordered solution lists, a/b, ...) and changes
 * that do not (off by one, x100, a flipped interval bracket, a dropped solution, a rounded
 * irrational, another problem's answer, ...). Deterministic for a seed.
 */

export interface BenchCase {
  id: string;
  kind: string;
  pred_text: string;
  gt: string;
  data_name: string;
  /** The mathematically careful verdict, known from how the case was made. */
  human: boolean;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Perturb = (a: string, r: () => number, pool: string[]) => { pred: string; human: boolean } | null;

const boxed = (x: string) => `So the final answer is $\\boxed{${x}}$.`;
const INT = /^-?\d+$/;
const FRAC = /^(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}$/;

function topLevelSplit(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(s.slice(start, k));
      start = k + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

function terminatingDecimal(p: number, q: number): string | null {
  let d = q;
  for (const f of [2, 5]) while (d % f === 0) d /= f;
  if (d !== 1) return null;
  return String(p / q);
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  const out = [...xs];
  for (let k = out.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [out[k], out[j]] = [out[j]!, out[k]!];
  }
  return out;
}

/** A number with thousands separators, as MATH500 writes them too: 58,500, 10,\!080, \$32,\!348. */
const THOUSANDS = /^(?:\\\$)?\d{1,3}(?:,(?:\\!)?\d{3})+$/;

export const EQUIVALENT: Record<string, Perturb> = {
  boxed: (a) => ({ pred: boxed(a), human: true }),
  answer_is: (a) => (a.includes("$") ? null : { pred: `Putting it together, the answer is $${a}$.`, human: true }),
  dfrac: (a) => (a.includes("\\frac") ? { pred: boxed(a.replace(/\\frac/g, "\\dfrac")), human: true } : null),
  x_equals: (a) => (a.includes("=") || a.includes(",") || a.includes("\\in") ? null : { pred: boxed(`x = ${a}`), human: true }),
  spaces: (a) => (THOUSANDS.test(a.trim()) ? null : { pred: boxed(a.replace(/([+\-,=])/g, " $1 ")), human: true }),
  left_right: (a) => (/[()]/.test(a) && !a.includes("\\left") ? { pred: boxed(a.replace(/\(/g, "\\left(").replace(/\)/g, "\\right)")), human: true } : null),
  unit_text: (a) => (INT.test(a) ? { pred: boxed(`${a} \\text{ cm}`), human: true } : null),
  dollars: (a) => (INT.test(a) && !a.startsWith("-") ? { pred: boxed(`\\$${a}`), human: true } : null),
  thousands: (a) => (INT.test(a) && Math.abs(Number(a)) >= 1000 ? { pred: boxed(Number(a).toLocaleString("en-US")), human: true } : null),
  int_point_zero: (a) => (INT.test(a) ? { pred: boxed(`${a}.0`), human: true } : null),
  decimal: (a) => {
    const m = FRAC.exec(a);
    if (!m) return null;
    const d = terminatingDecimal(Number(m[2]), Number(m[3]));
    return d === null ? null : { pred: boxed(`${m[1]}${d}`), human: true };
  },
  slash: (a) => {
    const m = FRAC.exec(a);
    return m ? { pred: boxed(`${m[1]}${m[2]}/${m[3]}`), human: true } : null;
  },
  frac_shorthand: (a) => (/\\frac\{\d\}\{\d\}/.test(a) ? { pred: boxed(a.replace(/\\frac\{(\d)\}\{(\d)\}/g, "\\frac$1$2")), human: true } : null),
  sqrt_shorthand: (a) => (/\\sqrt\{\d\}/.test(a) ? { pred: boxed(a.replace(/\\sqrt\{(\d)\}/g, "\\sqrt$1")), human: true } : null),
  reorder_list: (a, r) => {
    if (THOUSANDS.test(a.trim())) return null; // 58,500 and 10,\!080 are numbers
    if (/^[([{\\]/.test(a.trim()) && !a.startsWith("\\frac") && !a.startsWith("\\sqrt")) return null;
    const parts = topLevelSplit(a);
    if (parts.length < 2 || new Set(parts).size < 2) return null;
    let sh = shuffle(parts, r);
    if (sh.join(",") === parts.join(",")) sh = [...parts].reverse();
    return { pred: boxed(sh.join(", ")), human: true };
  },
  pi_times: (a) => {
    const m = /^(\d+)\s*\\pi$/.exec(a);
    return m ? { pred: boxed(`\\pi \\cdot ${m[1]}`), human: true } : null;
  },
  product_order: (a) => {
    const m = /^(\d+)\\sqrt\{(\d+)\}$/.exec(a.replace(/\s/g, ""));
    return m ? { pred: boxed(`\\sqrt{${m[2]}}\\cdot ${m[1]}`), human: true } : null;
  },
  trailing_sentence: (a) => (a.includes("$") || a.endsWith(".") ? null : { pred: `The answer is $${a}$. Let me double-check: it works.`, human: true }),
  degrees: (a) => (INT.test(a) ? { pred: boxed(`${a}^\\circ`), human: true } : null),
  percent_sign: (a) => (INT.test(a) ? { pred: boxed(`${a}\\%`), human: true } : null),
  corrected_box: (a, _r, pool) => ({ pred: `First guess: $\\boxed{${pool[0] === a ? pool[1] : pool[0]}}$. Wait, that is wrong. Correction: $\\boxed{${a}}$.`, human: true }),
  tfrac: (a) => (a.includes("\\frac") ? { pred: boxed(a.replace(/\\frac/g, "\\tfrac")), human: true } : null),
  fbox: (a) => ({ pred: `Final: \\fbox{${a}}`, human: true }),
  thin_space_thousands: (a) => (/^\d{4,}$/.test(a) ? { pred: boxed(a.replace(/(\d)(?=(\d{3})+(?!\d))/g, "$1\\,")), human: true } : null),
  scientific_e: (a) => {
    if (!/^[1-9]\d{2,}$/.test(a)) return null;
    const e = a.length - 1;
    const mant = `${a[0]}${a.length > 1 && /[1-9]/.test(a.slice(1)) ? `.${a.slice(1).replace(/0+$/, "")}` : ""}`;
    return { pred: boxed(`${mant}e${e}`), human: true };
  },
  scientific_times: (a) => {
    if (!/^[1-9]\d{2,}$/.test(a)) return null;
    const e = a.length - 1;
    const mant = `${a[0]}${/[1-9]/.test(a.slice(1)) ? `.${a.slice(1).replace(/0+$/, "")}` : ""}`;
    return { pred: boxed(`${mant}\\times 10^{${e}}`), human: true };
  },
  square_as_product: (a) => {
    const m = /(?<![\\a-zA-Z])([a-z])\^2(?![\d{])/.exec(a);
    return m ? { pred: boxed(a.replace(m[0], `${m[1]}(${m[1]})`)), human: true } : null;
  },
  last_number: (a) => (INT.test(a) ? { pred: `We add them up: 3 + 4 = 7, and after all the steps we get ${a}`, human: true } : null),
};

export const DIFFERENT: Record<string, Perturb> = {
  plus_one: (a) => (INT.test(a) ? { pred: boxed(String(BigInt(a) + 1n)), human: false } : null),
  close_big: (a) => (INT.test(a) && Math.abs(Number(a)) >= 10001 ? { pred: boxed(String(BigInt(a) - 1n)), human: false } : null),
  times_100: (a) => (INT.test(a) && a !== "0" ? { pred: boxed(String(BigInt(a) * 100n)), human: false } : null),
  over_100: (a) => (INT.test(a) && a !== "0" ? { pred: boxed(String(Number(a) / 100)), human: false } : null),
  rounded: (a) => {
    const m = FRAC.exec(a);
    if (!m) return null;
    const p = Number(m[2]);
    const q = Number(m[3]);
    if (terminatingDecimal(p, q) !== null) return null;
    return { pred: boxed(`${m[1]}${(p / q).toFixed(4)}`), human: false };
  },
  irrational_approx: (a) => {
    const m = /^(\d*)\s*\\(pi|sqrt\{(\d+)\})$/.exec(a.replace(/\s/g, ""));
    if (!m) return null;
    const k = m[1] === "" ? 1 : Number(m[1]);
    const v = m[2] === "pi" ? k * Math.PI : k * Math.sqrt(Number(m[3]));
    return { pred: boxed(v.toFixed(3)), human: false };
  },
  flip_bracket: (a) => {
    const m = /^([([])(.*)([)\]])$/.exec(a.trim());
    if (!m || topLevelSplit(m[2]!).length !== 2 || a.includes("\\cup")) return null;
    const open = m[1] === "(" ? "[" : "(";
    if (m[2]!.includes("\\infty") && open === "[" && m[2]!.trim().startsWith("-\\infty")) return null;
    return { pred: boxed(`${open}${m[2]}${m[3]}`), human: false };
  },
  swap_tuple: (a) => {
    const m = /^\((.*)\)$/.exec(a.trim());
    if (!m) return null;
    const parts = topLevelSplit(m[1]!);
    if (parts.length < 2 || parts[0] === parts[1]) return null;
    [parts[0], parts[1]] = [parts[1]!, parts[0]!];
    return { pred: boxed(`(${parts.join(", ")})`), human: false };
  },
  drop_solution: (a) => {
    if (/^\d{1,3}(,\d{3})+$/.test(a.trim())) return null;
    if (/^[([{\\]/.test(a.trim()) && !a.startsWith("\\frac") && !a.startsWith("\\sqrt")) return null;
    const parts = topLevelSplit(a);
    if (parts.length < 2 || new Set(parts).size < parts.length) return null;
    return { pred: boxed(parts.slice(0, -1).join(", ")), human: false };
  },
  negate: (a) => (/^\d/.test(a) && a !== "0" && !a.includes(",") && !a.includes("=") ? { pred: boxed(`-${a.includes("+") || a.includes("-") ? `(${a})` : a}`), human: false } : null),
  sqrt_plus: (a) => (/\\sqrt\{\d+\}/.test(a) ? { pred: boxed(a.replace(/\\sqrt\{(\d+)\}/, (_m, n: string) => `\\sqrt{${Number(n) + 1}}`)), human: false } : null),
  sign_flip: (a) => (/[a-z]\s*\+\s*[a-z0-9]/.test(a) ? { pred: boxed(a.replace("+", "-")), human: false } : null),
  other_answer: (a, r, pool) => {
    const other = pool[Math.floor(r() * pool.length)]!;
    const key = (s: string) => s.replace(/\\[dt]frac/g, "\\frac").replace(/\s|\\left|\\right|\\!|\\,/g, "");
    if (key(other) === key(a)) return null;
    if (INT.test(a) && INT.test(other)) return null; // covered by plus_one; keeps the mix varied
    return { pred: boxed(other), human: false };
  },
};

export interface SourceAnswer {
  gt: string;
  data_name: string;
}

/** Cases from the given answers: every applicable perturbation of a random subset. */
export function makeCases(answers: SourceAnswer[], seed: number, perAnswer = 3): BenchCase[] {
  const r = rng(seed);
  const pool = answers.map((x) => x.gt);
  const out: BenchCase[] = [];
  const all = [...Object.entries(EQUIVALENT), ...Object.entries(DIFFERENT)];
  answers.forEach((src, k) => {
    const applicable = shuffle(all, r)
      .map(([kind, f]) => [kind, f(src.gt, r, pool)] as const)
      .filter((x): x is readonly [string, { pred: string; human: boolean }] => x[1] !== null);
    // plain integers make most of the answers: keep a few of their cases, every case of the rest
    const take = INT.test(src.gt.trim()) ? perAnswer : 10;
    for (const [kind, p] of applicable.slice(0, take)) {
      out.push({ id: `${seed}-${k}-${kind}`, kind, pred_text: p.pred, gt: src.gt, data_name: src.data_name, human: p.human });
    }
  });
  return out;
}

/**
 * The toolkit's `convert_word_number`: it hands the whole (partly normalised) answer to the
 * word2number package and keeps the result when that does not raise. This module reproduces what
 * that package accepts and returns, because the toolkit's verdicts depend on it: any answer that
 * contains a whitespace-separated number word ("five", "hundred", "point", ...) collapses to that
 * number, and an all-digit answer loses its leading zeros ("007" -> "7").
 */
import { pyFloatRepr, pySplitWhitespace } from "./py-compat.ts";

const WORD_VALUES: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50,
  sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, thousand: 1000,
  million: 1_000_000, billion: 1_000_000_000,
};
const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

class NotANumber extends Error {}

/** Value of a group of number words ("three hundred forty" and the like), as word2number forms it. */
function groupValue(words: string[]): number {
  const n = words.map((w) => WORD_VALUES[w]!);
  if (n.length === 0) throw new NotANumber("empty group");
  if (n.length === 4) return n[0]! * n[1]! + n[2]! + n[3]!;
  if (n.length === 3) return n[0]! * n[1]! + n[2]!;
  if (n.length === 2) return n.includes(100) ? n[0]! * n[1]! : n[0]! + n[1]!;
  return n[0]!;
}

/** The number word2number reads from `sentence`, as Python would print it; throws if none. */
function wordToNumber(sentence: string): string {
  const text = sentence.replace(/-/g, " ").toLowerCase();
  if (/^[0-9]+$/.test(text)) return BigInt(text).toString();
  if (/^\p{Nd}+$/u.test(text)) throw new NotANumber("non-ASCII digits"); // int() would accept them; too rare to matter
  let words = pySplitWhitespace(text).filter((w) => w in WORD_VALUES || w === "point");
  if (words.length === 0) throw new NotANumber("no number words");
  for (const big of ["thousand", "million", "billion", "point"]) {
    if (words.filter((w) => w === big).length > 1) throw new NotANumber("redundant word");
  }
  let decimals: string[] = [];
  const point = words.indexOf("point");
  if (point >= 0) {
    decimals = words.slice(point + 1);
    words = words.slice(0, point);
  }
  const bi = words.indexOf("billion");
  const mi = words.indexOf("million");
  const th = words.indexOf("thousand");
  if ((th > -1 && (th < mi || th < bi)) || (mi > -1 && mi < bi)) throw new NotANumber("malformed");

  let total = 0;
  let isFloat = false;
  if (words.length === 1) {
    total += WORD_VALUES[words[0]!]!;
  } else if (words.length > 1) {
    if (bi > -1) total += groupValue(words.slice(0, bi)) * 1e9;
    if (mi > -1) total += groupValue(bi > -1 ? words.slice(bi + 1, mi) : words.slice(0, mi)) * 1e6;
    if (th > -1) {
      const from = mi > -1 ? mi + 1 : bi > -1 ? bi + 1 : 0;
      total += groupValue(words.slice(from, th)) * 1000;
    }
    let rest = 0;
    const last = words.length - 1;
    if (th > -1 && th !== last) rest = groupValue(words.slice(th + 1));
    else if (mi > -1 && mi !== last) rest = groupValue(words.slice(mi + 1));
    else if (bi > -1 && bi !== last) rest = groupValue(words.slice(bi + 1));
    else if (th === -1 && mi === -1 && bi === -1) rest = groupValue(words);
    total += rest;
  }
  if (decimals.length > 0) {
    if (decimals.every((w) => DIGIT_WORDS.includes(w))) {
      total += Number(`0.${decimals.map((w) => WORD_VALUES[w]!).join("")}`);
      isFloat = true;
    }
  }
  return isFloat ? pyFloatRepr(total) : String(total);
}

/**
 * For the strict grader: the number an answer names when it is made only of number words
 * ("three", "twenty-one", "one hundred and five"), else null. Unlike the toolkit's rule, a phrase
 * with any other word ("the three angles") names no number.
 */
export function numberPhraseValue(text: string): string | null {
  const words = text.toLowerCase().trim().split(/[\s-]+/).filter((w) => w !== "and");
  if (words.length === 0 || !words.every((w) => w in WORD_VALUES)) return null;
  try {
    return wordToNumber(words.join(" "));
  } catch (err) {
    if (err instanceof NotANumber) return null;
    throw err;
  }
}

/** The toolkit's convert_word_number: the number word2number finds, else the text unchanged. */
export function convertWordNumber(text: string): string {
  try {
    return wordToNumber(text);
  } catch (err) {
    if (err instanceof NotANumber) return text;
    throw err;
  }
}

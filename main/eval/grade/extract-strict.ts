/**
 * Extraction for the `strict` grader (docs/grading.md, "Extraction"):
 * 1. boxes: the last \boxed{} or \fbox{} (nested braces); when the completion ends with several
 *    boxes separated only by connectives ("$\boxed{2}$ and $\boxed{3}$", "x = \boxed{-1} or
 *    x = \boxed{4}"), together they are the answer, a list; a box left unclosed at the very end
 *    counts when what it holds is complete (its braces balance);
 * 2. else the sentence after the last "the answer is" / "final answer is" / "Final Answer:",
 *    up to its end or to an explanation or qualification ("because", "since", "but", ...), without
 *    markdown emphasis; when a correction follows ("wait", "actually", "reconsider", "mistake"),
 *    a number ending the finished completion after it replaces the stated answer;
 * 3. else GSM8K's "#### N";
 * 4. else the last number, but only when the completion is finished: it ends with a full stop or
 *    with a number that is not the right side of an unfinished computation. A completion cut off
 *    mid-sentence has no answer.
 * Unlike the toolkit it never runs past the end of the answer's sentence, and it does not delete
 * unit words from the answer (strictNormalize removes units only where they cannot be mathematics).
 */
import { CHOICE_DATASETS, choiceAnswerClean } from "./extract.ts";
import { strictNormalize } from "./strict-normalize.ts";

function afterLast(text: string, marker: RegExp): string | null {
  let found: RegExpExecArray | null = null;
  for (const m of text.matchAll(marker)) found = m;
  if (!found) return null;
  return text.slice(found.index + found[0].length);
}

/** Where an explanation starts after an answer: "12 because 3 x 4 = 12" is 12. */
const EXPLANATION = /(?:,\s*|\s+)(?:because|since|as|which|where|given that|due to|so that|from|but|however|though|although)\b/;

/**
 * Words that withdraw an answer stated earlier ("the answer is 9, but let me reconsider ...
 * Actually it is 10."): after one, a number that ends the finished completion replaces it.
 */
const CORRECTION = /\b(?:wait|actually|reconsider|re-?check|mistake|I made an error|that is wrong|that's wrong|incorrect)\b/i;

/** The answer sentence after a marker: up to a blank line, a newline, or a full stop and space. */
function sentence(rest: string): string {
  let s = rest.replace(/^(?:[\s:*]|__)+/, "");
  const dollar = /^\$([^$]*)\$/.exec(s) ?? /^\\\((.*?)\\\)/.exec(s) ?? /^\\\[(.*?)\\\]/s.exec(s);
  if (dollar) return dollar[1]!;
  s = s.split(/\n/)[0]!;
  const stop = /\.(?:\s|$)/.exec(s);
  if (stop) s = s.slice(0, stop.index);
  const why = EXPLANATION.exec(s);
  if (why && why.index > 0) s = s.slice(0, why.index);
  // markdown emphasis around the answer is formatting: "the answer is **9**."
  s = s.replace(/\s*(?:\*+|_{2,})\s*$/, "");
  return s.replace(/\\?\$/g, (m) => (m === "\\$" ? "\\$" : ""));
}

interface Box {
  start: number;
  end: number;
  content: string;
  closed: boolean;
}

/** Every \boxed{} / \fbox{} of the text, in order (a box without braces holds one token). */
function boxes(text: string): Box[] {
  const out: Box[] = [];
  const re = /\\(?:boxed|fbox)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let k = m.index + m[0].length;
    if (text[k] === " " || (text[k] !== "{" && /[0-9A-Za-z-]/.test(text[k] ?? ""))) {
      const tok = /^\s*([^\s$]+)/.exec(text.slice(k));
      if (tok) out.push({ start: m.index, end: k + tok[0].length, content: tok[1]!.replace(/[.,]$/, ""), closed: true });
      continue;
    }
    if (text[k] !== "{") continue;
    let depth = 0;
    let close = -1;
    for (; k < text.length; k++) {
      if (text[k] === "{") depth++;
      else if (text[k] === "}" && --depth === 0) {
        close = k;
        break;
      }
    }
    const open = m.index + m[0].length;
    if (close < 0) {
      out.push({ start: m.index, end: text.length, content: text.slice(open + 1), closed: false });
      break;
    }
    out.push({ start: m.index, end: close + 1, content: text.slice(open + 1, close), closed: true });
    re.lastIndex = close + 1;
  }
  return out;
}

/** Text between two boxes that only joins them: "$ and $", ", ", "$ or $x = ". */
const CONNECTIVE = /^[\s$,;]*(?:(?:and|or|\\text\{\s*(?:and|or)\s*\}|\\quad|\\qquad|&)[\s$,;]*)?(?:\\?\(?\s*[a-zA-Z](?:_\{?\w+\}?)?\s*=\s*)?[\s$]*$/;

function braceBalanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return false;
  }
  return depth === 0;
}

/** The boxed answer (several boxes at the end joined as a list), or null when there is none. */
function boxedAnswer(text: string): string | null {
  const all = boxes(text);
  if (all.length === 0) return null;
  const last = all[all.length - 1]!;
  if (!last.closed) {
    // unclosed: only at the very end, and only if what it holds is complete
    const content = last.content.replace(/[\s$.]+$/, "");
    return braceBalanced(content) && content.trim() !== "" ? content : "";
  }
  const run = [last];
  for (let k = all.length - 2; k >= 0; k--) {
    const gap = text.slice(all[k]!.end, run[0]!.start);
    if (!CONNECTIVE.test(gap)) break;
    run.unshift(all[k]!);
  }
  // the same answer boxed twice in a row is one answer
  const contents = [...new Set(run.map((b) => b.content.trim()))];
  return contents.join(", ");
}

/** Words after which a sentence cannot end: a completion that stops on one was cut off. */
const CONTINUES =
  /^(?:by|to|of|the|a|an|and|or|then|is|are|was|be|get|gives|giving|equals|from|with|for|into|times|plus|minus|over|that|which|so|we|it|as|at|leaving|making|yielding|obtain|find|have|has|its|their|this|these|each|per)$/i;

/** The last number of a finished completion, or "" when it was cut off before an answer. */
function lastNumber(text: string): string {
  const t = text.trim().replace(/[*\s]+$/, "");
  const numbers = [...t.matchAll(/-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d*\.?\d+/g)];
  if (numbers.length === 0) return "";
  const last = numbers[numbers.length - 1]!;
  const finished = /[.!。]\$?$/.test(t) || /\$$/.test(t);
  const before = t.slice(0, last.index).trimEnd();
  const after = t.slice(last.index + last[0].length).trim();
  const midComputation = /[=+\-*/×÷^]$|\\(?:times|cdot|div)$/.test(before);
  // "we get 42", "7 apples in total" end a thought; "then multiply by", "leaving" do not
  const words = after === "" ? [] : after.split(/\s+/);
  const trailing = words.length <= 3 && words.every((w) => /^[A-Za-z]+$/.test(w)) && !CONTINUES.test(words[words.length - 1] ?? "");
  if (!finished && (midComputation || !trailing)) return "";
  return last[0].replace(/,/g, "");
}

export function extractAnswerStrict(predText: string, dataName = "math"): string {
  const text = predText.replace(/\u043a\u0438/g, "");
  if ((CHOICE_DATASETS as readonly string[]).includes(dataName)) return choiceAnswerClean(text);
  const boxed = boxedAnswer(text);
  if (boxed !== null) return strictNormalize(boxed);
  const said = afterLast(text, /(?:[Tt]he (?:final )?answer is|[Ff]inal [Aa]nswer:|\*\*Final Answer\*\*:?)/g);
  if (said !== null) {
    const correction = CORRECTION.exec(said);
    const replaced = correction ? lastNumber(said.slice(correction.index)) : "";
    return replaced !== "" ? replaced : strictNormalize(sentence(said));
  }
  const hashes = afterLast(text, /####/g);
  if (hashes !== null) return strictNormalize(hashes.trim().split(/\s/)[0]!.replace(/,/g, ""));
  return lastNumber(text);
}

/**
 * The choice a completion states in words ("which is option (B)", "the answer is (B)"): the last
 * such letter, or null. Used when the ground truth is a letter and the box holds the option's value.
 */
export function statedChoice(predText: string): string | null {
  // only a letter the completion says it chooses: a listing of the options "(A) 1 (B) 2" is no choice
  // formatting around the letter is not part of it: "is \textbf{(A)}", "is **(A)**"
  const plain = predText.replace(/\\(?:textbf|text|mathbf|mathrm|boxed)\s*\{([^{}]*)\}/g, "$1").replace(/\*\*|__/g, "");
  const found = [...plain.matchAll(/\b(?:(?:option|choice|answer|one)(?:\s+is|:)?|which is)\s*\(?([A-E])\)?(?![A-Za-z])/g)];
  return found.length > 0 ? found[found.length - 1]![1]! : null;
}

/** The ground truth as the strict grader reads it (GSM8K's "#### N", OlympiadBench's "$...$"). */
export function groundTruthStrict(gt: unknown, dataName = "math"): string {
  let text = typeof gt === "number" ? String(gt) : String(gt ?? "");
  if (dataName === "gsm8k" && text.includes("####")) text = text.split("####")[1]!;
  if (text.includes("\\boxed") || text.includes("\\fbox")) text = boxedAnswer(text) ?? text;
  return strictNormalize(text.replace(/^\$+|\$+$/g, ""));
}

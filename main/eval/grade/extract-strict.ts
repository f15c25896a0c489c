/**
 * Extraction for the `strict` grader: the last \boxed{} or \fbox{} (nested braces), else the
 * sentence after "the answer is", else GSM8K's "#### N", else the last number of the text (its
 * thousands separators removed). Unlike the toolkit it never runs past the end of the answer's
 * sentence, and it does not delete unit words from the answer (strictNormalize removes units only
 * where they cannot be mathematics).
 */
import { CHOICE_DATASETS, choiceAnswerClean, lastBoxedContent, lastBoxedOnlyString } from "./extract.ts";
import { strictNormalize } from "./strict-normalize.ts";

function afterLast(text: string, marker: RegExp): string | null {
  let found: RegExpExecArray | null = null;
  for (const m of text.matchAll(marker)) found = m;
  if (!found) return null;
  return text.slice(found.index + found[0].length);
}

/** The answer sentence after a marker: up to a blank line, a newline, or a full stop and space. */
function sentence(rest: string): string {
  let s = rest.replace(/^[\s:]+/, "");
  const dollar = /^\$([^$]*)\$/.exec(s) ?? /^\\\((.*?)\\\)/.exec(s) ?? /^\\\[(.*?)\\\]/s.exec(s);
  if (dollar) return dollar[1]!;
  s = s.split(/\n/)[0]!;
  const stop = /\.(?:\s|$)/.exec(s);
  if (stop) s = s.slice(0, stop.index);
  return s.replace(/\$/g, "");
}

export function extractAnswerStrict(predText: string, dataName = "math"): string {
  const text = predText.replace(/\u043a\u0438/g, "");
  if ((CHOICE_DATASETS as readonly string[]).includes(dataName)) return choiceAnswerClean(text);
  const box = lastBoxedOnlyString(text);
  const boxed = lastBoxedContent(text);
  if (box !== null && boxed !== null) {
    // "\boxed 7 and more": without braces the box holds one token
    const content = /^\\(?:boxed|fbox) /.test(box) ? boxed.trim().split(/\s+/)[0]! : boxed;
    return strictNormalize(content);
  }
  const said = afterLast(text, /(?:[Tt]he (?:final )?answer is|[Ff]inal [Aa]nswer:)/g);
  if (said !== null) return strictNormalize(sentence(said));
  const hashes = afterLast(text, /####/g);
  if (hashes !== null) return strictNormalize(hashes.trim().split(/\s/)[0]!.replace(/,/g, ""));
  const numbers = [...text.matchAll(/-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d*\.?\d+/g)].map((m) => m[0].replace(/,/g, ""));
  return numbers.length > 0 ? numbers[numbers.length - 1]! : "";
}

/** The ground truth as the strict grader reads it (GSM8K's "#### N", OlympiadBench's "$...$"). */
export function groundTruthStrict(gt: unknown, dataName = "math"): string {
  let text = typeof gt === "number" ? String(gt) : String(gt ?? "");
  if (dataName === "gsm8k" && text.includes("####")) text = text.split("####")[1]!;
  if (text.includes("\\boxed") || text.includes("\\fbox")) text = lastBoxedContent(text) ?? text;
  return strictNormalize(text.replace(/^\$+|\$+$/g, ""));
}

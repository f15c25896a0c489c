/**
 * Spearman's rank correlation ρ with tie correction: replace each sample by its average ranks
 * (ties share the mean of the ranks they span) and take Pearson's r of the two rank vectors.
 * This equals scipy.stats.spearmanr. The textbook shortcut 1 − 6Σd²/(n(n² − 1)) is the same
 * number only when there are no ties, so it is not used.
 * Null when undefined: fewer than two pairs, or either sample constant (all ranks equal).
 */
import { pearson } from "./pearson.ts";
import { averageRanks } from "./rank.ts";
import { assertSameLength } from "./validate.ts";

export function spearman(x: readonly number[], y: readonly number[]): number | null {
  assertSameLength("spearman", x, y);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Step boundaries are found on decoded text, not token ids: BPE tokenizers merge "\n\n" with its
 * neighbours (".\n\n", "\n\n\n", "():\n") and a boundary can fall inside a token or across two.
 *
 * `StepText` accumulates a step's tokens, decodes them incrementally (holding back bytes of an
 * unfinished multi-byte character) and reports the first stop string with the text before it.
 */
export interface Decoder {
  decode(ids: readonly number[]): string;
}

export interface StopHit {
  /** The step's text up to (not including) the stop string. */
  text: string;
  stop: string;
  /** Text generated after the stop string inside the last token(s): dropped from the step. */
  overhang: string;
}

const REPLACEMENT = "\uFFFD";

export class StepText {
  private readonly ids: number[] = [];
  private emitted = "";
  // Incremental detokenization as streaming servers do it: decode a short window that starts one
  // token before the unread ones, so decoders that look at their left neighbour (Metaspace's
  // leading space) and characters split over byte tokens both come out right.
  private prefixOffset = 0;
  private readOffset = 0;
  private readonly maxStop: number;

  constructor(
    private readonly decoder: Decoder,
    private readonly stops: readonly string[],
  ) {
    this.maxStop = stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /** The text so far (an unfinished multi-byte character is held back). */
  get text(): string {
    return this.emitted;
  }

  get tokenIds(): readonly number[] {
    return this.ids;
  }

  /** Adds one token; returns the stop found, if the text now contains one. */
  push(id: number): StopHit | null {
    const before = this.emitted.length;
    this.ids.push(id);
    const prefixText = this.decoder.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const newText = this.decoder.decode(this.ids.slice(this.prefixOffset));
    if (newText.length > prefixText.length && !newText.endsWith(REPLACEMENT)) {
      this.emitted += newText.slice(prefixText.length);
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
    }
    if (this.stops.length === 0 || this.emitted.length === before) return null;
    const text = this.emitted;
    const from = Math.max(0, before - this.maxStop + 1);
    let bestAt = -1;
    let bestStop = "";
    for (const stop of this.stops) {
      const at = text.indexOf(stop, from);
      if (at >= 0 && (bestAt < 0 || at < bestAt)) {
        bestAt = at;
        bestStop = stop;
      }
    }
    if (bestAt < 0) return null;
    return { text: text.slice(0, bestAt), stop: bestStop, overhang: text.slice(bestAt + bestStop.length) };
  }
}

/**
 * A decoder's KV cache: past_key_values.{i}.key|value, each [1, kv_heads, length, head_dim], plus
 * its length. Built empty from the graph's metadata, advanced by the graph's `present.*` outputs
 * after each run, and cropped to an accepted prefix when a generated step is discarded.
 *
 * The cache lives in two preallocated buffers per tensor (ping-pong): a run reads the past from one
 * and onnxruntime writes the present into the other (preallocated outputs), so the cache never
 * has to take over buffers the runtime allocated (`npm run bench:engine`,
 * preallocated_vs_allocated_per_run, compares the two). The onnxruntime-node binding still returns
 * every output in a fresh buffer as well, a copy of what it wrote into ours (the demo draft: 80 of
 * 80 presents in one step came back in other buffers with the same contents; 831 of 831 in an
 * earlier count): a decode step allocates about its presents' size either way, and the garbage
 * collector pays for it during whatever runs next (docs/sweeps.md).
 */
import type { KvType } from "./graph-check.ts";
import type { Tensor, TypedArray } from "./ort.ts";
import { makeTensor } from "./ort.ts";

export interface CacheLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: KvType;
}

type CacheArray = Float32Array | Uint16Array;

function allocate(type: KvType, size: number): CacheArray {
  // onnxruntime-node represents float16 data as raw 16-bit words.
  return type === "float16" ? new Uint16Array(size) : new Float32Array(size);
}

export function pastName(layer: number, kind: "key" | "value"): string {
  return `past_key_values.${layer}.${kind}`;
}

export function presentName(layer: number, kind: "key" | "value"): string {
  return `present.${layer}.${kind}`;
}

/** Room for this many positions is reserved before the first run; buffers then grow by doubling. */
const MIN_CAPACITY = 64;

export class KvCache {
  private readonly names: { past: string; present: string }[] = [];
  /** buffers[side][entry]: the two sides alternate between holding the past and receiving the present. */
  private readonly buffers: [CacheArray[], CacheArray[]] = [[], []];
  private readonly capacity: [number, number] = [0, 0];
  private side: 0 | 1 = 0;
  private len = 0;
  private past: Tensor[] = [];
  private pending: { tensors: Tensor[]; length: number } | null = null;

  constructor(private readonly layout: CacheLayout) {
    for (let i = 0; i < layout.layers; i++) {
      for (const kind of ["key", "value"] as const) this.names.push({ past: pastName(i, kind), present: presentName(i, kind) });
    }
    this.reset();
  }

  get length(): number {
    return this.len;
  }

  /** Back to an empty cache (a past of length 0); the buffers are kept for reuse. */
  reset(): void {
    this.len = 0;
    this.pending = null;
    this.past = this.names.map(() => this.empty());
  }

  /** Frees the buffers (after dispose the cache is empty and allocates again on use). */
  release(): void {
    this.buffers[0] = [];
    this.buffers[1] = [];
    this.capacity[0] = 0;
    this.capacity[1] = 0;
    this.reset();
  }

  /** Adds the cache to a feed object (views of the buffers: no copies). */
  addTo(feeds: Record<string, Tensor>): void {
    this.names.forEach((n, i) => {
      feeds[n.past] = this.past[i] as Tensor;
    });
  }

  /**
   * Preallocated `present.*` outputs for a run that feeds `newTokens` more positions, to pass as the
   * run's fetches; `commit` then makes them the cache.
   */
  outputsFor(newTokens: number, fetches: Record<string, Tensor | null>): void {
    const length = this.len + newTokens;
    const spare = (1 - this.side) as 0 | 1;
    this.ensureCapacity(spare, length);
    const tensors = this.names.map((n, i) => (fetches[n.present] = this.viewOf(spare, i, length)));
    this.pending = { tensors, length };
  }

  /** After a run given `outputsFor`'s fetches: the presents it wrote become the past. */
  commit(): void {
    if (!this.pending) throw new Error("KvCache.commit without outputsFor");
    this.past = this.pending.tensors;
    this.len = this.pending.length;
    this.side = (1 - this.side) as 0 | 1;
    this.pending = null;
  }

  /** Takes `present.*` outputs that onnxruntime allocated itself (graphs whose outputs can't be preallocated). */
  update(outputs: Record<string, Tensor>): void {
    let length = -1;
    const past = this.names.map((n) => {
      const t = outputs[n.present];
      if (!t) throw new Error(`graph output ${n.present} missing after run`);
      length = t.dims[2] as number;
      return t;
    });
    this.past = past;
    this.len = Math.max(length, 0);
    this.pending = null;
  }

  /**
   * Keeps the first `n` positions. The time axis is not the outermost one, so each head's slice
   * moves down in place (never onto a later head's unread data): O(n), no allocation.
   */
  crop(n: number): void {
    if (n >= this.len) return;
    if (n <= 0) {
      this.reset();
      return;
    }
    const { kvHeads, headDim } = this.layout;
    const keep = n * headDim;
    this.past = this.past.map((t) => {
      const data = t.data as CacheArray;
      const oldLen = t.dims[2] as number;
      const base = data.byteOffset / data.BYTES_PER_ELEMENT;
      const whole = new (data.constructor as Float32ArrayConstructor)(data.buffer, 0, base + kvHeads * oldLen * headDim) as CacheArray;
      for (let h = 1; h < kvHeads; h++) {
        const from = base + h * oldLen * headDim;
        whole.copyWithin(base + h * keep, from, from + keep);
      }
      return makeTensor(this.layout.kvType, whole.subarray(base, base + kvHeads * keep) as TypedArray, [1, kvHeads, n, headDim]);
    });
    this.len = n;
  }

  /** Bytes held, for memory reports. */
  byteSize(): number {
    let total = 0;
    for (const side of this.buffers) for (const b of side) total += b.byteLength;
    for (const t of this.past) {
      const d = t.data as CacheArray;
      if (!this.buffers.some((side) => side.some((b) => b.buffer === d.buffer))) total += d.byteLength;
    }
    return total;
  }

  private ensureCapacity(side: 0 | 1, positions: number): void {
    if (this.capacity[side] >= positions) return;
    const { kvHeads, headDim, kvType } = this.layout;
    const cap = Math.max(positions, MIN_CAPACITY, this.capacity[side] * 2);
    this.buffers[side] = this.names.map(() => allocate(kvType, kvHeads * cap * headDim));
    this.capacity[side] = cap;
  }

  private viewOf(side: 0 | 1, entry: number, length: number): Tensor {
    const { kvHeads, headDim, kvType } = this.layout;
    const buf = this.buffers[side][entry] as CacheArray;
    return makeTensor(kvType, buf.subarray(0, kvHeads * length * headDim) as TypedArray, [1, kvHeads, length, headDim]);
  }

  private empty(): Tensor {
    const { kvHeads, headDim, kvType } = this.layout;
    return makeTensor(kvType, allocate(kvType, 0) as TypedArray, [1, kvHeads, 0, headDim]);
  }
}

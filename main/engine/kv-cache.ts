/**
 * A decoder's KV cache: a flat map of named tensors (past_key_values.{i}.key|value, each
 * [1, kv_heads, length, head_dim]) plus its length. Built empty from the graph's metadata, replaced
 * by the graph's `present.*` outputs after each run, and cropped to an accepted prefix when a
 * generated step is discarded.
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

export class KvCache {
  private entries = new Map<string, Tensor>();
  private len = 0;

  constructor(private readonly layout: CacheLayout) {
    this.reset();
  }

  get length(): number {
    return this.len;
  }

  /** Back to an empty cache (a past of length 0). */
  reset(): void {
    const { layers, kvHeads, headDim, kvType } = this.layout;
    for (let i = 0; i < layers; i++) {
      for (const kind of ["key", "value"] as const) {
        this.entries.set(pastName(i, kind), makeTensor(kvType, allocate(kvType, 0), [1, kvHeads, 0, headDim]));
      }
    }
    this.len = 0;
  }

  /** Adds the cache to a feed object (by reference: no copies). */
  addTo(feeds: Record<string, Tensor>): void {
    for (const [name, t] of this.entries) feeds[name] = t;
  }

  /** Takes the graph's present.* outputs as the new cache. */
  update(outputs: Record<string, Tensor>): void {
    const { layers } = this.layout;
    let length = -1;
    for (let i = 0; i < layers; i++) {
      for (const kind of ["key", "value"] as const) {
        const t = outputs[presentName(i, kind)];
        if (!t) throw new Error(`graph output ${presentName(i, kind)} missing after run`);
        this.entries.set(pastName(i, kind), t);
        length = t.dims[2] as number;
      }
    }
    this.len = Math.max(length, 0);
  }

  /**
   * Keeps the first `n` positions. The time axis is not the outermost one, so each head's slice is
   * copied into a new buffer: O(cache size), paid once per rollback, not per token.
   */
  crop(n: number): void {
    if (n >= this.len) return;
    if (n <= 0) {
      this.reset();
      return;
    }
    const { kvHeads, headDim, kvType } = this.layout;
    for (const [name, t] of this.entries) {
      const src = t.data as CacheArray;
      const oldLen = t.dims[2] as number;
      const dst = allocate(kvType, kvHeads * n * headDim);
      const keep = n * headDim;
      for (let h = 0; h < kvHeads; h++) {
        const from = h * oldLen * headDim;
        dst.set(src.subarray(from, from + keep), h * keep);
      }
      this.entries.set(name, makeTensor(kvType, dst as TypedArray, [1, kvHeads, n, headDim]));
    }
    this.len = n;
  }

  /** Bytes held, for memory reports. */
  byteSize(): number {
    let total = 0;
    for (const t of this.entries.values()) total += (t.data as CacheArray).byteLength;
    return total;
  }
}

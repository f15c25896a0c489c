/**
 * A small seeded pseudo-random number generator, identical on every platform and in both the Node
 * side and the renderer: all arithmetic is 32-bit integer arithmetic (`Math.imul`, `>>>`), and
 * floats are built from integers by exact division by a power of two.
 *
 * - Generator: xoshiro128** (Blackman & Vigna), 128 bits of state, period 2^128 − 1.
 * - Seeding: a 32-bit seed expands into the four state words through a Weyl sequence (step
 *   0x9E3779B9) passed through the MurmurHash3 32-bit finalizer, which is a bijection, so the
 *   state words are distinct and never all zero.
 * - `hashSeed(...parts)`: FNV-1a (32-bit) over an unambiguous byte encoding of the parts (each
 *   part: a type tag, a 4-byte length, its UTF-8 bytes; numbers as their canonical JS string),
 *   then the MurmurHash3 finalizer for avalanche. `hashSeed("a", "bc")`, `hashSeed("ab", "c")`,
 *   `hashSeed(1)` and `hashSeed("1")` are all different seeds.
 */
import { usageError } from "./validate.ts";

export interface Rng {
  /** Next raw output: an integer in [0, 2^32). */
  uint32(): number;
  /** A float uniform in [0, 1) with 53 random bits. */
  float(): number;
  /** An integer uniform in [min, maxExclusive), without modulo bias. Needs maxExclusive − min in [1, 2^32]. */
  int(min: number, maxExclusive: number): number;
  /** A copy of the four state words: `rngFromState(rng.getState())` continues the same stream. */
  getState(): [number, number, number, number];
}

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_26 = 0x400_0000;
const TWO_POW_53 = 2 ** 53;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 with good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isUint32(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0 && x < TWO_POW_32;
}

/** A generator that starts from the given xoshiro128** state (four uint32 words, not all zero). */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  if (state.length !== 4 || !state.every(isUint32)) {
    throw usageError(`rngFromState: expected four integers in [0, 2^32), found [${state.join(", ")}]`);
  }
  if (state.every((w) => w === 0)) {
    throw usageError("rngFromState: the state must not be all zero (xoshiro would output only zeros)");
  }
  let [s0, s1, s2, s3] = state;

  function uint32(): number {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  }

  function float(): number {
    const hi = uint32() >>> 5; // 27 bits
    const lo = uint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  function int(min: number, maxExclusive: number): number {
    const range = maxExclusive - min;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive) || range < 1 || range > TWO_POW_32) {
      throw usageError(
        `Rng.int: expected integers with 1 <= maxExclusive - min <= 2^32, found min=${min}, maxExclusive=${maxExclusive}`,
      );
    }
    // Rejection sampling: accept only draws below the largest multiple of `range`.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let x = uint32();
    while (x >= limit) x = uint32();
    return min + (x % range);
  }

  return { uint32, float, int, getState: () => [s0, s1, s2, s3] };
}

/** A generator seeded by a 32-bit integer (use `hashSeed` to derive one from anything else). */
export function createRng(seed: number): Rng {
  if (!isUint32(seed)) {
    throw usageError(`createRng: expected a seed integer in [0, 2^32), found ${String(seed)}; use hashSeed(...) for other values`);
  }
  const words: [number, number, number, number] = [0, 0, 0, 0];
  let weyl = seed;
  for (let i = 0; i < 4; i++) {
    weyl = (weyl + 0x9e3779b9) >>> 0;
    words[i] = fmix32(weyl);
  }
  return rngFromState(words);
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as the WHATWG encoder does). */
function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else {
      out.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    }
  }
  return out;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1aUpdate(h: number, bytes: readonly number[]): number {
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

/** FNV-1a, 32-bit, over the UTF-8 bytes of a string. Exported for its published test vectors. */
export function fnv1a32(s: string): number {
  return fnv1aUpdate(FNV_OFFSET_BASIS, utf8Bytes(s));
}

/**
 * A 32-bit seed from any list of strings and finite numbers, e.g. `hashSeed(seed, "draft", context)`.
 * Same parts → same seed, on every platform; order, types and boundaries between parts all count.
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = FNV_OFFSET_BASIS;
  for (const part of parts) {
    let tag: number;
    let text: string;
    if (typeof part === "string") {
      tag = 1;
      text = part;
    } else if (typeof part === "number" && Number.isFinite(part)) {
      tag = 2;
      text = String(part); // canonical per ECMAScript Number::toString; String(-0) === "0"
    } else {
      throw usageError(`hashSeed: expected strings or finite numbers, found ${String(part)}`);
    }
    const bytes = utf8Bytes(text);
    const n = bytes.length;
    h = fnv1aUpdate(h, [tag, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
    h = fnv1aUpdate(h, bytes);
  }
  return fmix32(h);
}

/** A new array with the items in uniformly random order (Fisher–Yates); the input is untouched. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * `k` items drawn without replacement, each k-subset equally likely, in random order (a partial
 * Fisher–Yates shuffle). Throws when k is not an integer in [0, items.length].
 */
export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  if (!Number.isInteger(k) || k < 0 || k > items.length) {
    throw usageError(`sample: expected k an integer in [0, ${items.length}], found ${String(k)}`);
  }
  const pool = items.slice();
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, pool.length);
    const tmp = pool[i] as T;
    pool[i] = pool[j] as T;
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}

import { useEffect, useState } from "react";

/** `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export type Async<T> = { state: "idle" } | { state: "loading" } | { state: "ok"; value: T } | { state: "error"; error: unknown };

/**
 * The result of `run(key)` for the latest key; earlier answers that arrive late are dropped. A null
 * key means "nothing to ask" (idle).
 */
export function useAsync<K, T>(key: K | null, run: (key: K) => Promise<T>, keyString: (key: K) => string = (k) => JSON.stringify(k)): Async<T> {
  const [result, setResult] = useState<Async<T>>({ state: "idle" });
  const ks = key === null ? null : keyString(key);
  useEffect(() => {
    if (key === null) {
      setResult({ state: "idle" });
      return;
    }
    let live = true;
    setResult({ state: "loading" });
    run(key).then(
      (value) => live && setResult({ state: "ok", value }),
      (error: unknown) => live && setResult({ state: "error", error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the key's string form
  }, [ks]);
  return result;
}

/** React hooks over the store: re-render when the rows a query reads change (Dexie liveQuery). */
import { liveQuery } from "dexie";
import { useEffect, useState } from "react";

export function useLive<T>(query: () => Promise<T>, deps: readonly unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (v) => setValue(v),
      error: (err: unknown) => console.error("store query failed", err),
    });
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller lists what the query reads
  }, deps);
  return value;
}

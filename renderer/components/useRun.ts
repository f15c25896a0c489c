import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import type { RunRow } from "../store/schema.ts";

/** The stored run `id` (undefined while loading, null when the store has none). */
export function useRun(id: string | null): RunRow | null | undefined {
  const { db } = useApp();
  return useLive<RunRow | null | undefined>(async () => (id === null ? null : ((await db.runs.get(id)) ?? null)), [db, id], undefined);
}

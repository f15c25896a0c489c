import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import type { RunPageInput } from "../../renderer/store/import-run.ts";
import { openWorkbenchDb, type WorkbenchDb } from "../../renderer/store/schema.ts";
import type { ProblemRecord, SweepSummary } from "../../shared/results.ts";

/** A store on a fresh in-memory IndexedDB (fake-indexeddb): tests never share data. */
export function freshDb(name = "test"): { db: WorkbenchDb; factory: InstanceType<typeof IDBFactory> } {
  const factory = new IDBFactory();
  return { db: openWorkbenchDb(name, { indexedDB: factory, IDBKeyRange }), factory };
}

/** Serves records the way runs.load does: pages of `pageSize` with nextOffset. */
export function pagedLoader(dir: string, run: Record<string, unknown>, summary: (SweepSummary & { complete?: boolean }) | null, records: ProblemRecord[], pageSize: number) {
  const calls: number[] = [];
  const load = async (offset: number): Promise<RunPageInput> => {
    calls.push(offset);
    const page = records.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return { dir, run, summary, records: page, offset, total: records.length, nextOffset: next < records.length ? next : null, skipped: [] };
  };
  return { load, calls };
}

/** A select of the runs in the store. */
import { useApp } from "../app/context.tsx";
import { useLive } from "../app/live.ts";
import { listRuns } from "../store/queries.ts";
import type { RunRow } from "../store/schema.ts";

export function useStoredRuns(): RunRow[] | null {
  const { db } = useApp();
  return useLive<RunRow[] | null>(() => listRuns(db), [db], null);
}

export function RunPicker({ value, onChange, label = "Run", exclude }: { value: string | null; onChange: (id: string) => void; label?: string; exclude?: string | null }) {
  const runs = useStoredRuns() ?? [];
  const id = `run-picker-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="row">
      <label htmlFor={id}>
        <b>{label}</b>
      </label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value)} style={{ minWidth: 320, width: "auto" }}>
        <option value="" disabled>
          {runs.length === 0 ? "no run stored yet" : "choose a run"}
        </option>
        {runs
          .filter((r) => r.id !== exclude)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} — {r.startedAt ? new Date(r.startedAt).toLocaleString() : r.dir}
            </option>
          ))}
      </select>
    </div>
  );
}

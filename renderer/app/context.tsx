/** What every screen reaches: the API client, the store, the jobs, and what the main side said about itself. */
import { createContext, useContext } from "react";
import type { ApiClient, MethodOutput } from "../../shared/api/index.ts";
import type { WorkbenchDb } from "../store/schema.ts";
import type { Jobs } from "./jobs.ts";

export type AppInfo = MethodOutput<"app.info">;

export interface AppContextValue {
  api: ApiClient;
  db: WorkbenchDb;
  jobs: Jobs;
  info: AppInfo | null;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (ctx === null) throw new Error("useApp outside <App>");
  return ctx;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const kind = (err as { kind?: unknown }).kind;
    return typeof kind === "string" ? `${kind}: ${err.message}` : err.message;
  }
  return String(err);
}

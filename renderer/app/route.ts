/**
 * Hash routes (#/plots/<run>): the page's query string holds the serve-mode token, so routes live
 * in the hash, survive a reload, and never reach the server.
 */
import { useEffect, useState } from "react";

export type Route =
  | { screen: "setup" }
  | { screen: "runs" }
  | { screen: "plots"; runId: string | null }
  | { screen: "compare"; a: string | null; b: string | null }
  | { screen: "trace"; runId: string | null; configId: string | null; problemId: string | null }
  | { screen: "export"; runId: string | null };

export const SCREENS = [
  { screen: "setup", label: "Setup" },
  { screen: "runs", label: "Runs" },
  { screen: "plots", label: "Plots" },
  { screen: "compare", label: "Compare" },
  { screen: "trace", label: "Trace" },
  { screen: "export", label: "Export" },
] as const;

const dec = (s: string | undefined): string | null => (s === undefined || s === "" ? null : decodeURIComponent(s));

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/");
  const q = new URLSearchParams(query);
  switch (parts[0]) {
    case "runs":
      return { screen: "runs" };
    case "plots":
      return { screen: "plots", runId: dec(parts[1]) };
    case "compare":
      return { screen: "compare", a: dec(parts[1]), b: dec(parts[2]) };
    case "trace":
      return { screen: "trace", runId: dec(parts[1]), configId: q.get("config"), problemId: q.get("problem") };
    case "export":
      return { screen: "export", runId: dec(parts[1]) };
    default:
      return { screen: "setup" };
  }
}

export function routeHash(r: Route): string {
  const enc = (s: string | null) => (s === null ? "" : encodeURIComponent(s));
  switch (r.screen) {
    case "setup":
    case "runs":
      return `#/${r.screen}`;
    case "plots":
    case "export":
      return `#/${r.screen}/${enc(r.runId)}`;
    case "compare":
      return `#/compare/${enc(r.a)}/${enc(r.b)}`;
    case "trace": {
      const q = new URLSearchParams();
      if (r.configId) q.set("config", r.configId);
      if (r.problemId) q.set("problem", r.problemId);
      const qs = q.toString();
      return `#/trace/${enc(r.runId)}${qs ? `?${qs}` : ""}`;
    }
  }
}

export function navigate(r: Route): void {
  window.location.hash = routeHash(r);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

/** The run the screens last showed: a tab switch keeps it. */
let lastRun: string | null = null;
export function rememberRun(runId: string | null): void {
  if (runId !== null) lastRun = runId;
}
export function lastRunId(): string | null {
  return lastRun;
}

/**
 * Which transport a renderer page uses: the preload's bridge when it runs in the desktop app
 * (`window.workbench` exists), else serve mode's HTTP API on its own origin with the token from its
 * own URL. The renderer calls this once and never looks at which one it got.
 */
import { WorkbenchError } from "../errors.ts";
import type { Transport, WorkbenchBridge } from "./transport.ts";
import { httpTransport, tokenFromUrl } from "./transports/http.ts";
import { ipcTransport } from "./transports/ipc.ts";

export function defaultTransport(scope: { workbench?: WorkbenchBridge; location?: { href: string; origin: string } } = globalThis as never): Transport {
  if (scope.workbench) return ipcTransport(scope.workbench);
  const loc = scope.location;
  if (!loc) throw new WorkbenchError("internal", "no window.workbench bridge and no page location: not a renderer page");
  const token = tokenFromUrl(loc.href);
  if (!token) throw new WorkbenchError("usage", "this page's address has no ?token=…; open the full URL `arbitrage serve` printed");
  return httpTransport(loc.origin, token);
}

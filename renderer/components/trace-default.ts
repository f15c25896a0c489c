import type { ConfigRow } from "../store/schema.ts";

/**
 * The configuration a trace opens on: Arbitrage at its middle threshold (where the router both
 * keeps and escalates steps, the interesting case), else the first configuration.
 */
export function defaultTraceConfig(configs: readonly ConfigRow[]): string | null {
  const arb = configs.filter((c) => c.method === "arbitrage").sort((a, b) => (a.threshold ?? 0) - (b.threshold ?? 0));
  return arb[Math.floor(arb.length / 2)]?.configId ?? configs[0]?.configId ?? null;
}

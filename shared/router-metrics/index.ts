/** Router quality against the oracle advantage: pure, shared by the CLI and the renderer. */
export * from "./types.ts";
export { routerReport } from "./report.ts";
export {
  breakdown,
  DEFAULT_STEP_BUCKETS,
  groupMetrics,
  nonTieSpearman,
  stepBucketLabels,
  stepBucketOf,
  UNKNOWN,
} from "./group.ts";

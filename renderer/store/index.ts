/** The renderer's store: schema, import, queries, aggregation. */
export * from "./schema.ts";
export { importRun, type ImportOptions, type ImportProgress, type PageLoader, type RunPageInput } from "./import-run.ts";
export * from "./queries.ts";
export { aggregateRun } from "./aggregate.ts";

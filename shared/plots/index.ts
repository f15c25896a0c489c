/** Plot data transforms: pure functions from stored results to chart data (app and HTML report). */
export * from "./types.ts";
export type { RunSummaries } from "./run-input.ts";
export { acceptanceAccuracy, overlapGroups, referencePoints, type AccuracyOptions } from "./acceptance-accuracy.ts";
export { accuracyLatency } from "./accuracy-latency.ts";
export { latencyBreakdown } from "./latency-breakdown.ts";
export { RouterPairJoin, routerPairsFromRecords, routerPairsFromScores, routerNames, type KeyedPair, type RouterScoreLine } from "./router-pairs.ts";
export { routerScatter, type RouterScatterOptions } from "./router-scatter.ts";
export { stepTrace } from "./step-trace.ts";
export { compareRuns, type CompareData } from "./compare.ts";
export { plotTable, plotCsv, type PlotTable } from "./table.ts";
export { buildReportData, exampleTraces, REPORT_DATA_VERSION, type ReportData, type ReportRunInfo } from "./report-data.ts";

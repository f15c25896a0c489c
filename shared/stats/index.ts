/** Pure statistics shared by the Node side and the renderer: plain arrays in, plain data out. */
export * from "./random.ts";
export * from "./summary.ts";
export * from "./rank.ts";
export * from "./pearson.ts";
export * from "./spearman.ts";
export * from "./bootstrap.ts";
export * from "./roc.ts";
export * from "./classification.ts";
export * from "./calibration.ts";
export * from "./matched-accuracy.ts";
export * from "./matched-bootstrap.ts";
export * from "./wilson.ts";
export type { BinaryLabel } from "./validate.ts";

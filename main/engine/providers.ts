/**
 * Execution provider names, in a module of their own: specs and the app's API validate them
 * without loading onnxruntime-node's native library.
 */
export const EXECUTION_PROVIDERS = ["cpu", "cuda", "dml", "coreml", "webgpu"] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

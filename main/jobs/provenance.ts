/**
 * What a run records so that it can be reproduced and trusted: hashes of its inputs (dataset, every
 * file of each model folder), the grader version, the workbench version and git commit, the machine,
 * and when. Everything returned is plain JSON.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { WorkbenchError } from "../../shared/errors.ts";
import { readJson, writeJsonAtomic } from "./run-folder.ts";

export interface FileHash {
  /** The path as given, or for a file found in a given folder, the folder joined with its relative path ("/" separators). */
  path: string;
  bytes: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface GitInfo {
  commit: string;
  /** True when `git status` shows any change: modified, staged, deleted, or untracked (not ignored) files. */
  dirty: boolean;
}

export interface MachineInfo {
  platform: string;
  arch: string;
  cpuModel: string;
  /** Logical CPUs. */
  cpus: number;
  /** Total memory in GiB, one decimal. */
  totalMemGiB: number;
  /** Node.js version, e.g. "20.19.1". */
  node: string;
  /** Installed onnxruntime-node version, or null when it is not installed. */
  onnxruntime: string | null;
}

export interface Provenance {
  /** ISO 8601 time the provenance was collected. */
  createdAt: string;
  workbench: { version: string | null; git: GitInfo | null };
  machine: MachineInfo;
  graderVersion: string;
  dataset: FileHash;
  /** Per role (draft, target, prm, router …): every file of the model, sorted by path. */
  models: Record<string, FileHash[]>;
  /**
   * What the run learned about its models while it went on (e.g. the vLLM version a scorer is served
   * by, or a scorer whose values look already activated): added by addProvenanceNotes, never removed.
   */
  notes?: ProvenanceNote[];
}

export interface ProvenanceNote {
  role: string;
  level: "info" | "warning";
  message: string;
}

export interface ProvenanceInput {
  datasetPath: string;
  /** Per role: the model folder, or a list of files and/or folders. */
  modelFiles: Record<string, string | readonly string[]>;
  graderVersion: string;
  /** Where to ask git for the commit (default: the folder holding the workbench's package.json). */
  cwd?: string;
  /** Clock for createdAt (default: now). */
  now?: () => Date;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function fileError(path: string, err: unknown, what: string): WorkbenchError {
  const code = errnoCode(err);
  if (code === "ENOENT") return new WorkbenchError("missing-file", `cannot hash ${what} ${path}: it does not exist`, { path });
  if (code === "EISDIR") {
    return new WorkbenchError("usage", `cannot hash ${what} ${path}: expected a file, found a folder`, { path });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new WorkbenchError("internal", `cannot hash ${what} ${path}: ${message}`, { path, code });
}

/** SHA-256 of a file, read as a stream (constant memory, any size). Lowercase hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (err) {
    throw fileError(path, err, "file");
  }
  return hash.digest("hex");
}

/** Regular files under `folder`, recursively, sorted, relative ("/" separators); entries whose name starts with "." are skipped. */
async function listFiles(folder: string, rel = ""): Promise<string[]> {
  const entries = await readdir(join(folder, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const st = await stat(join(folder, child)).catch(() => undefined);
      isDir = st?.isDirectory() ?? false;
      isFile = st?.isFile() ?? false;
    }
    if (isDir) out.push(...(await listFiles(folder, child)));
    else if (isFile) out.push(child);
  }
  return out.sort();
}

const slashes = (p: string) => (sep === "/" ? p : p.split(sep).join("/"));

/**
 * Hashes each path: a file is hashed as is; a folder (a model folder) contributes every regular
 * file below it (following symlinks, skipping names that start with "."), sorted. Files are read
 * one after another. Result in input order, folders expanded in place; a file reached twice is
 * listed once. Throws "missing-file" for a path that does not exist.
 */
export async function hashFolderFiles(paths: readonly string[]): Promise<FileHash[]> {
  const out: FileHash[] = [];
  const seen = new Set<string>();
  const hashOne = async (path: string) => {
    const shown = slashes(path);
    if (seen.has(shown)) return;
    seen.add(shown);
    const st = await stat(path).catch((err: unknown) => {
      throw fileError(path, err, "file");
    });
    out.push({ path: shown, bytes: st.size, sha256: await sha256File(path) });
  };
  for (const path of paths) {
    const st = await stat(path).catch((err: unknown) => {
      throw fileError(path, err, "path");
    });
    if (st.isDirectory()) {
      const files = await listFiles(path);
      if (files.length === 0) throw new WorkbenchError("usage", `cannot hash folder ${path}: it holds no files`, { path });
      for (const rel of files) await hashOne(join(path, rel));
    } else {
      await hashOne(path);
    }
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(
        cmd,
        args,
        // GIT_OPTIONAL_LOCKS=0: `git status` must not take index.lock (others may be committing).
        { cwd, timeout: 10_000, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" } },
        (err, stdout) => resolve(err ? null : String(stdout)),
      );
    } catch {
      resolve(null);
    }
  });
}

/**
 * The git commit checked out in `cwd` and whether the work tree differs from it (`git status
 * --porcelain` shows anything: tracked changes, staged or not, or untracked files that are not
 * ignored). Null when `cwd` is not in a git work tree, has no commit yet, or git is not installed.
 * Never throws.
 */
export async function gitInfo(cwd: string): Promise<GitInfo | null> {
  const head = await run("git", ["rev-parse", "--verify", "HEAD"], cwd);
  const commit = head?.trim();
  if (commit === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return null;
  const status = await run("git", ["status", "--porcelain"], cwd);
  if (status === null) return null;
  return { commit, dirty: status.trim() !== "" };
}

/** The folder holding the workbench's package.json: the nearest one above this module. */
function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown };
      if (typeof pkg.version === "string") return dir;
    } catch {
      // not here: go up
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The workbench's version from its package.json, or null when it cannot be found. */
export function packageVersion(): string | null {
  const root = packageRoot();
  if (root === null) return null;
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : null;
  } catch {
    return null;
  }
}

/** Version of the installed onnxruntime-node, read from its package.json (the module is not loaded). */
function onnxruntimeVersion(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve("onnxruntime-node/package.json");
    const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : null;
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus[0]?.model.trim() || "unknown",
    cpus: cpus.length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    onnxruntime: onnxruntimeVersion(),
  };
}

/**
 * Everything above for one run. Hashes the dataset file and every file of each model (large ONNX
 * weights included: about a second per GB). Throws "missing-file" for an input that does not exist.
 */
export async function collectProvenance(input: ProvenanceInput): Promise<Provenance> {
  const createdAt = (input.now ?? (() => new Date()))().toISOString();
  const datasetStat = await stat(input.datasetPath).catch((err: unknown) => {
    throw fileError(input.datasetPath, err, "dataset");
  });
  if (!datasetStat.isFile()) {
    throw new WorkbenchError("usage", `cannot hash dataset ${input.datasetPath}: expected a file, found a folder`, {
      path: input.datasetPath,
    });
  }
  const dataset: FileHash = {
    path: slashes(input.datasetPath),
    bytes: datasetStat.size,
    sha256: await sha256File(input.datasetPath),
  };
  const models: Record<string, FileHash[]> = {};
  for (const [role, files] of Object.entries(input.modelFiles)) {
    models[role] = await hashFolderFiles(typeof files === "string" ? [files] : files);
  }
  const cwd = input.cwd ?? packageRoot() ?? process.cwd();
  return {
    createdAt,
    workbench: { version: packageVersion(), git: await gitInfo(cwd) },
    machine: machineInfo(),
    graderVersion: input.graderVersion,
    dataset,
    models,
  };
}

/**
 * Adds notes to the provenance in a run folder's run.json (rewritten atomically), each once: a resumed
 * run that learns the same thing again adds nothing. Returns the notes that were new.
 */
export async function addProvenanceNotes(runJsonPath: string, notes: readonly ProvenanceNote[]): Promise<ProvenanceNote[]> {
  if (notes.length === 0) return [];
  const run = await readJson<{ provenance?: Provenance }>(runJsonPath);
  if (!run.provenance) throw new WorkbenchError("internal", `${runJsonPath} holds no provenance to add notes to`);
  const have = run.provenance.notes ?? [];
  const key = (n: ProvenanceNote) => `${n.role}\u0000${n.level}\u0000${n.message}`;
  const seen = new Set(have.map(key));
  const fresh = notes.filter((n) => {
    const k = key(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (fresh.length > 0) await writeJsonAtomic(runJsonPath, { ...run, provenance: { ...run.provenance, notes: [...have, ...fresh] } });
  return fresh;
}

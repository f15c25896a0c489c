/** Provenance: hashes of inputs, the code's version and commit, and the machine, as plain JSON. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWorkbenchError, type ErrorKind } from "../../../shared/errors.ts";
import {
  collectProvenance,
  gitInfo,
  hashFolderFiles,
  machineInfo,
  packageVersion,
  sha256File,
} from "../../../main/jobs/provenance.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "provenance-"));
const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function write(rel: string, content: string | Buffer): string {
  const path = join(tmp, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function failure(p: Promise<unknown>): Promise<{ kind: ErrorKind; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWorkbenchError(err)) throw new Error(`expected a WorkbenchError, got ${String(err)}`);
  return { kind: err.kind, message: err.message };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } }).trim();
}

describe("sha256File", () => {
  it("gives the standard SHA-256 digests", async () => {
    expect(await sha256File(write("abc.txt", "abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256File(write("empty.txt", ""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashes a file larger than its read buffer (24 MiB) by streaming", async () => {
    const data = Buffer.alloc(24 * 2 ** 20 + 12_345);
    for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) % 251;
    expect(await sha256File(write("big.bin", data))).toBe(sha(data));
  });

  it("a missing file is missing-file; a folder is a usage error", async () => {
    const missing = await failure(sha256File(join(tmp, "nope.onnx")));
    expect(missing.kind).toBe("missing-file");
    expect(missing.message).toContain("nope.onnx");
    expect((await failure(sha256File(tmp))).kind).toBe("usage");
  });
});

describe("hashFolderFiles", () => {
  it("expands a model folder to its files, sorted, skipping dot-files; plain files are hashed as given", async () => {
    const model = join(tmp, "model-a");
    write("model-a/config.json", '{"a":1}');
    write("model-a/tokenizer.json", "{}");
    write("model-a/onnx/model.onnx", "graph");
    write("model-a/onnx/model.onnx_data", "weights");
    write("model-a/.gitattributes", "*.onnx filter=lfs");
    write("model-a/.cache/huggingface/x", "cache");
    const extra = write("extra.json", "[1]");
    const hashes = await hashFolderFiles([model, extra]);
    expect(hashes).toEqual([
      { path: `${model}/config.json`, bytes: 7, sha256: sha('{"a":1}') },
      { path: `${model}/onnx/model.onnx`, bytes: 5, sha256: sha("graph") },
      { path: `${model}/onnx/model.onnx_data`, bytes: 7, sha256: sha("weights") },
      { path: `${model}/tokenizer.json`, bytes: 2, sha256: sha("{}") },
      { path: extra, bytes: 3, sha256: sha("[1]") },
    ]);
  });

  it("follows symlinks to files (a Hugging Face cache snapshot is all links) and lists a file once", async () => {
    const blob = write("blobs/abc123", "weights via link");
    mkdirSync(join(tmp, "snapshot"));
    symlinkSync(blob, join(tmp, "snapshot", "model.onnx"));
    const hashes = await hashFolderFiles([join(tmp, "snapshot"), join(tmp, "snapshot", "model.onnx")]);
    expect(hashes).toEqual([{ path: join(tmp, "snapshot", "model.onnx"), bytes: 16, sha256: sha("weights via link") }]);
  });

  it("a missing path is missing-file; an empty folder is a usage error", async () => {
    expect((await failure(hashFolderFiles([join(tmp, "no-model")]))).kind).toBe("missing-file");
    mkdirSync(join(tmp, "empty-model"));
    const empty = await failure(hashFolderFiles([join(tmp, "empty-model")]));
    expect(empty.kind).toBe("usage");
    expect(empty.message).toContain("holds no files");
  });
});

describe("gitInfo", () => {
  it("reports the commit, and dirty when a tracked file changes or an untracked one appears (ignored files do not count)", async () => {
    const repo = mkdtempSync(join(tmpdir(), "provenance-git-"));
    git(repo, "init", "-q");
    writeFileSync(join(repo, "a.txt"), "one");
    writeFileSync(join(repo, ".gitignore"), "out/\n");
    git(repo, "add", "a.txt", ".gitignore");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
    const head = git(repo, "rev-parse", "HEAD");

    expect(await gitInfo(repo)).toEqual({ commit: head, dirty: false });
    mkdirSync(join(repo, "out"));
    writeFileSync(join(repo, "out", "run.json"), "{}");
    expect(await gitInfo(repo)).toEqual({ commit: head, dirty: false });
    writeFileSync(join(repo, "new.txt"), "untracked");
    expect(await gitInfo(repo)).toEqual({ commit: head, dirty: true });
    git(repo, "clean", "-fq", "new.txt");
    writeFileSync(join(repo, "a.txt"), "two");
    expect(await gitInfo(join(repo, "out"))).toEqual({ commit: head, dirty: true }); // from a subfolder too
  });

  it("is null, without throwing, outside a repository, in a folder that does not exist, before the first commit, and without git", async () => {
    const plain = mkdtempSync(join(tmpdir(), "provenance-nogit-"));
    expect(await gitInfo(plain)).toBeNull();
    expect(await gitInfo(join(plain, "missing"))).toBeNull();
    const fresh = mkdtempSync(join(tmpdir(), "provenance-fresh-"));
    git(fresh, "init", "-q");
    expect(await gitInfo(fresh)).toBeNull();

    const path = process.env.PATH;
    process.env.PATH = plain; // no git on the PATH
    try {
      expect(await gitInfo(repoRoot)).toBeNull();
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("package and machine", () => {
  it("packageVersion is the version in the workbench's package.json", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(packageVersion()).toBe(pkg.version);
  });

  it("machineInfo describes this machine and the installed onnxruntime-node", () => {
    const ort = JSON.parse(readFileSync(join(repoRoot, "node_modules/onnxruntime-node/package.json"), "utf8")) as {
      version: string;
    };
    const m = machineInfo();
    expect(m).toEqual({
      platform: process.platform,
      arch: process.arch,
      cpuModel: expect.any(String),
      cpus: os.cpus().length,
      totalMemGiB: expect.any(Number),
      node: process.versions.node,
      onnxruntime: ort.version,
    });
    expect(m.cpuModel.length).toBeGreaterThan(0);
    expect(Math.abs(m.totalMemGiB - os.totalmem() / 2 ** 30)).toBeLessThanOrEqual(0.05);
  });
});

describe("collectProvenance", () => {
  it("combines dataset and model hashes, grader version, workbench version, git state and machine into plain JSON", async () => {
    const dataset = write("data/test.jsonl", '{"question":"1+1","answer":"2"}\n');
    write("models/draft/config.json", "{}");
    write("models/draft/onnx/model.onnx", "d");
    write("models/prm/model.onnx", "p");
    const repo = mkdtempSync(join(tmpdir(), "provenance-run-"));
    git(repo, "init", "-q");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "empty");
    const p = await collectProvenance({
      datasetPath: dataset,
      modelFiles: { draft: join(tmp, "models/draft"), prm: [join(tmp, "models/prm/model.onnx")] },
      graderVersion: "qwen25-math-eval@abc+wb1",
      cwd: repo,
      now: () => new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
    });
    expect(p).toEqual({
      createdAt: "2025-01-02T03:04:05.000Z",
      workbench: { version: packageVersion(), git: { commit: git(repo, "rev-parse", "HEAD"), dirty: false } },
      machine: machineInfo(),
      graderVersion: "qwen25-math-eval@abc+wb1",
      dataset: { path: dataset, bytes: 32, sha256: sha('{"question":"1+1","answer":"2"}\n') },
      models: {
        draft: [
          { path: join(tmp, "models/draft/config.json"), bytes: 2, sha256: sha("{}") },
          { path: join(tmp, "models/draft/onnx/model.onnx"), bytes: 1, sha256: sha("d") },
        ],
        prm: [{ path: join(tmp, "models/prm/model.onnx"), bytes: 1, sha256: sha("p") }],
      },
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it("asks git about the workbench's own checkout by default", async () => {
    const p = await collectProvenance({ datasetPath: write("data/d.jsonl", "{}\n"), modelFiles: {}, graderVersion: "g" });
    const commit = p.workbench.git?.commit ?? "";
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    // Others may commit meanwhile: the recorded commit is HEAD or an ancestor of it.
    expect(() => git(repoRoot, "merge-base", "--is-ancestor", commit, "HEAD")).not.toThrow();
  });

  it("a missing dataset or model is a missing-file error naming it", async () => {
    const dataset = write("data/ok.jsonl", "{}\n");
    const noData = await failure(
      collectProvenance({ datasetPath: join(tmp, "data/none.jsonl"), modelFiles: {}, graderVersion: "g" }),
    );
    expect(noData.kind).toBe("missing-file");
    expect(noData.message).toContain("none.jsonl");
    const noModel = await failure(
      collectProvenance({ datasetPath: dataset, modelFiles: { router: join(tmp, "models/router") }, graderVersion: "g" }),
    );
    expect(noModel.kind).toBe("missing-file");
    expect(noModel.message).toContain("models/router");
  });
});

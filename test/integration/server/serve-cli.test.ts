/** `arbitrage serve` as a user starts it: the URL is the first line of stdout, and Ctrl-C stops it cleanly. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../../bin/arbitrage.js", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "serve-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("arbitrage serve", () => {
  it("prints the tokenized URL first, serves the API with it, and exits 0 on SIGINT", async () => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--runs", join(tmp, "runs")], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        const nl = stdout.indexOf("\n");
        if (nl >= 0) resolve(stdout.slice(0, nl));
      });
      child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+$/);
    const url = new URL(firstLine);
    const token = url.searchParams.get("token") as string;

    const info = await fetch(`${url.origin}/api/app.info`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: "{}" });
    expect(info.status).toBe(200);
    const env = (await info.json()) as { ok: true; value: { shell: string; runsDir: string; executionProviders: string[] } };
    expect(env.value.shell).toBe("serve");
    expect(env.value.runsDir).toBe(join(tmp, "runs"));
    expect(env.value.executionProviders).toContain("cpu");
    expect((await fetch(`${url.origin}/api/app.info`, { method: "POST", body: "{}" })).status).toBe(401);

    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([firstLine]); // nothing else on stdout
    expect(stderr).toMatch(/ssh -N -L/);
  });

  it("refuses a bad --port with a usage error", async () => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "http"], { cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port expects an integer/);
  });
});

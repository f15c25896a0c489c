/**
 * Which vLLM a scorer is served by, and what its /pooling endpoint must be sent so that the values
 * come back raw. vLLM changed this three times (each read from vLLM's source; docs/remote-models.md
 * has the table):
 *   - up to 0.9 the token-wise ("ALL") pooler of a reward model returns its head's outputs as they
 *     are; a pooling request has no activation switch.
 *   - 0.10 / 0.11.0: PoolingParams has `softmax` for the "encode" task and defaults it to true
 *     (vllm/pooling_params.py: `elif self.task == "encode": if self.softmax is None: self.softmax =
 *     True`), so the head's sigmoid (one label) or softmax is applied unless the request says
 *     `"softmax": false`. A request carrying `activation` is refused there for "encode" ("encode only
 *     supports ['softmax'] parameters").
 *   - 0.11.1 and later: `use_activation` replaces both (vllm/config/pooler.py `get_use_activation`).
 *     Some of these versions read a deprecated `softmax` wrongly: `if softmax := getattr(o,
 *     "softmax", None) is not None` binds the comparison, so `"softmax": false` switches the
 *     activation ON. Those versions must be sent `use_activation` alone; the newest ignore `softmax`.
 * Fields a version does not know are ignored by every version (OpenAIBaseModel, extra="allow").
 */
import { z } from "zod";
import { WorkbenchError } from "../../../shared/errors.ts";

const VersionAnswer = z.looseObject({ version: z.string() });

export type VllmVersion = readonly [major: number, minor: number, patch: number];

/** "0.10.1.1", "v0.6.4.post1", "0.11.1rc2.dev34+g…" -> [0, 10, 1]; null for anything else. */
export function parseVllmVersion(text: string): VllmVersion | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

function atLeast(v: VllmVersion, major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/** The vLLM generations whose pooling requests differ. */
export type PoolingGeneration = "raw" | "softmax-switch" | "use-activation";

export function poolingGeneration(v: VllmVersion): PoolingGeneration {
  if (atLeast(v, 0, 11, 1)) return "use-activation";
  if (atLeast(v, 0, 10, 0)) return "softmax-switch";
  return "raw";
}

/**
 * The fields added to a /pooling request. Only when the values are read as logits: a spec that says
 * "probabilities" wants the server's activation, which is every version's default where it has one.
 * With the version unknown (no GET /version), `use_activation: false` is sent: right on 0.11.1 and
 * later, ignored before; a 0.10.x server then activates, which the all-in-[0, 1] check reports.
 */
export function poolingSwitches(version: VllmVersion | null, values: "logits" | "probabilities"): Record<string, boolean> {
  if (values === "probabilities") return {};
  const gen = version ? poolingGeneration(version) : "use-activation";
  if (gen === "softmax-switch") return { softmax: false };
  if (gen === "use-activation") return { use_activation: false };
  return {};
}

/** Checks a spec's `vllmVersion`; returns it as given. */
export function checkVllmVersion(text: string, where: string): string {
  if (parseVllmVersion(text) === null) throw new WorkbenchError("bad-spec", `${where}: expected a vLLM version such as "0.10.1", found ${JSON.stringify(text)}`);
  return text;
}

export type VersionProbe = { found: true; version: string } | { found: false; reason: string; unreachable: boolean };

/**
 * GET {baseUrl}/version (vLLM answers {"version": "0.10.1.1"}; the route is in every version's
 * api_server.py). Never throws: a server that is not vLLM, or an old proxy, answers otherwise.
 */
export async function probeVllmVersion(baseUrl: string, apiKey: string | null, timeoutMs: number): Promise<VersionProbe> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (apiKey !== null) headers["authorization"] = `Bearer ${apiKey}`;
  let status: number;
  let text: string;
  try {
    const res = await fetch(`${baseUrl}/version`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    status = res.status;
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { found: false, unreachable: true, reason: `GET ${baseUrl}/version failed (${cause ?? (err as Error).message})` };
  }
  if (status !== 200) return { found: false, unreachable: false, reason: `GET ${baseUrl}/version answered HTTP ${status}` };
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  const answer = VersionAnswer.safeParse(json);
  if (answer.success && parseVllmVersion(answer.data.version) !== null) return { found: true, version: answer.data.version };
  return { found: false, unreachable: false, reason: `GET ${baseUrl}/version answered ${JSON.stringify(text.slice(0, 80))}, not {"version": "x.y.z"}` };
}

/**
 * Which vLLM a scorer is served by, and what its /pooling endpoint must be sent so that the values
 * come back raw. Read from vLLM's source at the release tags (docs/remote-models.md has the table):
 *   - up to 0.10.0 a request has no activation field (PoolingParams holds none); whether the pooler
 *     applies one is the served model class's default, or the server's `--override-pooler-config`
 *     `softmax`. Reward models (Qwen2ForRewardModel, `--task reward`) return their rows raw.
 *   - 0.10.1 – 0.11.0: PoolingParams gained `softmax`, defaulted to true for the "encode" task
 *     (vllm/pooling_params.py `_set_default_parameters`), so the head's sigmoid (one label) or softmax
 *     is applied. The /pooling request class is still EmbeddingCompletionRequest, whose
 *     `to_pooling_params` passes `dimensions` and `normalize` only (vllm/entrypoints/openai/
 *     protocol.py): a `softmax` or `activation` in the request is dropped, and no request field turns
 *     the activation off. Only the server's `--override-pooler-config '{"softmax": false}'` does.
 *   - 0.11.1 and later: the request's `use_activation` is read (vllm/config/pooler.py
 *     `get_use_activation`). On 0.11.1 – 0.13.x that function reads a `softmax` or `activation`
 *     field backwards (`if softmax := getattr(o, "softmax", None) is not None` binds the comparison:
 *     `"softmax": false` switches the activation ON); 0.14 – 0.15 read them right; from 0.16 they are
 *     ignored. So `use_activation` is sent alone.
 * Fields a version does not know are ignored by every version that has /pooling (OpenAIBaseModel,
 * extra="allow" from 0.6.5; /pooling exists from 0.6.6).
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

/**
 * The vLLM generations whose /pooling answers differ: no request switch and the model's own default
 * (raw for reward models); no request switch and the activation applied by default; a
 * `use_activation` switch that is honoured.
 */
export type PoolingGeneration = "model-default" | "server-activates" | "use-activation";

export function poolingGeneration(v: VllmVersion): PoolingGeneration {
  if (atLeast(v, 0, 11, 1)) return "use-activation";
  if (atLeast(v, 0, 10, 1)) return "server-activates";
  return "model-default";
}

/**
 * The fields added to a /pooling request. Only when the values are read as logits: a spec that says
 * "probabilities" wants the server's activation, which is every version's default where it has one.
 * Before 0.10.1 no field exists, so none is sent; 0.10.1 – 0.11.0 get `softmax: false` (dropped by
 * their request class, see above; harmless). With the version unknown
 * (no GET /version), `use_activation: false` is sent: honoured from 0.11.1, ignored before; never
 * `softmax`, which 0.11.1 – 0.13.x read backwards.
 */
export function poolingSwitches(version: VllmVersion | null, values: "logits" | "probabilities"): Record<string, boolean> {
  if (values === "probabilities") return {};
  const gen = version ? poolingGeneration(version) : "use-activation";
  if (gen === "use-activation") return { use_activation: false };
  // 0.10.1 – 0.11.0 drop it (their request class has no such field), but it is the field their
  // PoolingParams holds, and a server that does pass it on (a patched build, a scripted stand-in)
  // then answers raw; where it is dropped the answers are read as already activated.
  return gen === "server-activates" ? { softmax: false } : {};
}

/**
 * Whether raw values were asked for in a way the server is known to honour. When not (the version
 * unknown, or before 0.11.1), the scorer checks what comes back (see ActivationCheck).
 */
export function rawValuesAssured(version: VllmVersion | null): boolean {
  return version !== null && poolingGeneration(version) === "use-activation";
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

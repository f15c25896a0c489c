/** Remote model settings: base URLs, defaults, keys from the environment, what identifies outputs, and the backoff. */
import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter, retryDelayMs } from "../../../main/backends/http/client.ts";
import { normalizeBaseUrl, outputIdentity, readApiKey, resolveHttpSettings } from "../../../main/backends/http/config.ts";

describe("normalizeBaseUrl", () => {
  it("reduces a base URL to the server root", () => {
    expect(normalizeBaseUrl("http://gpu1:8000/v1", "x")).toBe("http://gpu1:8000");
    expect(normalizeBaseUrl("http://gpu1:8000/v1/", "x")).toBe("http://gpu1:8000");
    expect(normalizeBaseUrl("https://proxy.lab/vllm/draft/", "x")).toBe("https://proxy.lab/vllm/draft");
    expect(normalizeBaseUrl("http://127.0.0.1:30000", "x")).toBe("http://127.0.0.1:30000");
  });

  it("refuses what is not a server address, and credentials that would be stored with the run", () => {
    expect(() => normalizeBaseUrl("gpu1:8000", "models.draft.http.baseUrl")).toThrow(/models\.draft\.http\.baseUrl: expected an http\(s\) URL|http:\/\/ or https:\/\//);
    expect(() => normalizeBaseUrl("not a url", "x")).toThrow(/expected an http\(s\) URL/);
    expect(() => normalizeBaseUrl("http://me:secret@gpu1:8000", "x")).toThrow(/credentials in the URL/);
    expect(() => normalizeBaseUrl("http://gpu1:8000/v1?key=1", "x")).toThrow(/without \?query/);
  });
});

describe("resolveHttpSettings", () => {
  it("fills in defaults", () => {
    const s = resolveHttpSettings({ baseUrl: "http://gpu1:8000/v1", model: "m" }, "models.target.http");
    expect(s).toEqual({
      endpoints: [{ baseUrl: "http://gpu1:8000", concurrency: 8 }],
      model: "m",
      apiKeyEnv: null,
      timeoutMs: 120_000,
      retries: 4,
      retryBaseMs: 500,
      retryMaxMs: 20_000,
      retryAfterMaxMs: 120_000,
      cooldownMs: 30_000,
      logprobs: 5,
      contextLength: null,
      addSpecialTokens: null,
      protocol: "embeddings",
      values: "logits",
      poolingTask: null,
      vllmVersion: null,
    });
  });

  it("takes several endpoints with their own limits", () => {
    const s = resolveHttpSettings({ endpoints: [{ baseUrl: "http://a:1" }, { baseUrl: "http://b:1/v1", concurrency: 32 }], model: "m", concurrency: 4 }, "x");
    expect(s.endpoints).toEqual([
      { baseUrl: "http://a:1", concurrency: 4 },
      { baseUrl: "http://b:1", concurrency: 32 },
    ]);
    expect(() => resolveHttpSettings({ endpoints: [{ baseUrl: "http://a:1" }, { baseUrl: "http://a:1/v1" }], model: "m" }, "x")).toThrow(/listed twice/);
    expect(() => resolveHttpSettings({ baseUrl: "http://a:1", endpoints: [{ baseUrl: "http://b:1" }], model: "m" }, "x")).toThrow(/not both/);
  });

  it("keeps only output-relevant settings in a model's identity", () => {
    const one = resolveHttpSettings({ baseUrl: "http://a:1", model: "m", timeoutMs: 5, concurrency: 1, apiKeyEnv: "K" }, "x");
    const two = resolveHttpSettings({ endpoints: [{ baseUrl: "http://b:1" }, { baseUrl: "http://c:1" }], model: "m", retries: 9 }, "x");
    expect(outputIdentity(one)).toEqual(outputIdentity(two));
    expect(outputIdentity(resolveHttpSettings({ baseUrl: "http://a:1", model: "other" }, "x"))).not.toEqual(outputIdentity(one));
  });
});

describe("readApiKey", () => {
  it("reads the named variable, and refuses one that is not set", () => {
    const s = resolveHttpSettings({ baseUrl: "http://a:1", model: "m", apiKeyEnv: "MY_KEY" }, "models.prm.http");
    expect(readApiKey(s, "models.prm.http", { MY_KEY: "k-1" })).toBe("k-1");
    expect(() => readApiKey(s, "models.prm.http", {})).toThrow(/models\.prm\.http: apiKeyEnv names MY_KEY, which is not set/);
    expect(readApiKey(resolveHttpSettings({ baseUrl: "http://a:1", model: "m" }, "x"), "x", {})).toBeNull();
  });
});

describe("backoffMs", () => {
  it("doubles per attempt up to the cap, with up to half of it random", () => {
    expect(backoffMs(0, 500, 20_000, () => 0)).toBe(250);
    expect(backoffMs(0, 500, 20_000, () => 1)).toBe(500);
    expect(backoffMs(3, 500, 20_000, () => 0.5)).toBe(3000);
    expect(backoffMs(10, 500, 20_000, () => 1)).toBe(20_000);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-12-04T23:59:00Z");

  it("reads delay-seconds and an HTTP-date (a past date is no wait); anything else is ignored", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter("Fri, 04 Dec 2026 23:59:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Fri, 04 Dec 2026 23:58:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-3", now)).toBeNull();
  });

  it("is honoured beyond the backoff's cap, up to its own", () => {
    const s = { retryBaseMs: 100, retryMaxMs: 500, retryAfterMaxMs: 10_000 };
    // A 3 s Retry-After is waited for in full, though the backoff never waits more than 0.5 s.
    expect(retryDelayMs(0, s, 3000, () => 1)).toBe(3000);
    // A longer one is cut to retryAfterMaxMs, and a short one does not shorten the backoff.
    expect(retryDelayMs(0, s, 60_000, () => 1)).toBe(10_000);
    expect(retryDelayMs(3, s, 10, () => 1)).toBe(500);
    expect(retryDelayMs(3, s, undefined, () => 1)).toBe(500);
  });
});

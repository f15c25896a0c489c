/** Sessions are released: loading and disposing models over and over does not grow the process. */
import { describe, expect, it } from "vitest";
import { CausalLM } from "../../../main/engine/causal-lm.ts";
import { StepScorer } from "../../../main/engine/scorer.ts";
import { fixtureModel } from "../../helpers/fixtures.ts";

async function cycle(): Promise<void> {
  const lm = await CausalLM.load(fixtureModel("bpe-lm"), { intraOpThreads: 1 });
  await lm.generateStep({ context: "is the answer", maxTokens: 4, decoding: { temperature: 0 } });
  await lm.dispose();
  const prm = await StepScorer.load(fixtureModel("prm-skywork"), { intraOpThreads: 1 });
  await prm.score("q", ["a", "b"]);
  await prm.dispose();
}

describe("dispose", () => {
  it("100 load/run/dispose cycles do not grow resident memory", async () => {
    for (let i = 0; i < 20; i++) await cycle(); // warm up allocators and JIT
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 100; i++) await cycle();
    gc?.();
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    // A leaked session holds its graph, arena and weights: several MiB each, about 50 MiB over 100 cycles of these tiny fixtures (measured), against ~3 MiB with dispose.
    expect(grown).toBeLessThan(20);
  });
});

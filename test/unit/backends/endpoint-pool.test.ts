/** The endpoint pool: per-endpoint limits, FIFO waiting, least-busy spreading, avoiding and resting failed endpoints. */
import { describe, expect, it } from "vitest";
import { EndpointPool } from "../../../main/backends/http/endpoint-pool.ts";

const A = "http://a:1";
const B = "http://b:1";

function pool(limits: [number, number], cooldown = 1000) {
  let t = 0;
  const p = new EndpointPool(
    [
      { baseUrl: A, concurrency: limits[0] },
      { baseUrl: B, concurrency: limits[1] },
    ],
    cooldown,
    () => t,
  );
  return { p, advance: (ms: number) => (t += ms) };
}

const settled = () => new Promise((r) => setImmediate(r));

describe("EndpointPool", () => {
  it("spreads leases over the least busy endpoints and never exceeds a limit", async () => {
    const { p } = pool([2, 1]);
    expect(p.capacity).toBe(3);
    const leases = [await p.acquire(), await p.acquire(), await p.acquire()];
    expect(leases.map((l) => l.baseUrl).sort()).toEqual([A, A, B]);
    let fourth: string | null = null;
    void p.acquire().then((l) => (fourth = l.baseUrl));
    await settled();
    expect(fourth).toBeNull(); // all full: waits
    leases.find((l) => l.baseUrl === B)?.release();
    await settled();
    expect(fourth).toBe(B);
    expect(p.peak.get(A)).toBe(2);
    expect(p.peak.get(B)).toBe(1);
  });

  it("grants waiting requests in arrival order", async () => {
    const { p } = pool([1, 1]);
    const held = [await p.acquire(), await p.acquire()];
    const order: number[] = [];
    const waits = [1, 2, 3].map((i) => p.acquire().then((l) => (order.push(i), l)));
    held[0]?.release();
    held[1]?.release();
    await settled();
    (await (waits[0] as Promise<{ release(): void }>)).release();
    await settled();
    expect(order).toEqual([1, 2, 3]);
  });

  it("prefers a healthy endpoint after a failed attempt, and uses an avoided one only when none is healthy", async () => {
    const { p, advance } = pool([4, 4]);
    p.avoid(A, 100, "HTTP 500");
    for (let i = 0; i < 3; i++) expect((await p.acquire()).baseUrl).toBe(B);
    advance(150);
    expect((await p.acquire()).baseUrl).toBe(A); // A is the less busy one again
    p.avoid(A, 100, "HTTP 500");
    p.avoid(B, 100, "HTTP 500");
    expect([A, B]).toContain((await p.acquire()).baseUrl);
  });

  it("rests endpoints that found no server, fails at once while all rest, and recovers after the cooldown", async () => {
    const { p, advance } = pool([1, 1], 1000);
    p.markDown([A], "connection failed (ECONNREFUSED)");
    expect((await p.acquire()).baseUrl).toBe(B);
    let failed: string | null = null;
    void p.acquire().then(
      () => {},
      (e: Error) => (failed = e.message),
    ); // waits for B…
    p.markDown([B], "connection failed (ECONNREFUSED)");
    await settled();
    expect(failed).toMatch(/every endpoint failed .* rests for up to 1 s more .*ECONNREFUSED/); // …and fails once both rest
    await expect(p.acquire()).rejects.toThrow(/rests/);
    advance(1001);
    const l = await p.acquire();
    p.markOk(l.baseUrl);
    expect([A, B]).toContain(l.baseUrl);
  });

  it("stops waiting when the caller cancels", async () => {
    const { p } = pool([1, 1]);
    await p.acquire();
    await p.acquire();
    const ac = new AbortController();
    const w = p.acquire(ac.signal);
    ac.abort();
    await expect(w).rejects.toMatchObject({ kind: "cancelled" });
  });
});

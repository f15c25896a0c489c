import { describe, expect, it } from "vitest";
import { parseRoute, routeHash, type Route } from "../../../renderer/app/route.ts";

describe("hash routes", () => {
  it("round-trips every screen, run folders with slashes and spaces included", () => {
    const routes: Route[] = [
      { screen: "setup" },
      { screen: "runs" },
      { screen: "plots", runId: "/home/me/runs/demo 2?#" },
      { screen: "plots", runId: null },
      { screen: "compare", a: "/r/a", b: "C:\\runs\\b" },
      { screen: "trace", runId: "/r/a", configId: "rsd@0.5", problemId: "math/12#3" },
      { screen: "export", runId: "/r/a" },
    ];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
  });

  it("opens Setup for an empty or unknown hash", () => {
    expect(parseRoute("")).toEqual({ screen: "setup" });
    expect(parseRoute("#/nowhere")).toEqual({ screen: "setup" });
  });
});

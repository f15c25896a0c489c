/** The app shell: connects to the main side, then shows the tabs and the current screen. */
import { useEffect, useMemo, useState } from "react";
import { createApiClient, defaultTransport, type ApiClient } from "../../shared/api/index.ts";
import { openWorkbenchDb } from "../store/schema.ts";
import { CompareScreen } from "../screens/Compare.tsx";
import { ExportScreen } from "../screens/Export.tsx";
import { PlotsScreen } from "../screens/Plots.tsx";
import { RunsScreen } from "../screens/Runs.tsx";
import { SetupScreen } from "../screens/Setup.tsx";
import { TraceScreen } from "../screens/Trace.tsx";
import { AppContext, errorText, type AppContextValue, type AppInfo } from "./context.tsx";
import { Jobs, useJobs } from "./jobs.ts";
import { lastRunId, navigate, routeHash, SCREENS, useRoute, type Route } from "./route.ts";
import { fillDatasetPath, fillModelPath } from "../setup/form-store.ts";

function connect(): { api: ApiClient } | { error: string } {
  try {
    return { api: createApiClient(defaultTransport()) };
  } catch (err) {
    return { error: errorText(err) };
  }
}

export function App() {
  const connection = useMemo(connect, []);
  if ("error" in connection) {
    return (
      <div className="screen">
        <h1>Arbitrage Workbench</h1>
        <div className="error-box">Cannot reach the workbench: {connection.error}</div>
      </div>
    );
  }
  return <Connected api={connection.api} />;
}

function Connected({ api }: { api: ApiClient }) {
  const db = useMemo(() => openWorkbenchDb(), []);
  const jobs = useMemo(() => new Jobs(api, db), [api, db]);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  useEffect(() => {
    jobs.start();
    api.app.info({}).then(setInfo, (err: unknown) => setInfoError(errorText(err)));
    // The desktop app's native menu (the main side has already shown the picker).
    const offMenu = api.on("app.menu", ({ action, path }) => {
      if (action === "open-model" && path) {
        fillModelPath(path);
        navigate({ screen: "setup" });
      } else if (action === "open-dataset" && path) {
        fillDatasetPath(path);
        navigate({ screen: "setup" });
      } else if (action === "open-run" && path) {
        navigate({ screen: "runs" });
        void jobs.importRun(path).then((ok) => ok && navigate({ screen: "plots", runId: path }));
      } else if (action === "export") {
        navigate({ screen: "export", runId: lastRunId() });
      }
    });
    return () => {
      offMenu();
      jobs.stop();
    };
  }, [api, jobs]);
  const ctx: AppContextValue = useMemo(() => ({ api, db, jobs, info }), [api, db, jobs, info]);
  const route = useRoute();
  return (
    <AppContext.Provider value={ctx}>
      <div className="app">
        <TopBar route={route} jobs={jobs} info={info} />
        {infoError ? <div className="screen"><div className="error-box">The workbench did not answer: {infoError}</div></div> : null}
        <Screen route={route} />
      </div>
    </AppContext.Provider>
  );
}

function tabHash(screen: Route["screen"]): string {
  const run = lastRunId();
  switch (screen) {
    case "plots":
    case "export":
      return routeHash({ screen, runId: run });
    case "trace":
      return routeHash({ screen, runId: run, configId: null, problemId: null });
    case "compare":
      return routeHash({ screen, a: run, b: null });
    default:
      return routeHash({ screen } as Route);
  }
}

function TopBar({ route, jobs, info }: { route: Route; jobs: Jobs; info: AppInfo | null }) {
  const state = useJobs(jobs);
  const running = state.sweeps.filter((s) => s.status === "running").length;
  const importing = state.imports.filter((i) => i.status === "importing" || i.status === "aggregating").length;
  return (
    <nav className="topbar">
      <span className="brand">
        Arbitrage Workbench<small>{info ? `${info.shell} · v${info.version}` : "connecting…"}</small>
      </span>
      <div className="tabs">
        {SCREENS.map((s) => (
          <a key={s.screen} href={tabHash(s.screen)} aria-current={route.screen === s.screen ? "page" : undefined}>
            {s.label}
          </a>
        ))}
      </div>
      <span className="status">
        {running > 0 ? `${running} sweep${running > 1 ? "s" : ""} running` : ""}
        {running > 0 && importing > 0 ? " · " : ""}
        {importing > 0 ? `importing ${importing}` : ""}
      </span>
    </nav>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "setup":
      return <SetupScreen />;
    case "runs":
      return <RunsScreen />;
    case "plots":
      return <PlotsScreen runId={route.runId} />;
    case "compare":
      return <CompareScreen a={route.a} b={route.b} />;
    case "trace":
      return <TraceScreen runId={route.runId} configId={route.configId} problemId={route.problemId} />;
    case "export":
      return <ExportScreen runId={route.runId} />;
  }
}

/** One model folder: typed path (or Browse… in the desktop app) and what the main side detected in it. */
import type { ModelInspection } from "../../shared/api/index.ts";
import { errorText, useApp } from "../app/context.tsx";
import { useAsync, useDebounced } from "../app/hooks.ts";
import type { ModelField as Role } from "./spec-form.ts";

const ROLE_LABELS: Record<Role, string> = { draft: "Draft", target: "Target", prm: "PRM", router: "Router" };

function Detected({ info }: { info: ModelInspection }) {
  const rows: [string, string][] = [];
  if (info.kind === "lm") {
    rows.push(
      ["architecture", info.architecture],
      ["layers", `${info.layers} (${info.kvHeads} KV heads × ${info.headDim}, ${info.kvType})`],
      ["vocabulary", String(info.vocabSize)],
      ["context", info.contextLength === null ? "not declared" : `${info.contextLength} tokens`],
      ["chat template", info.hasChatTemplate ? "yes" : "no"],
      ["provider", info.provider + (info.providerFallback ? ` (${info.providerFallback})` : "")],
    );
  } else if (info.kind === "scorer") {
    rows.push(
      ["architecture", info.architecture],
      ["convention", `${info.convention} (${info.head}, ${info.select})`],
      ["context", info.contextLength === null ? "not declared" : `${info.contextLength} tokens`],
      ["provider", info.provider + (info.providerFallback ? ` (${info.providerFallback})` : "")],
    );
  } else {
    rows.push(["light router", info.name]);
  }
  return (
    <dl className="kv" data-detected={info.kind}>
      {rows.map(([k, v]) => [<dt key={`${k}-k`}>{k}</dt>, <dd key={`${k}-v`}>{v}</dd>])}
    </dl>
  );
}

export function ModelField({ role, value, onChange, optional, issue }: { role: Role; value: string; onChange: (v: string) => void; optional?: string; issue?: string }) {
  const { api, info } = useApp();
  const path = useDebounced(value.trim(), 400);
  const inspection = useAsync(path === "" ? null : { path, role }, (k) => api.models.inspect(k));
  const browse = async () => {
    const picked = await api.dialogs.pickModel({ title: `Choose the ${ROLE_LABELS[role]} model folder` });
    if (picked.path) onChange(picked.path);
  };
  const id = `model-${role}`;
  return (
    <div data-model={role}>
      <div className="field">
        <label htmlFor={id}>{ROLE_LABELS[role]}</label>
        <input
          id={id}
          type="text"
          value={value}
          placeholder={optional ? `model folder (${optional})` : "model folder"}
          spellCheck={false}
          aria-invalid={issue !== undefined || inspection.state === "error" ? "true" : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {info?.shell === "desktop" ? <button onClick={() => void browse()}>Browse…</button> : <span />}
      </div>
      {inspection.state === "loading" ? <p className="detected hint">inspecting…</p> : null}
      {inspection.state === "ok" ? <Detected info={inspection.value} /> : null}
      {inspection.state === "error" ? <div className="detected error-box">{errorText(inspection.error)}</div> : null}
      {inspection.state === "idle" && issue ? <p className="detected error">{issue}</p> : null}
    </div>
  );
}

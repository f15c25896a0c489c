/**
 * The setup form, one per browser profile: it survives tab switches and reloads (localStorage), and
 * the desktop app's menu (open model / open dataset) can fill it from outside the Setup screen.
 */
import { useSyncExternalStore } from "react";
import { emptyForm, MODEL_FIELDS, type SweepForm } from "./spec-form.ts";

const KEY = "arbitrage-workbench.setup-form.v1";

function load(): SweepForm {
  try {
    const raw = globalThis.localStorage?.getItem(KEY) ?? null;
    if (raw === null) return emptyForm();
    const saved = JSON.parse(raw) as Partial<SweepForm>;
    const base = emptyForm();
    // A form saved by another version: take its known parts, default the rest.
    return {
      ...base,
      ...saved,
      models: { ...base.models, ...saved.models },
      dataset: { ...base.dataset, ...saved.dataset },
      methods: { ...base.methods, ...saved.methods },
      decoding: { ...base.decoding, ...saved.decoding },
    };
  } catch {
    return emptyForm();
  }
}

let form: SweepForm | null = null;
const listeners = new Set<() => void>();

export function getSetupForm(): SweepForm {
  form ??= load();
  return form;
}

export function setSetupForm(next: SweepForm): void {
  form = next;
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: the form still works, it just won't survive a reload
  }
  for (const l of listeners) l();
}

/** A model folder chosen from the menu goes to the first empty role (else the draft's). */
export function fillModelPath(path: string): void {
  const f = getSetupForm();
  const role = MODEL_FIELDS.find((r) => f.models[r].trim() === "") ?? "draft";
  setSetupForm({ ...f, models: { ...f.models, [role]: path } });
}

export function fillDatasetPath(path: string): void {
  const f = getSetupForm();
  setSetupForm({ ...f, dataset: { ...f.dataset, path } });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSetupForm(): [SweepForm, (f: SweepForm) => void] {
  return [useSyncExternalStore(subscribe, getSetupForm), setSetupForm];
}

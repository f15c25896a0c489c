/** The setup form survives tab switches and reloads (localStorage); one form per browser profile. */
import { useEffect, useState } from "react";
import { emptyForm, type SweepForm } from "./spec-form.ts";

const KEY = "arbitrage-workbench.setup-form.v1";

function load(): SweepForm {
  try {
    const raw = localStorage.getItem(KEY);
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

export function useSetupForm(): [SweepForm, (f: SweepForm) => void] {
  const [form, setForm] = useState<SweepForm>(load);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify(form));
    } catch {
      // storage full or disabled: the form still works, it just won't survive a reload
    }
  }, [form]);
  return [form, setForm];
}

"""Recover work/draft.pt and work/target.pt from the shipped ONNX graphs (assets/models/demo-draft,
demo-target), so that the later stages can reuse the trained LMs without their ~2.5 h of training;
with --prm, work/prm.pt from assets/models/demo-prm (the judge: its LM, value head and step-feature
weights), so that the routers and their oracle data can be rebuilt without the judge's ~1 h stage.

The graphs store every weight as an fp16 initializer named after the PyTorch parameter (export.py);
they are read back into model.TinyGPT and checked against the folder's golden.json (prefill logits of
the golden cases within 1e-4) before the checkpoint is written.

usage: import_lms.py [--prm]
"""
import argparse
import json
import os

import torch
import onnx
from onnx import numpy_helper

import tok
from common import WORK, MODELS_DIR, save_ckpt, setup, log
from model import Config, TinyGPT

FOLDERS = {"draft": "demo-draft", "target": "demo-target"}


def read_graph(folder, head="lm"):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    # a scorer's head also reads its step features, which end at the step delimiter (train_prm.py)
    delim = tok.DELIM_LAST if head != "lm" else None
    c = Config(cfg["vocab_size"], cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"],
               cfg["max_position_embeddings"], cfg["intermediate_size"], rope=True, delim_id=delim)
    m = TinyGPT(c, head=head)
    g = onnx.load(os.path.join(folder, "onnx", "model.onnx"))
    weights = {i.name[len("m."):]: torch.from_numpy(numpy_helper.to_array(i).astype("float32"))
               for i in g.graph.initializer if i.name.startswith("m.")}
    state = m.state_dict()
    unused = ("value_head", "cls_head", "feat_value", "feat_cls") if head == "lm" else ("cls_head", "feat_cls")
    lm_keys = [k for k in state if not k.startswith(unused)]
    missing = [k for k in lm_keys if k not in weights]
    if missing:
        raise SystemExit(f"{folder}: graph lacks weights {missing}")
    with torch.no_grad():
        for k in lm_keys:
            if tuple(state[k].shape) != tuple(weights[k].shape):
                raise SystemExit(f"{folder}: {k} has shape {tuple(weights[k].shape)}, expected {tuple(state[k].shape)}")
            state[k].copy_(weights[k])
    m.load_state_dict(state)
    m.eval()
    return m


@torch.no_grad()
def golden_diff(m, case, head):
    """Largest |difference| between the imported model and one golden case: an LM's last prefill
    logits, a PRM's per-position values."""
    x = torch.tensor([case["input_ids"]])
    if head == "lm":
        lg, _ = m(x, torch.ones_like(x), torch.arange(x.shape[1]).unsqueeze(0), None)
        return float((lg[0, -1] - torch.tensor(case["prefill_last_logits"])).abs().max())
    v, _ = m(x, torch.ones_like(x))
    return float((v[0] - torch.tensor(case["values"])).abs().max())


def check_golden(m, folder, head="lm"):
    g = json.load(open(os.path.join(folder, "golden.json")))
    worst = max(golden_diff(m, c, head) for c in g["cases"])
    if worst > 1e-4:
        raise SystemExit(f"{folder}: imported weights differ from golden.json by {worst:.2e} (limit 1e-4)")
    return worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prm", action="store_true", help="import the judge (demo-prm) into work/prm.pt instead of the LMs")
    a = ap.parse_args()
    setup(0)
    folders = {"prm": "demo-prm"} if a.prm else FOLDERS
    for key, name in folders.items():
        folder = os.path.join(MODELS_DIR, name)
        head = "value" if key == "prm" else "lm"
        m = read_graph(folder, head)
        worst = check_golden(m, folder, head)
        save_ckpt(os.path.join(WORK, f"{key}.pt"), m, {"imported_from": f"assets/models/{name}/onnx/model.onnx",
                                                       "golden_max_abs_diff": worst})
        log(f"{key}: imported from {name}, golden max |d| {worst:.2e}", os.path.join(WORK, "import.log"))


if __name__ == "__main__":
    main()

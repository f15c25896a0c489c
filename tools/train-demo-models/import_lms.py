"""Recover work/draft.pt and work/target.pt from the shipped ONNX graphs (assets/models/demo-draft,
demo-target), so that the later stages can reuse the trained LMs without their ~2.5 h of training.

The graphs store every weight as an fp16 initializer named after the PyTorch parameter (export.py);
they are read back into model.TinyGPT and checked against the folder's golden.json (prefill logits of
the golden cases within 1e-4) before the checkpoint is written.

usage: import_lms.py
"""
import json
import os

import torch
import onnx
from onnx import numpy_helper

import tok
from common import WORK, MODELS_DIR, save_ckpt, setup, log
from model import Config, TinyGPT

FOLDERS = {"draft": "demo-draft", "target": "demo-target"}


def read_graph(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    c = Config(cfg["vocab_size"], cfg["num_hidden_layers"], cfg["hidden_size"], cfg["num_attention_heads"],
               cfg["max_position_embeddings"], cfg["intermediate_size"], rope=True)
    m = TinyGPT(c, head="lm")
    g = onnx.load(os.path.join(folder, "onnx", "model.onnx"))
    weights = {i.name[len("m."):]: torch.from_numpy(numpy_helper.to_array(i).astype("float32"))
               for i in g.graph.initializer if i.name.startswith("m.")}
    state = m.state_dict()
    lm_keys = [k for k in state if not k.startswith(("value_head", "cls_head"))]
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
def check_golden(m, folder):
    g = json.load(open(os.path.join(folder, "golden.json")))
    worst = 0.0
    for c in g["cases"]:
        x = torch.tensor([c["input_ids"]])
        lg, _ = m(x, torch.ones_like(x), torch.arange(x.shape[1]).unsqueeze(0), None)
        worst = max(worst, float((lg[0, -1] - torch.tensor(c["prefill_last_logits"])).abs().max()))
    if worst > 1e-4:
        raise SystemExit(f"{folder}: imported weights differ from golden.json by {worst:.2e} (limit 1e-4)")
    return worst


def main():
    setup(0)
    for key, name in FOLDERS.items():
        folder = os.path.join(MODELS_DIR, name)
        m = read_graph(folder)
        worst = check_golden(m, folder)
        save_ckpt(os.path.join(WORK, f"{key}.pt"), m, {"imported_from": f"assets/models/{name}/onnx/model.onnx",
                                                       "golden_max_abs_diff": worst})
        log(f"{key}: imported from {name}, golden max |d| {worst:.2e}", os.path.join(WORK, "import.log"))


if __name__ == "__main__":
    main()

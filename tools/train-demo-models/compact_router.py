"""An experiment, not a build stage: can a router about a third of demo-router's cost keep its quality?

The router's share of Arbitrage's latency on a CPU is set by its arithmetic per token read (README, "Not
met"). This trains smaller routers and reports their ROC-AUC for y = 1[delta > 0] and Spearman rho on a
validation split of the oracle training pairs (1/8 of the problems, by problem) and on the held-out pairs:

  --init judge --layers 1 --fit head      the judge cut to its first block, trunk frozen, heads refitted
                                          (the recipe of train_router.py on a shallower trunk)
  --init judge --layers 1 --fit distill   the same, every weight trained: binary cross-entropy on the main
                                          router's probability (work/router.pt) plus --label-weight x the
                                          class-weighted one on the oracle labels
  --init draft --layers 2 --fit distill   the draft's 2 x 64 weights, its own log-probabilities as step features

usage: compact_router.py --init judge --layers 1 --fit distill --steps 3000   (after build.sh stages 1-6)
Writes work/compact-<init><layers>-<fit>.json (and .pt).
"""
import argparse
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import tok
from model import Config, TinyGPT
from common import WORK, setup, load_ckpt, read_jsonl, pad_right, adamw, clip_and_step, cosine_lr
from metrics import spearman, roc_auc
from train_prm import head_inputs, fit_heads
from train_router import encode, router_from_judge, router_scores, training_set


def quality(m, rows):
    s = np.array(router_scores(m, rows, True))
    y = np.array([r["label"] for r in rows])
    d = np.array([r["delta"] for r in rows])
    nt = np.array([r["draft_step"] != r["target_step"] for r in rows])
    return {"pairs": len(rows), "auc": roc_auc(s, y), "spearman_all": spearman(s, d),
            "spearman_non_tie": spearman(s[nt], d[nt])}


def student(init, layers):
    if init == "judge":
        m = router_from_judge(os.path.join(WORK, "prm.pt"), True)
    else:
        ck = torch.load(os.path.join(WORK, "draft.pt"), map_location="cpu")
        m = TinyGPT(Config.from_dict({**ck["config"], "delim_id": tok.DELIM_LAST}), head="cls2")
        m.load_state_dict(ck["state"], strict=False)  # the heads are new
        with torch.no_grad():
            m.cls_head.weight.zero_(); m.cls_head.bias.zero_(); m.feat_cls.weight.zero_()
            m.feat_cls.weight[1, 0] = -0.3  # a low min log p of the draft's own step: escalate
    m.blocks = torch.nn.ModuleList(list(m.blocks)[:layers])
    m.c.n_layer = layers
    m.c.feature_skip = len(tok.encode("Model 0: "))
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", choices=["judge", "draft"], default="judge")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--fit", choices=["head", "distill"], default="distill")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--label-weight", type=float, default=0.5)
    ap.add_argument("--teacher", default=os.path.join(WORK, "router.pt"))
    a = ap.parse_args()
    setup(777)
    name = f"compact-{a.init}{a.layers}-{a.fit}"
    data = read_jsonl(os.path.join(WORK, "oracle_train.jsonl"))
    heldout = read_jsonl(os.path.join(WORK, "oracle_test.jsonl"))
    rng = random.Random(777)
    problems = sorted({r["problem_id"] for r in data})
    val_ids = set(rng.sample(problems, len(problems) // 8))
    val = [r for r in data if r["problem_id"] in val_ids]
    train = [r for r in data if r["problem_id"] not in val_ids]
    m = student(a.init, a.layers)
    t0 = time.time()
    history = []
    if a.fit == "head":
        sub = training_set(train, True, rng)
        seqs = [encode(r, True) for r in sub]
        H, Fe = head_inputs(m, seqs, [[len(x) - 1] for x in seqs])
        fit_heads(m.cls_head, m.feat_cls, H, Fe, torch.tensor([r["label"] for r in sub]), 2000, 1e-2, 1e-4,
                  os.path.join(WORK, f"{name}.log"), name, classes=2)
    else:
        teacher, _ = load_ckpt(a.teacher, head="cls2")
        with torch.no_grad():
            tp = torch.tensor(router_scores(teacher, train, True))
        seqs = [encode(r, True) for r in train]
        ys = torch.tensor([r["label"] for r in train]).float()
        pos_w = (len(ys) - ys.sum()) / ys.sum()
        m.train()
        opt = adamw(m, a.lr, 0.01)
        idx = list(range(len(train)))
        for st in range(a.steps):
            for g in opt.param_groups:
                g["lr"] = cosine_lr(st, a.steps, a.lr, 100)
            bi = rng.sample(idx, a.batch)
            ids, mask = pad_right([seqs[i] for i in bi])
            out, _ = m(ids, mask)
            z = out[torch.arange(len(bi)), mask.sum(1) - 1]
            zd = z[:, 1] - z[:, 0]
            loss = F.binary_cross_entropy_with_logits(zd, tp[bi])
            if a.label_weight > 0:
                loss = loss + a.label_weight * F.binary_cross_entropy_with_logits(zd, ys[bi], pos_weight=pos_w) / pos_w
            loss.backward()
            clip_and_step(m, opt)
            if st % 500 == 499 or st == a.steps - 1:
                m.eval()
                q = quality(m, val)
                history.append({"step": st + 1, "seconds": round(time.time() - t0), "val": q})
                print(f"{name} step {st + 1} ({time.time() - t0:.0f}s) validation AUC {q['auc']:.3f} "
                      f"rho non-tie {q['spearman_non_tie']:.3f}", flush=True)
                m.train()
    m.eval()
    res = {"name": name, "init": a.init, "layers": a.layers, "fit": a.fit, "steps": a.steps if a.fit == "distill" else 0,
           "train_pairs": len(train), "validation": quality(m, val), "heldout": quality(m, heldout),
           "history": history, "seconds": round(time.time() - t0)}
    print(json.dumps(res["validation"]), json.dumps(res["heldout"]), flush=True)
    with open(os.path.join(WORK, f"{name}.json"), "w") as f:
        json.dump(res, f, indent=1)
    torch.save({"config": m.c.to_dict(), "state": m.state_dict(), "head": "cls2"}, os.path.join(WORK, f"{name}.pt"))


if __name__ == "__main__":
    main()

"""Train demo-router (Arbitrage): initialised from demo-prm's weights, its 2-class head at the last
position fine-tuned on oracle labels y = 1[PRM(target) - PRM(draft) > 0] (trunk and LM head frozen).

Variants: --no-downsample (train on all pairs, imbalanced), --no-annotate (no "Model i: " prefixes).
The classification head starts as [0, -PRM value head], i.e. score = sigmoid(-PRM value) = "the
PRM doubts the draft's step", then fitted full-batch for a fixed number of iterations.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

import tok
from common import WORK, setup, log, save_ckpt, load_ckpt, read_jsonl, score_batch
from train_prm import head_inputs, fit_heads


def encode(rec, annotate):
    return tok.router_input(rec["question"], rec["context_steps"], rec["context_sources"], rec["draft_step"],
                            annotate=annotate)


def router_scores(m, recs, annotate, batch=64):
    outs = score_batch(m, [encode(r, annotate) for r in recs], batch)
    return [float(torch.softmax(o[-1], -1)[1]) for o in outs]


@torch.no_grad()
def heads_from_judge(m):
    """The 2-class head starts as [0, -PRM value]: score = sigmoid(-PRM value), "the judge doubts the step"."""
    m.cls_head.weight.zero_()
    m.cls_head.bias.zero_()
    m.cls_head.weight[1].copy_(-m.value_head.weight[0])
    m.cls_head.bias[1].copy_(-m.value_head.bias[0])
    m.feat_cls.weight.zero_()
    m.feat_cls.weight[1].copy_(-m.feat_value.weight[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", default="router")
    ap.add_argument("--prm", default=os.path.join(WORK, "prm.pt"))
    ap.add_argument("--data", default=os.path.join(WORK, "oracle_train.jsonl"))
    ap.add_argument("--steps", type=int, default=2000, help="full-batch iterations of the head fit")
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--no-downsample", action="store_true")
    ap.add_argument("--no-annotate", action="store_true")
    a = ap.parse_args()
    setup(a.seed)
    logf = os.path.join(WORK, f"{a.name}.log")
    annotate = not a.no_annotate
    data = read_jsonl(a.data)
    pos = [r for r in data if r["label"] == 1]
    neg = [r for r in data if r["label"] == 0]
    rng = random.Random(a.seed)
    if a.no_downsample:
        train = list(data)
    else:
        train = pos + rng.sample(neg, min(len(neg), len(pos)))
    log(f"{a.name}: oracle pairs {len(data)} (y=1 {len(pos)}, y=0 {len(neg)}); training set {len(train)} "
        f"(y=1 {sum(r['label'] for r in train)}), annotate={annotate}", logf)
    m, _ = load_ckpt(a.prm, head="cls2")
    if annotate:
        m.c.feature_skip = len(tok.encode("Model 0: "))  # the prefix is not part of the step's evidence
    heads_from_judge(m)
    # The trunk and LM head stay frozen (the step features read the LM head's probabilities); the
    # 2-class head over (hidden state, step features) at the last position is fine-tuned.
    seqs = [encode(r, annotate) for r in train]
    H, Fe = head_inputs(m, seqs, [[len(x) - 1] for x in seqs])
    y = torch.tensor([r["label"] for r in train])
    t0 = time.time()
    loss = fit_heads(m.cls_head, m.feat_cls, H, Fe, y, a.steps, a.lr, a.wd, logf, a.name, classes=2)
    m.eval()
    info = {"name": a.name, "steps": a.steps, "lr": a.lr, "wd": a.wd, "final_ce": loss, "seed": a.seed,
            "annotate": annotate, "feature_skip": m.c.feature_skip, "downsample": not a.no_downsample, "oracle_pairs": len(data),
            "oracle_pos": len(pos), "oracle_neg": len(neg), "train_examples": len(train),
            "train_pos": sum(r["label"] for r in train), "seconds": time.time() - t0}
    save_ckpt(os.path.join(WORK, f"{a.name}.pt"), m, info)
    with open(os.path.join(WORK, f"{a.name}.train.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()

"""Train demo-router (Arbitrage): initialised from demo-prm's weights, fine-tuned as a 2-class
classifier at the last position on oracle labels y = 1[PRM(target) - PRM(draft) > 0].

Variants: --no-downsample (train on all pairs, imbalanced), --no-annotate (no "Model i: " prefixes).
The classification head starts as [0, -PRM value head], i.e. score = sigmoid(-PRM value) = "the
PRM doubts the draft's step", then everything is fine-tuned.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

import tok
from common import (WORK, adamw, clip_and_step, setup, log, save_ckpt, load_ckpt, cosine_lr, pad_right, micro_batches,
                    read_jsonl,
                    score_batch)


def encode(rec, annotate):
    return tok.router_input(rec["question"], rec["context_steps"], rec["context_sources"], rec["draft_step"],
                            annotate=annotate)


def router_scores(m, recs, annotate, batch=64):
    outs = score_batch(m, [encode(r, annotate) for r in recs], batch)
    return [float(torch.softmax(o[-1], -1)[1]) for o in outs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", default="router")
    ap.add_argument("--prm", default=os.path.join(WORK, "prm.pt"))
    ap.add_argument("--data", default=os.path.join(WORK, "oracle_train.jsonl"))
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
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
    enc = [(encode(r, annotate), r["label"]) for r in train]
    lengths = [len(e[0]) for e in enc]
    m, _ = load_ckpt(a.prm, head="cls2")
    with torch.no_grad():
        m.cls_head.weight.zero_()
        m.cls_head.bias.zero_()
        m.cls_head.weight[1].copy_(-m.value_head.weight[0])
        m.cls_head.bias[1].copy_(-m.value_head.bias[0])
    opt = adamw(m, a.lr, 0.01)
    idx = []
    t0 = time.time()
    ema = None
    for step in range(a.steps):
        if len(idx) < a.batch:
            idx = list(range(len(enc)))
            rng.shuffle(idx)
        b = sorted([idx.pop() for _ in range(a.batch)], key=lambda i: lengths[i])
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.steps, a.lr, 30)
        m.train()
        tot = 0.0
        for mb in micro_batches(b, lengths, m.c.n_head):
            ids, mask = pad_right([enc[i][0] for i in mb])
            logits, _ = m(ids, mask)
            last = mask.sum(1) - 1
            lg = logits[torch.arange(len(mb)), last]
            y = torch.tensor([enc[i][1] for i in mb])
            loss = F.cross_entropy(lg, y, reduction="sum") / len(b)
            loss.backward()
            tot += float(loss)
        clip_and_step(m, opt)
        ema = tot if ema is None else 0.98 * ema + 0.02 * tot
        if step % 50 == 0 or step == a.steps - 1:
            log(f"step {step} ce {ema:.4f} {(time.time() - t0) / (step + 1):.2f}s/step", logf)
    m.eval()
    info = {"name": a.name, "steps": a.steps, "batch": a.batch, "lr": a.lr, "seed": a.seed,
            "annotate": annotate, "downsample": not a.no_downsample, "oracle_pairs": len(data),
            "oracle_pos": len(pos), "oracle_neg": len(neg), "train_examples": len(train),
            "train_pos": sum(r["label"] for r in train), "seconds": time.time() - t0}
    save_ckpt(os.path.join(WORK, f"{a.name}.pt"), m, info)
    with open(os.path.join(WORK, f"{a.name}.train.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()

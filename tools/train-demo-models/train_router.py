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

import numpy as np
import torch
import torch.nn.functional as F

import tok
from common import WORK, setup, log, save_ckpt, load_ckpt, read_jsonl, score_batch
from train_prm import head_inputs, fit_heads
from metrics import roc_auc, spearman


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


def router_from_judge(prm_path, annotate):
    """The judge's weights with its 2-class head started from the judge's value head (the paper's init)."""
    m, _ = load_ckpt(prm_path, head="cls2")
    if annotate:
        m.c.feature_skip = len(tok.encode("Model 0: "))  # the prefix is not part of the step's evidence
    heads_from_judge(m)
    return m


def split_by_problem(data, frac, seed):
    """(fit, validation) pairs, whole problems on each side so that no context leaks across."""
    ids = sorted({r["problem_id"] for r in data})
    random.Random(seed).shuffle(ids)
    val_ids = set(ids[:int(len(ids) * frac)])
    return [r for r in data if r["problem_id"] not in val_ids], [r for r in data if r["problem_id"] in val_ids]


def training_set(data, downsample, rng):
    pos = [r for r in data if r["label"] == 1]
    neg = [r for r in data if r["label"] == 0]
    return pos + rng.sample(neg, min(len(neg), len(pos))) if downsample else list(data)


def select_steps(a, data, annotate, candidates, logf):
    """The candidate iteration count with the best validation rho where the steps differ (AUC breaks ties)."""
    fit_data, val = split_by_problem(data, 0.2, a.seed + 1)
    train = training_set(fit_data, not a.no_downsample, random.Random(a.seed))
    m = router_from_judge(a.prm, annotate)
    seqs = [encode(r, annotate) for r in train]
    H, Fe = head_inputs(m, seqs, [[len(x) - 1] for x in seqs])
    y = torch.tensor([r["label"] for r in train])
    vseqs = [encode(r, annotate) for r in val]
    vH, vFe = head_inputs(m, vseqs, [[len(x) - 1] for x in vseqs])
    differ = np.array([r["draft_step"] != r["target_step"] for r in val])
    delta = np.array([r["delta"] for r in val])
    vlabel = np.array([r["label"] for r in val])
    results = []
    for steps in candidates:
        heads_from_judge(m)
        fit_heads(m.cls_head, m.feat_cls, H, Fe, y, steps, a.lr, a.wd, logf, f"{a.name} select {steps}", classes=2)
        with torch.no_grad():
            z = F.linear(vH, m.cls_head.weight, m.cls_head.bias) + F.linear(vFe, m.feat_cls.weight)
            s = torch.softmax(z, -1)[:, 1].numpy()
        r = {"steps": steps, "rho_non_tie": spearman(s[differ], delta[differ]), "rho_all": spearman(s, delta),
             "auc": roc_auc(s, vlabel)}
        log(f"{a.name} validation ({len(val)} pairs, {int(differ.sum())} where the steps differ): steps {steps} "
            f"rho non-tie {r['rho_non_tie']:.3f} rho all {r['rho_all']:.3f} AUC {r['auc']:.3f}", logf)
        results.append(r)
    best = max(results, key=lambda r: (r["rho_non_tie"], r["auc"]))
    return best["steps"], {"pairs": len(val), "non_tie": int(differ.sum()), "candidates": results}


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
    ap.add_argument("--select-steps", default="",
                    help="comma-separated candidate iteration counts: fit each on the pairs of 80 %% of the train "
                         "problems, keep the one with the best Spearman rho vs the oracle delta where the steps "
                         "differ on the other 20 %%, then fit on all pairs with it (early stopping on a validation "
                         "split of the train data; the held-out test pairs are never read)")
    a = ap.parse_args()
    setup(a.seed)
    logf = os.path.join(WORK, f"{a.name}.log")
    annotate = not a.no_annotate
    data = read_jsonl(a.data)
    pos = [r for r in data if r["label"] == 1]
    neg = [r for r in data if r["label"] == 0]
    selection = None
    if a.select_steps:
        a.steps, selection = select_steps(a, data, annotate, [int(x) for x in a.select_steps.split(",")], logf)
        log(f"{a.name}: {a.steps} iterations chosen on the validation split", logf)
    train = training_set(data, not a.no_downsample, random.Random(a.seed))
    log(f"{a.name}: oracle pairs {len(data)} (y=1 {len(pos)}, y=0 {len(neg)}); training set {len(train)} "
        f"(y=1 {sum(r['label'] for r in train)}), annotate={annotate}", logf)
    m = router_from_judge(a.prm, annotate)
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
            "train_pos": sum(r["label"] for r in train), "seconds": time.time() - t0,
            **({"step_selection": selection} if selection else {})}
    save_ckpt(os.path.join(WORK, f"{a.name}.pt"), m, info)
    with open(os.path.join(WORK, f"{a.name}.train.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()

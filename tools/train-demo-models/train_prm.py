"""Train demo-prm: the target LM's trunk + a value head, fine-tuned with binary cross-entropy on
step labels at the appended delimiter positions (Skywork-PRM convention).

usage: train_prm.py --init work/target.pt --draft work/draft.pt --target work/target.pt --steps 800
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

import tok
from common import (WORK, DATA_DIR, adamw, clip_and_step, setup, log, save_ckpt, load_ckpt, load_lm, cosine_lr,
                    pad_right,
                    micro_batches, read_jsonl, write_jsonl, prm_scores)
from metrics import roc_auc
from prm_data import model_solutions, corrupted_set, reference_set


def build_data(a, logf):
    train = read_jsonl(os.path.join(WORK, "train.jsonl"))
    lo = a.data_offset
    rows_d = train[lo:lo + a.n_draft]
    rows_t = train[lo + a.n_draft:lo + a.n_draft + a.n_target]
    rows_c = train[lo + a.n_draft + a.n_target:lo + a.n_draft + a.n_target + a.n_corrupt]
    draft, _ = load_lm(a.draft)
    target, _ = load_lm(a.target)
    t0 = time.time()
    d = model_solutions(draft, rows_d, "draft")
    log(f"draft solutions: {len(d)} in {time.time() - t0:.0f}s", logf)
    t = model_solutions(target, rows_t, "target")
    log(f"target solutions: {len(t)} in {time.time() - t0:.0f}s", logf)
    c = corrupted_set(rows_c, a.seed)
    data = d + t + c
    write_jsonl(os.path.join(WORK, "prm_train_data.jsonl"), data)
    return data


def held_out(a, logf):
    """Draft-written steps on the validation split (used for model selection-free reporting)
    and on the test split (the reported AUC; a slice of it is shipped as prm-steps.jsonl)."""
    draft, _ = load_lm(a.draft)
    test = read_jsonl(os.path.join(DATA_DIR, "test.jsonl"))
    sols = model_solutions(draft, test, "draft")
    write_jsonl(os.path.join(WORK, "prm_heldout_draft_test.jsonl"), sols)
    return sols


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", required=True)
    ap.add_argument("--draft", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=4321)
    ap.add_argument("--data-offset", type=int, default=100000)
    ap.add_argument("--n-draft", type=int, default=6000)
    ap.add_argument("--n-target", type=int, default=1000)
    ap.add_argument("--n-corrupt", type=int, default=4000)
    ap.add_argument("--out", default=os.path.join(WORK, "prm.pt"))
    a = ap.parse_args()
    setup(a.seed)
    logf = os.path.join(WORK, "prm.log")
    data_path = os.path.join(WORK, "prm_train_data.jsonl")
    data = read_jsonl(data_path) if os.path.exists(data_path) and os.environ.get("REUSE_PRM_DATA") else build_data(a, logf)
    n_steps = sum(len(x["labels"]) for x in data)
    n_pos = sum(sum(x["labels"]) for x in data)
    log(f"PRM data: {len(data)} solutions, {n_steps} steps, {n_pos} correct, {n_steps - n_pos} incorrect; "
        + ", ".join(f"{s}: {sum(1 for x in data if x['source'] == s)}" for s in ("draft", "target", "corrupt")), logf)
    enc = []
    for x in data:
        ids, pos = tok.prm_input(x["question"], x["steps"])
        enc.append((ids, pos, x["labels"]))
    lengths = [len(e[0]) for e in enc]
    m, _ = load_ckpt(a.init, head="value")
    with torch.no_grad():
        m.value_head.weight.zero_()
        m.value_head.bias.zero_()
    opt = adamw(m, a.lr, 0.01)
    rng = random.Random(a.seed)
    idx = []
    t0 = time.time()
    ema = None
    for step in range(a.steps):
        if len(idx) < a.batch:
            idx = list(range(len(enc)))
            rng.shuffle(idx)
        b = [idx.pop() for _ in range(a.batch)]
        b.sort(key=lambda i: lengths[i])
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.steps, a.lr, 50)
        m.train()
        n_lab = sum(len(enc[i][2]) for i in b)
        tot = 0.0
        for mb in micro_batches(b, lengths, m.c.n_head):
            ids, mask = pad_right([enc[i][0] for i in mb])
            vals, _ = m(ids, mask)
            rows_, cols_, ys = [], [], []
            for j, i in enumerate(mb):
                for p, y in zip(enc[i][1], enc[i][2]):
                    rows_.append(j)
                    cols_.append(p)
                    ys.append(float(y))
            v = vals[torch.tensor(rows_), torch.tensor(cols_)]
            loss = F.binary_cross_entropy_with_logits(v, torch.tensor(ys), reduction="sum") / n_lab
            loss.backward()
            tot += float(loss)
        clip_and_step(m, opt)
        ema = tot if ema is None else 0.98 * ema + 0.02 * tot
        if step % 50 == 0 or step == a.steps - 1:
            log(f"step {step} bce {ema:.4f} {(time.time() - t0) / (step + 1):.2f}s/step", logf)
    m.eval()
    info = {"steps": a.steps, "batch": a.batch, "lr": a.lr, "seed": a.seed, "solutions": len(data),
            "labelled_steps": n_steps, "correct_steps": n_pos, "incorrect_steps": n_steps - n_pos,
            "by_source": {s: sum(1 for x in data if x["source"] == s) for s in ("draft", "target", "corrupt")},
            "seconds": time.time() - t0, "init": os.path.basename(a.init)}
    save_ckpt(a.out, m, info)
    with open(os.path.join(WORK, "prm.train.json"), "w") as f:
        json.dump(info, f, indent=1)
    log("saved " + a.out, logf)


if __name__ == "__main__":
    main()

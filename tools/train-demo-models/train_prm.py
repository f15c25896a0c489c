"""Train demo-prm (Skywork-PRM convention: a value per position, read through a sigmoid at each
step's appended delimiter).

Two phases:
  1. the target LM is fine-tuned as a language model on reference solutions written in the scorer
     input formats (the PRM's, and the router's with and without "Model i: " annotations), so that
     its next-token probabilities stay meaningful in those formats (work/prm-lm.pt);
  2. that trunk and LM head are frozen; the value head reads the hidden state at the delimiter plus
     the step's token log-probabilities (min, sum, mean; model.TinyGPT.step_features) and is
     trained with binary cross-entropy on the labelled steps (full batch, fixed iterations).

usage: train_prm.py --init work/target.pt --draft work/draft.pt --target work/target.pt
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

from model import Config, TinyGPT
from train_lm import masked_lm_backward

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


def scorer_format_example(rng, problem, steps):
    """One reference solution as a scorer sees it, with LM targets on the step tokens and delimiters
    (-100 elsewhere: the question, the "Model i: " prefixes, whose digit is not predictable)."""
    kind = rng.choice(["prm", "prm", "annotated", "plain"])
    ids = ([tok.BOS] if kind == "prm" else []) + tok.encode(problem + "\n")
    tgt = [-100] * len(ids)
    for s in steps:
        if kind == "annotated":
            pre = tok.encode(f"Model {rng.randrange(2)}: ")
            ids += pre
            tgt += [-100] * len(pre)
        e = tok.encode(s) + [tok.DELIM_LAST]
        ids += e
        tgt += e
    return ids, tgt


def adapt_lm(a, logf):
    m, _ = load_ckpt(a.init)
    rows = read_jsonl(os.path.join(WORK, "train.jsonl"))[a.adapt_offset:a.adapt_offset + a.adapt_rows]
    rng = random.Random(a.seed + 1)
    opt = adamw(m, a.adapt_lr, 0.01)
    t0 = time.time()
    ema = None
    for step in range(a.adapt_steps):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.adapt_steps, a.adapt_lr, 20)
        batch = []
        for _ in range(a.adapt_batch):
            r = rows[rng.randrange(len(rows))]
            batch.append(scorer_format_example(rng, r["problem"], r["solution"].split("\n\n")))
        batch.sort(key=lambda e: len(e[0]))
        lengths = [len(e[0]) for e in batch]
        n_tgt = sum(sum(1 for t in e[1][1:] if t != -100) for e in batch)
        m.train()
        tot = 0.0
        for mb in micro_batches(list(range(len(batch))), lengths, m.c.n_head):
            ids, mask = pad_right([batch[i][0] for i in mb])
            tg = torch.full(ids.shape, -100, dtype=torch.long)
            for j, i in enumerate(mb):
                tg[j, :len(batch[i][1])] = torch.tensor(batch[i][1])
            tot += masked_lm_backward(m, ids, mask, tg[:, 1:], n_tgt)
        clip_and_step(m, opt)
        ema = tot if ema is None else 0.95 * ema + 0.05 * tot
        if step % 50 == 0 or step == a.adapt_steps - 1:
            log(f"adapt step {step} lm loss {ema:.4f} {(time.time() - t0) / (step + 1):.2f}s/step", logf)
    m.eval()
    save_ckpt(os.path.join(WORK, "prm-lm.pt"), m, {"adapt_steps": a.adapt_steps, "adapt_batch": a.adapt_batch,
                                                  "adapt_lr": a.adapt_lr, "seconds": time.time() - t0})
    return m


def as_scorer(lm, head):
    """The LM's weights (rounded to fp16 as exported) in a scorer whose heads read the step features."""
    cfg = Config.from_dict({**lm.c.to_dict(), "delim_id": tok.DELIM_LAST})
    m = TinyGPT(cfg, head=head)
    missing, unexpected = m.load_state_dict(lm.state_dict(), strict=False)
    assert not unexpected and all(k.startswith("feat_") for k in missing), (missing, unexpected)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(p.half().float())
        for p in (m.value_head.weight, m.value_head.bias, m.cls_head.weight, m.cls_head.bias,
                  m.feat_value.weight, m.feat_cls.weight):
            p.zero_()
    m.eval()
    return m


@torch.no_grad()
def head_inputs(m, seqs, positions, batch=64):
    """(hidden state, step features) at the given positions of each sequence, from the frozen trunk."""
    hs, fs = [], []
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = [None] * len(seqs)
    for c in range(0, len(order), batch):
        part = order[c:c + batch]
        ids, mask = pad_right([seqs[i] for i in part])
        h, _ = m.trunk(ids, mask, (mask.cumsum(1) - 1).clamp(min=0))
        f = m.step_features(ids, mask, h)
        for j, i in enumerate(part):
            out[i] = (h[j, positions[i]], f[j, positions[i]])
    for h, f in out:
        hs.append(h)
        fs.append(f)
    return torch.cat(hs), torch.cat(fs)


def fit_heads(h_lin, f_lin, H, Fe, y, iters, lr, wd, logf, tag, classes=1):
    """Full-batch Adam on the heads only: logits = h_lin(H) + f_lin(Fe); BCE (classes=1) or CE (2)."""
    params = [h_lin.weight, h_lin.bias, f_lin.weight]
    for p in params:
        p.requires_grad_(True)
    opt = torch.optim.Adam(params, lr=lr)
    for it in range(iters):
        opt.zero_grad()
        z = F.linear(H, h_lin.weight, h_lin.bias) + F.linear(Fe, f_lin.weight)
        if classes == 1:
            loss = F.binary_cross_entropy_with_logits(z.squeeze(-1), y.float())
        else:
            loss = F.cross_entropy(z, y)
        (loss + wd * (h_lin.weight.pow(2).sum() + f_lin.weight.pow(2).sum())).backward()
        opt.step()
        if it % 500 == 0 or it == iters - 1:
            log(f"{tag} head iter {it} loss {float(loss):.4f}", logf)
    return float(loss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", required=True)
    ap.add_argument("--draft", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--adapt-steps", type=int, default=300)
    ap.add_argument("--adapt-batch", type=int, default=16)
    ap.add_argument("--adapt-lr", type=float, default=5e-4)
    ap.add_argument("--adapt-offset", type=int, default=112000)
    ap.add_argument("--adapt-rows", type=int, default=8000)
    ap.add_argument("--head-iters", type=int, default=3000)
    ap.add_argument("--head-lr", type=float, default=1e-2)
    ap.add_argument("--head-wd", type=float, default=1e-4)
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
    t0 = time.time()
    lm_path = os.path.join(WORK, "prm-lm.pt")
    lm = load_ckpt(lm_path)[0] if os.environ.get("REUSE_PRM_LM") and os.path.exists(lm_path) else adapt_lm(a, logf)
    m = as_scorer(lm, "value")
    seqs, poss, ys = [], [], []
    for x in data:
        ids, pos = tok.prm_input(x["question"], x["steps"])
        seqs.append(ids)
        poss.append(pos)
        ys += x["labels"]
    H, Fe = head_inputs(m, seqs, poss)
    y = torch.tensor(ys)
    log(f"head inputs: {H.shape[0]} steps in {time.time() - t0:.0f}s", logf)
    loss = fit_heads(m.value_head, m.feat_value, H, Fe, y, a.head_iters, a.head_lr, a.head_wd, logf, "prm")
    z = (F.linear(H, m.value_head.weight, m.value_head.bias) + F.linear(Fe, m.feat_value.weight)).squeeze(-1)
    train_auc = roc_auc(z.tolist(), ys)
    log(f"train step AUC {train_auc:.4f}; feature weights {[round(v, 4) for v in m.feat_value.weight[0].tolist()]}", logf)
    m.eval()
    info = {"adapt_steps": a.adapt_steps, "adapt_batch": a.adapt_batch, "adapt_lr": a.adapt_lr,
            "head_iters": a.head_iters, "head_lr": a.head_lr, "head_wd": a.head_wd, "final_bce": loss,
            "train_auc": train_auc, "seed": a.seed, "solutions": len(data),
            "labelled_steps": n_steps, "correct_steps": n_pos, "incorrect_steps": n_steps - n_pos,
            "by_source": {s: sum(1 for x in data if x["source"] == s) for s in ("draft", "target", "corrupt")},
            "seconds": time.time() - t0, "init": os.path.basename(a.init)}
    save_ckpt(a.out, m, info)
    with open(os.path.join(WORK, "prm.train.json"), "w") as f:
        json.dump(info, f, indent=1)
    log("saved " + a.out, logf)


if __name__ == "__main__":
    main()

"""Train demo-prm (Skywork-PRM convention: a value per position, read through a sigmoid at each
step's appended delimiter): an independent judge, initialised from neither LM.

Two phases:
  1. a fresh transformer (smaller than the target) is trained from scratch as a language model on
     reference solutions written in the scorer input formats (the PRM's, and the router's with and
     without "Model i: " annotations) - levels 1-5 train rows neither LM trained on and hard-tail
     problems from work/train_hard.jsonl - so that its next-token probabilities mean something in
     those formats (work/prm-lm.pt); a judge, like public PRMs, starts from a language model;
  2. that trunk and LM head are frozen; the value head reads the hidden state at the delimiter plus
     the step's token log-probabilities (min, sum, mean; model.TinyGPT.step_features) and is
     trained with binary cross-entropy on the Monte-Carlo step labels of mc_data.py (soft targets,
     full batch, fixed iterations). verify.py's labels are never used in training.

usage: train_prm.py --layers 3 --d 96 --heads 3 --lm-steps 1500
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

from model import Config, TinyGPT
from train_lm import masked_lm_backward, encode_arith
from data import arith_sequence, arith_equation
from prm_data import near_miss

import tok
from common import (WORK, adamw, clip_and_step, setup, log, save_ckpt, load_ckpt, cosine_lr, pad_right,
                    micro_batches, read_jsonl)
from metrics import roc_auc


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
    c = Config(tok.VOCAB_SIZE, a.layers, a.d, a.heads, 512, rope=True)
    torch.manual_seed(a.seed)
    m = TinyGPT(c, head="lm")
    rows = (read_jsonl(os.path.join(WORK, "train.jsonl"))[a.adapt_offset:a.adapt_offset + a.adapt_rows]
            + read_jsonl(os.path.join(WORK, "train_hard.jsonl"))[a.hard_offset:a.hard_offset + a.hard_rows])
    rng = random.Random(a.seed + 1)
    arng = random.Random(a.seed + 2)
    opt = adamw(m, a.adapt_lr, 0.01)
    t0 = time.time()
    ema = None
    eq_eval = equation_eval_set(random.Random(a.seed + 3), 400)
    for step in range(a.adapt_steps):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.adapt_steps, a.adapt_lr, 50)
        batch = []
        for _ in range(a.adapt_batch):
            if arng.random() < a.arith_frac:
                # arithmetic practice: packed equations over the whole value range of the benchmark
                # (hard tail included), loss on the results only
                ids, lmk = encode_arith(arith_sequence(arng, cap=arng.choice(ARITH_CAPS)))
                batch.append((ids, [t if k else -100 for t, k in zip(ids, lmk)]))
                continue
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
            log(f"judge LM step {step} lm loss {ema:.4f} {(time.time() - t0) / (step + 1):.2f}s/step", logf)
        if (step + 1) % a.eval_every == 0 or step == a.adapt_steps - 1:
            m.eval()
            ev = equation_auc(m, eq_eval)
            log(f"judge LM step {step + 1}: equation check AUC (min log p of the result, right vs near-miss) "
                + " ".join(f"{k} {v:.3f}" for k, v in ev.items()), logf)
            save_ckpt(os.path.join(WORK, "prm-lm.pt"), m, {"partial": step + 1, "equation_auc": ev})
    m.eval()
    save_ckpt(os.path.join(WORK, "prm-lm.pt"), m, {"lm_steps": a.adapt_steps, "lm_batch": a.adapt_batch,
                                                  "lm_lr": a.adapt_lr, "arith_frac": a.arith_frac,
                                                  "arith_caps": list(ARITH_CAPS), "final_lm_loss": ema,
                                                  "equation_auc": ev, "seconds": time.time() - t0})
    return m


# Value caps of the judge's arithmetic practice: the ranges of levels 1-2, 3-5 and the hard tail (to 250),
# and beyond it, so that the hard tail's values are not at the edge of what the judge practised.
ARITH_CAPS = (99, 199, 250, 300)


def equation_eval_set(rng, n):
    """n held-out equations of the benchmark's kinds (values to 250), each once with its right result and
    once with a near miss of it (the slips an LM makes: one digit, +-1, +-10, swapped digits)."""
    out = []
    for _ in range(n):
        e = arith_equation(rng, cap=250)
        lhs, c = e.split(" = ")
        out.append((lhs, int(c), near_miss(rng, int(c))))
    return out


@torch.no_grad()
def equation_auc(m, evs):
    """ROC-AUC of min log p over the result characters, right vs near-miss result, by operator."""
    by = {}
    seqs, meta = [], []
    for lhs, c, w in evs:
        op = lhs.split(" ")[1]
        for val, ok in ((c, 1), (w, 0)):
            text = f"{lhs} = {val}."
            ids = [tok.BOS] + tok.encode(text)
            seqs.append(ids)
            meta.append((op, ok, len(tok.encode(lhs + " = ")) + 1, len(ids)))
    ids, mask = pad_right(seqs)
    logits, _ = m(ids, mask)
    lp = torch.log_softmax(logits[:, :-1].float(), -1).gather(2, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    for j, (op, ok, start, end) in enumerate(meta):
        v = float(lp[j, start - 1:end - 1].min())
        by.setdefault(op, ([], []))
        by[op][0].append(v)
        by[op][1].append(ok)
        by.setdefault("all", ([], []))
        by["all"][0].append(v)
        by["all"][1].append(ok)
    return {k: roc_auc(s, y) for k, (s, y) in by.items()}


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
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--d", type=int, default=96)
    ap.add_argument("--heads", type=int, default=3)
    ap.add_argument("--lm-steps", dest="adapt_steps", type=int, default=1500)
    ap.add_argument("--lm-batch", dest="adapt_batch", type=int, default=32)
    ap.add_argument("--lm-lr", dest="adapt_lr", type=float, default=3e-3)
    ap.add_argument("--lm-offset", dest="adapt_offset", type=int, default=112000)
    ap.add_argument("--lm-rows", dest="adapt_rows", type=int, default=8000)
    ap.add_argument("--arith-frac", type=float, default=0.5,
                    help="share of the judge LM's batch rows that are arithmetic practice (packed equations)")
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--hard-offset", type=int, default=1000)
    ap.add_argument("--hard-rows", type=int, default=2000)
    ap.add_argument("--head-iters", type=int, default=3000)
    ap.add_argument("--head-lr", type=float, default=1e-2)
    ap.add_argument("--head-wd", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=4321)
    ap.add_argument("--data", default=os.path.join(WORK, "prm_train_data.jsonl"))
    ap.add_argument("--out", default=os.path.join(WORK, "prm.pt"))
    a = ap.parse_args()
    setup(a.seed)
    logf = os.path.join(WORK, "prm.log")
    lm_path = os.path.join(WORK, "prm-lm.pt")
    t0 = time.time()
    if os.environ.get("REUSE_PRM_LM") and os.path.exists(lm_path):
        lm, lm_info = load_ckpt(lm_path)
    else:
        lm = adapt_lm(a, logf)
        lm_info = load_ckpt(lm_path)[1]
    if a.adapt_steps and not os.path.exists(a.data):
        log("judge LM trained; no MC data yet (" + a.data + ")", logf)
        return
    data = read_jsonl(a.data)
    n_steps = sum(len(x["labels"]) for x in data)
    log(f"PRM data: {len(data)} solutions, {n_steps} steps, mean MC label "
        f"{sum(sum(x['labels']) for x in data) / n_steps:.3f}; "
        + ", ".join(f"{s}: {sum(1 for x in data if x['source'] == s)}" for s in ("draft", "target")), logf)
    m = as_scorer(lm, "value")
    seqs, poss, ys, ver, src = [], [], [], [], []
    for x in data:
        ids, pos = tok.prm_input(x["question"], x["steps"])
        seqs.append(ids)
        poss.append(pos)
        ys += x["labels"]
        ver += x["verify"]
        src += [x["source"]] * len(x["labels"])
    H, Fe = head_inputs(m, seqs, poss)
    y = torch.tensor(ys, dtype=torch.float32)
    log(f"head inputs: {H.shape[0]} steps in {time.time() - t0:.0f}s", logf)
    loss = fit_heads(m.value_head, m.feat_value, H, Fe, y, a.head_iters, a.head_lr, a.head_wd, logf, "prm")
    z = (F.linear(H, m.value_head.weight, m.value_head.bias) + F.linear(Fe, m.feat_value.weight)).squeeze(-1).tolist()
    train_auc = {w: roc_auc([v for v, s in zip(z, src) if s == w], [v for v, s in zip(ver, src) if s == w])
                 for w in ("draft", "target")}
    log(f"train step AUC vs verify.py: {train_auc}; feature weights "
        f"{[round(v, 4) for v in m.feat_value.weight[0].tolist()]}", logf)
    m.eval()
    info = {"layers": a.layers, "d": a.d, "heads": a.heads, "lm_steps": a.adapt_steps, "lm_batch": a.adapt_batch,
            "lm_lr": a.adapt_lr, "lm_rows": a.adapt_rows, "lm_hard_rows": a.hard_rows, "arith_frac": a.arith_frac,
            "lm": {k: v for k, v in lm_info.items() if k in ("equation_auc", "arith_caps", "final_lm_loss", "seconds")},
            "head_iters": a.head_iters, "head_lr": a.head_lr, "head_wd": a.head_wd, "final_bce": loss,
            "train_auc_vs_verify": train_auc, "seed": a.seed, "solutions": len(data), "labelled_steps": n_steps,
            "mean_label": sum(ys) / n_steps,
            "by_source": {s: sum(1 for x in data if x["source"] == s) for s in ("draft", "target")},
            "seconds": time.time() - t0, "init": "scratch", "params": m.n_params()}
    save_ckpt(a.out, m, info)
    with open(os.path.join(WORK, "prm.train.json"), "w") as f:
        json.dump(info, f, indent=1)
    log("saved " + a.out, logf)


if __name__ == "__main__":
    main()

"""Train a causal LM (draft or target) on the arith-steps train split for a fixed number of steps.

usage: train_lm.py --name target --layers 4 --d 256 --heads 8 --steps 3000 --batch 32 --lr 1e-3
Loss is taken on the answer tokens only (steps, delimiters and <eos>), not on the prompt.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F

import tok
from common import (WORK, DATA_DIR, adamw, clip_and_step, setup, log, save_ckpt, load_ckpt, cosine_lr, pad_right,
                    length_batches, micro_batches,
                    read_jsonl, solve_greedy, accuracy_report)
from model import Config, TinyGPT
from data import arith_sequence


def encode_arith(text):
    """ids of a packed equation sequence and the mask of the result characters ("c." of "a op b = c.")."""
    ids = [tok.BOS] + tok.encode(text)
    lm = [0] * len(ids)
    pos = 1
    for line in text.split("\n"):
        k = line.index("= ") + 2
        for j in range(pos + k, pos + len(line)):
            lm[j] = 1
        pos += len(line) + 1
    return ids, lm


def masked_lm_backward(m, ids, mask, tgt, n_tgt):
    """Next-token loss on the positions where tgt is not -100, summed and divided by the batch's target
    count (micro-batches add up to the batch mean); backpropagates and returns the loss."""
    logits, _ = m(ids[:, :-1], mask[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100,
                           reduction="sum") / n_tgt
    loss.backward()
    return float(loss)


def encode_example(r):
    p = tok.lm_prompt_ids(r["problem"])
    a = tok.encode(r["solution"]) + [tok.EOS]
    return p + a, len(p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--layers", type=int, required=True)
    ap.add_argument("--d", type=int, required=True)
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True, help="steps on word problems")
    ap.add_argument("--arith-steps", type=int, default=0,
                    help="steps of arithmetic practice (packed equations) before the word problems")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--max-pos", type=int, default=512)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--eval-n", type=int, default=200)
    ap.add_argument("--train", default=os.path.join(WORK, "train.jsonl"))
    ap.add_argument("--train-rows", type=int, default=100000, help="use only the first N rows (later rows feed the PRM and router data)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--init", default=None, help="start from this checkpoint's weights (a continued run)")
    ap.add_argument("--stop-after", type=int, default=0,
                    help="stop after this many word-problem steps (the LR schedule still spans --steps)")
    a = ap.parse_args()
    setup(a.seed)
    out = a.out or os.path.join(WORK, f"{a.name}.pt")
    logf = os.path.join(WORK, f"{a.name}.log")
    rows = read_jsonl(a.train)[: a.train_rows]
    enc = [encode_example(r) for r in rows]
    lengths = [len(e[0]) for e in enc]
    val = read_jsonl(os.path.join(DATA_DIR, "validation.jsonl"))[: a.eval_n]
    cfg = Config(tok.VOCAB_SIZE, a.layers, a.d, a.heads, a.max_pos)
    m = TinyGPT(cfg, head="lm")
    if a.init:
        m, _ = load_ckpt(a.init, head="lm")
        cfg = m.c
    log(f"{a.name}: {a.layers}L d={a.d} h={a.heads} params={m.n_params()} steps={a.steps} "
        f"batch={a.batch} lr={a.lr} train_rows={len(rows)}", logf)
    opt = adamw(m, a.lr, 0.1)
    rng = random.Random(a.seed)
    batches = []
    t0 = time.time()
    tokens_seen = 0
    ema = None
    history = []
    arng = random.Random(a.seed + 1)
    for step in range(a.arith_steps):
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.arith_steps, a.lr, a.warmup)
        m.train()
        seqs = [encode_arith(arith_sequence(arng)) for _ in range(a.batch)]
        n_tgt = sum(sum(x[1]) for x in seqs)
        tot = 0.0
        lens = [len(x[0]) for x in seqs]
        for mb in micro_batches(list(range(len(seqs))), lens, a.heads):
            ids, mask = pad_right([seqs[i][0] for i in mb])
            lmk, _ = pad_right([seqs[i][1] for i in mb], value=0)
            tgt = ids[:, 1:].clone()
            tgt[lmk[:, 1:] == 0] = -100
            tot += masked_lm_backward(m, ids, mask, tgt, n_tgt)
            tokens_seen += int(mask.sum())
        clip_and_step(m, opt)
        ema = tot if ema is None else 0.98 * ema + 0.02 * tot
        if step % 50 == 0 or step == a.arith_steps - 1:
            log(f"arith step {step} loss {ema:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                f"{(time.time() - t0) / (step + 1):.2f}s/step", logf)
    ema = None
    t1 = time.time()
    n_steps = a.stop_after or a.steps
    for step in range(n_steps):
        if not batches:
            batches = length_batches(lengths, a.batch, rng)
        b = batches.pop()
        for g in opt.param_groups:
            g["lr"] = cosine_lr(step, a.steps, a.lr, a.warmup)
        m.train()
        n_tgt = sum(len(enc[i][0]) - enc[i][1] for i in b)
        tot = 0.0
        for mb in micro_batches(b, lengths, a.heads):
            ids, mask = pad_right([enc[i][0] for i in mb])
            tgt = ids[:, 1:].clone()
            lm = torch.zeros_like(tgt)
            for j, i in enumerate(mb):
                pl, L = enc[i][1], len(enc[i][0])
                lm[j, pl - 1:L - 1] = 1
            tgt[lm == 0] = -100
            tot += masked_lm_backward(m, ids, mask, tgt, n_tgt)
            tokens_seen += int(mask.sum())
        clip_and_step(m, opt)
        loss = tot
        ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
        if step % 50 == 0 or step == n_steps - 1:
            log(f"step {step} loss {ema:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                f"{(time.time() - t1) / (step + 1):.2f}s/step", logf)
        if a.eval_every and ((step + 1) % a.eval_every == 0) and step + 1 < n_steps:
            m.eval()
            rep = accuracy_report(val, solve_greedy(m, [r["problem"] for r in val]))
            history.append({"step": step + 1, "val": rep})
            log(f"eval step {step + 1}: val acc {rep['overall']:.3f} "
                + " ".join(f"L{k}={v['acc']:.2f}" for k, v in rep["by_level"].items()), logf)
            save_ckpt(out, m, {"partial": step + 1})
    m.eval()
    rep = accuracy_report(val, solve_greedy(m, [r["problem"] for r in val]))
    log(f"final: val acc {rep['overall']:.3f} " + " ".join(f"L{k}={v['acc']:.2f}" for k, v in rep["by_level"].items()), logf)
    train_info = {"name": a.name, "layers": a.layers, "d_model": a.d, "heads": a.heads, "steps": n_steps, "schedule_steps": a.steps, "init": a.init,
                  "arith_steps": a.arith_steps, "arith_examples": a.arith_steps * a.batch,
                  "batch": a.batch, "lr": a.lr, "warmup": a.warmup, "seed": a.seed, "tokens_seen": tokens_seen,
                  "examples_seen": n_steps * a.batch, "train_rows": len(rows), "final_loss_ema": ema,
                  "seconds": time.time() - t0, "val_history": history, "val_final": rep,
                  "params": m.n_params()}
    save_ckpt(out, m, train_info)
    with open(os.path.join(WORK, f"{a.name}.train.json"), "w") as f:
        json.dump(train_info, f, indent=1)


if __name__ == "__main__":
    main()

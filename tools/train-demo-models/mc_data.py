"""Monte-Carlo step labels for the PRM, as in Math-Shepherd (Wang et al., 2024).

Writers: the draft and the target each solve every problem greedily (full solutions, steps split at
"\\n\\n"). A step's label is the fraction of K completions from just after it that reach the
problem's answer. The completer is a fixed policy: the target LM, sampling at temperature 1. A step
that states a boxed answer ends its solution, and its label is whether that answer is right (what
every completion of it would find). Labels are soft (fractions in [0, 1]); verify.py's correctness
of each step is stored beside them for reporting only - the PRM never trains on it.

Problems: levels 1-5 from the train rows that neither LM trained on, and hard-tail (level 6)
problems from work/train_hard.jsonl, so the target's own errors on the hard tail are in the data.

usage: mc_data.py --n 110 --n-hard 37 --k 4 [--shard 0 --shards 2] --out work/prm_train_data.0.jsonl
"""
import argparse
import os
import time

import torch

import tok
from common import WORK, DELIM, setup, log, load_lm, read_jsonl, write_jsonl, greedy_batch, boxed_answer
from prm_data import model_solutions

TEMPERATURE = 1.0


def completion_prompts(sols, rows_by_id):
    """(solution index, step index, prompt ids) for every step without a boxed answer."""
    out = []
    for si, s in enumerate(sols):
        q = rows_by_id[s["unique_id"]]["problem"]
        for k, st in enumerate(s["steps"]):
            if boxed_answer(st) is None:
                text = q + DELIM + "".join(x + DELIM for x in s["steps"][:k + 1])
                out.append((si, k, [tok.BOS] + tok.encode(text)))
    return out


def mc_labels(completer, sols, rows_by_id, k, seed, batch=32, max_new=240, logf=None, k_hard=None):
    """k completions per step (k_hard on hard-tail problems, whose values are noisier at the same k)."""
    gen = torch.Generator().manual_seed(seed)
    jobs = completion_prompts(sols, rows_by_id)
    kj = [k_hard if k_hard and sols[si].get("level") == 6 else k for si, _, _ in jobs]
    reps = [(j, r) for j in range(len(jobs)) for r in range(kj[j])]
    reps.sort(key=lambda x: len(jobs[x[0]][2]))
    hits = [0] * len(jobs)
    t0 = time.time()
    for c in range(0, len(reps), batch):
        part = reps[c:c + batch]
        # a completion is over once its boxed answer is closed (the only "}" a solution writes)
        outs, _ = greedy_batch(completer, [jobs[j][2] for j, _ in part], max_new=max_new,
                               temperature=TEMPERATURE, generator=gen, stop_ids=(tok.STOI["}"],))
        for (j, _), o in zip(part, outs):
            si = jobs[j][0]
            if boxed_answer(tok.decode(o)) == rows_by_id[sols[si]["unique_id"]]["answer"]:
                hits[j] += 1
        if logf and (c // batch) % 10 == 0:
            log(f"completions {c + len(part)}/{len(reps)} in {time.time() - t0:.0f}s", logf)
    for s in sols:
        ans = rows_by_id[s["unique_id"]]["answer"]
        s["mc"] = [None if boxed_answer(st) is None else float(boxed_answer(st) == ans) for st in s["steps"]]
    for (si, kk, _), h, n in zip(jobs, hits, kj):
        sols[si]["mc"][kk] = h / n
    return sols


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--offset", type=int, default=100000, help="first levels 1-5 train row (past the LMs' rows)")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--hard-offset", type=int, default=0)
    ap.add_argument("--n-hard", type=int, default=200)
    ap.add_argument("--k", type=int, default=4)
    ap.add_argument("--k-hard", type=int, default=0, help="completions per step on hard-tail problems (0: --k)")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--shard", type=int, default=0, help="this process labels rows shard, shard + shards, ...")
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--draft", default=os.path.join(WORK, "draft.pt"))
    ap.add_argument("--target", default=os.path.join(WORK, "target.pt"))
    ap.add_argument("--out", default=os.path.join(WORK, "prm_train_data.jsonl"))
    a = ap.parse_args()
    setup(a.seed)
    logf = os.path.join(WORK, f"mc_data.{a.shard}.log")
    rows = (read_jsonl(os.path.join(WORK, "train.jsonl"))[a.offset:a.offset + a.n]
            + read_jsonl(os.path.join(WORK, "train_hard.jsonl"))[a.hard_offset:a.hard_offset + a.n_hard])
    rows = rows[a.shard::a.shards]
    by_id = {r["unique_id"]: r for r in rows}
    draft, _ = load_lm(a.draft)
    target, _ = load_lm(a.target)
    t0 = time.time()
    sols = model_solutions(draft, rows, "draft") + model_solutions(target, rows, "target")
    log(f"solutions: {len(sols)} in {time.time() - t0:.0f}s", logf)
    for s in sols:
        s["level"] = by_id[s["unique_id"]]["level"]
    mc_labels(target, sols, by_id, a.k, a.seed + a.shard, logf=logf, k_hard=a.k_hard)
    for s in sols:
        s["verify"] = s.pop("labels")
        s["labels"] = s.pop("mc")
    write_jsonl(a.out, sols)
    import json
    with open(a.out.replace(".jsonl", ".info.json"), "w") as f:
        json.dump({"problems": len(rows), "hard": sum(1 for r in rows if r["level"] == 6), "k": a.k,
                   "k_hard": a.k_hard or a.k,
                   "temperature": TEMPERATURE, "completer": "target", "labels": "soft",
                   "seconds": time.time() - t0}, f, indent=1)
    n = sum(len(s["labels"]) for s in sols)
    log(f"MC labels: {len(sols)} solutions, {n} steps, k={a.k}, completer target T={TEMPERATURE}; "
        f"{time.time() - t0:.0f}s", logf)


if __name__ == "__main__":
    main()

"""Oracle data for the router (docs/router-data.md, the `generate` format): draft and target run
side by side, step by step; both candidate steps are scored by demo-prm; label y = 1[delta > 0];
the context continues with the oracle's choice at tau = 0 (the target's step when delta > 0).

usage: oracle.py --split train --n 900 --n-hard 300 --out work/oracle_train.jsonl
       oracle.py --split test --out work/oracle_test.jsonl
"""
import argparse
import json
import os
import time

from common import (WORK, DATA_DIR, setup, log, load_lm, read_jsonl, write_jsonl, gen_steps, prm_scores,
                    draft_features)

MAX_STEPS = 8


def run(draft, target, prm, rows, data_name="arith-steps", batch=64, logf=None):
    active = [{"row": r, "ctx": [], "src": [], "done": False} for r in rows]
    out = []
    for k in range(MAX_STEPS):
        live = [a for a in active if not a["done"]]
        if not live:
            break
        probs = [a["row"]["problem"] for a in live]
        ctxs = [a["ctx"] for a in live]
        t0 = time.time()
        d = gen_steps(draft, probs, ctxs, batch=batch)
        t = gen_steps(target, probs, ctxs, batch=batch)
        # score both candidates in their (shared) context: PRM input = context steps + candidate
        sd = prm_scores(prm, [(p, c + [x[0]]) for p, c, x in zip(probs, ctxs, d)], batch=batch)
        st = prm_scores(prm, [(p, c + [x[0]]) for p, c, x in zip(probs, ctxs, t)], batch=batch)
        for a, dd, tt, s1, s2 in zip(live, d, t, sd, st):
            pd, pt = s1[-1], s2[-1]
            if dd[0] == tt[0]:
                pt = pd  # identical text: identical score, delta exactly 0
            delta = pt - pd
            label = int(delta > 0)
            r = a["row"]
            out.append({"problem_id": r["unique_id"], "data_name": data_name, "level": r["level"],
                        "question": r["problem"], "step_index": k, "context_steps": list(a["ctx"]),
                        "context_sources": list(a["src"]), "draft_step": dd[0], "target_step": tt[0],
                        "prm_draft": round(pd, 6), "prm_target": round(pt, 6), "delta": round(pt - pd, 6),
                        "label": label, "draft_features": draft_features(dd[2])})
            chosen, final = (tt[0], tt[1]) if label else (dd[0], dd[1])
            a["ctx"].append(chosen)
            a["src"].append(label)
            if final:
                a["done"] = True
        if logf:
            log(f"oracle step {k}: {len(live)} live problems, {time.time() - t0:.0f}s", logf)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["train", "test", "validation"], required=True)
    ap.add_argument("--offset", type=int, default=110000)
    ap.add_argument("--n", type=int, default=0)
    ap.add_argument("--hard-offset", type=int, default=400, help="first row of work/train_hard.jsonl (past the PRM's)")
    ap.add_argument("--n-hard", type=int, default=0, help="hard-tail problems added to the train rows")
    ap.add_argument("--draft", default=os.path.join(WORK, "draft.pt"))
    ap.add_argument("--target", default=os.path.join(WORK, "target.pt"))
    ap.add_argument("--prm", default=os.path.join(WORK, "prm.pt"))
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    setup(0)
    logf = os.path.join(WORK, "oracle.log")
    if a.split == "train":
        rows = (read_jsonl(os.path.join(WORK, "train.jsonl"))[a.offset:a.offset + a.n]
                + read_jsonl(os.path.join(WORK, "train_hard.jsonl"))[a.hard_offset:a.hard_offset + a.n_hard])
    else:
        rows = read_jsonl(os.path.join(DATA_DIR, f"{a.split}.jsonl"))
        if a.n:
            rows = rows[:a.n]
    draft, _ = load_lm(a.draft)
    target, _ = load_lm(a.target)
    prm, _ = load_lm(a.prm)
    t0 = time.time()
    data = run(draft, target, prm, rows, logf=logf)
    write_jsonl(a.out, data)
    with open(a.out.replace(".jsonl", ".info.json"), "w") as f:
        json.dump({"problems": len(rows), "hard": sum(1 for r in rows if r["level"] == 6), "pairs": len(data),
                   "seconds": time.time() - t0}, f, indent=1)
    n1 = sum(x["label"] for x in data)
    ties = sum(1 for x in data if x["draft_step"] == x["target_step"])
    log(f"oracle {a.split}: {len(rows)} problems -> {len(data)} pairs, y=1 {n1}, ties {ties}, "
        f"{time.time() - t0:.0f}s", logf)


if __name__ == "__main__":
    main()

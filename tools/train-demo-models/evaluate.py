"""Measure everything the model card reports; writes work/metrics.json and the shipped data slices
(assets/datasets/arith-steps/prm-steps.jsonl, router-heldout.jsonl).

usage: evaluate.py [--skip-node]
"""
import argparse
import glob
import json
import os
import subprocess
import time

import numpy as np

from common import (WORK, DATA_DIR, MODELS_DIR, ROOT, HERE, DELIM, setup, log, load_lm, read_jsonl, write_jsonl,
                    solve_greedy, accuracy_report, prm_scores)
from metrics import spearman, roc_auc, bootstrap_ci
from verify import step_correct, step_error
from train_router import router_scores

ROUTERS = {"router": ("demo-router", True), "router-no-downsample": ("demo-router-no-downsample", True),
           "router-no-annotations": ("demo-router-no-annotations", False)}


def lm_eval(name, test, logf):
    m, _ = load_lm(os.path.join(WORK, f"{name}.pt"))
    t0 = time.time()
    comps = solve_greedy(m, [r["problem"] for r in test])
    rep = accuracy_report(test, comps)
    rep["seconds"] = time.time() - t0
    write_jsonl(os.path.join(WORK, f"{name}_test_completions.jsonl"),
                [{"unique_id": r["unique_id"], "completion": c} for r, c in zip(test, comps)])
    log(f"{name} test accuracy {rep['overall']:.3f} " + " ".join(f"L{k}={v['acc']:.3f}" for k, v in rep["by_level"].items()), logf)
    return rep, comps


def step_rows(test, comps, source):
    rows = []
    for r, c in zip(test, comps):
        steps = c.split(DELIM) if c else [""]
        for k, st in enumerate(steps):
            rows.append({"problem_id": r["unique_id"], "level": r["level"], "question": r["problem"],
                         "step_index": k, "context_steps": steps[:k], "step": st,
                         "label": "correct" if step_correct(r["problem"], steps[:k], st) else "incorrect",
                         "source": source})
    return rows


def quartiles(v):
    if not v:
        return None
    q = np.percentile(np.array(v), [25, 50, 75])
    return {"n": len(v), "mean": float(np.mean(v)), "q25": float(q[0]), "median": float(q[1]), "q75": float(q[2])}


def prm_eval(test, draft_comps, target_comps, logf):
    """Step ROC-AUC against verify.py on every step the draft and the target wrote (greedy) for the
    test problems, separately per writer, and the score distribution by level."""
    prm, _ = load_lm(os.path.join(WORK, "prm.pt"))
    rows = step_rows(test, draft_comps, "draft") + step_rows(test, target_comps, "target")
    scores = prm_scores(prm, [(x["question"], x["context_steps"] + [x["step"]]) for x in rows])
    for x, s in zip(rows, scores):
        x["prm_score"] = round(s[-1], 6)
    res = {"writers": {}, "score_by_level": {}}
    levels = sorted({x["level"] for x in rows})
    for w in ("draft", "target"):
        wr = [x for x in rows if x["source"] == w]
        y = [1 if x["label"] == "correct" else 0 for x in wr]
        s = [x["prm_score"] for x in wr]
        auc = roc_auc(s, y)
        r = {"steps": len(wr), "correct": sum(y), "incorrect": len(y) - sum(y), "auc": auc,
             "auc_ci95": bootstrap_ci(roc_auc, [s, y], n=500), "by_level": {}}
        for lv in levels:
            idx = [i for i, x in enumerate(wr) if x["level"] == lv]
            yy = [y[i] for i in idx]
            r["by_level"][str(lv)] = {"steps": len(idx), "incorrect": len(idx) - sum(yy),
                                      "auc": roc_auc([s[i] for i in idx], yy) if 0 < sum(yy) < len(yy) else None}
        res["writers"][w] = r
        log(f"PRM AUC on {len(wr)} {w}-written test steps ({len(y) - sum(y)} incorrect): {auc:.4f}", logf)
        res["score_by_level"][w] = {str(lv): {lab: quartiles([x["prm_score"] for x in wr if x["level"] == lv and x["label"] == lab])
                                              for lab in ("correct", "incorrect")} for lv in levels}
    write_jsonl(os.path.join(DATA_DIR, "prm-steps.jsonl"), rows)
    return res


def judge_by_draft_error(pairs):
    """How the judge scores the draft's wrong steps, by kind of error (verify.step_error), on the oracle
    pairs: their median score and step ROC-AUC against the draft's correct steps, and in the pairs where the
    target's step is right and differs, how often the judge scores the wrong draft step at least as high (the
    oracle then keeps it, and the router learns to)."""
    kinds = [step_error(x["question"], x["context_steps"], x["draft_step"]) for x in pairs]
    ok = [x["prm_draft"] for x, k in zip(pairs, kinds) if k == "ok"]
    res = {}
    for kind in sorted(set(kinds) - {"ok"}):
        wrong = [x["prm_draft"] for x, k in zip(pairs, kinds) if k == kind]
        vs = [x for x, k in zip(pairs, kinds) if k == kind and x["draft_step"] != x["target_step"]
              and step_correct(x["question"], x["context_steps"], x["target_step"])]
        res[kind] = {"steps": len(wrong), "median_score": float(np.median(wrong)),
                     "auc_vs_correct": roc_auc(np.r_[ok, wrong], np.r_[np.ones(len(ok)), np.zeros(len(wrong))]),
                     "pairs_target_right": len(vs),
                     "judge_prefers_draft": sum(1 for x in vs if x["prm_draft"] >= x["prm_target"])}
    return res


def router_eval(logf):
    data = read_jsonl(os.path.join(WORK, "oracle_test.jsonl"))
    write_jsonl(os.path.join(DATA_DIR, "router-heldout.jsonl"), data)
    delta = np.array([x["delta"] for x in data])
    label = np.array([x["label"] for x in data])
    tie = np.array([x["draft_step"] == x["target_step"] for x in data])
    out = {"pairs": len(data), "label_1": int(label.sum()), "label_0": int((1 - label).sum()),
           "label_0_share": float(1 - label.mean()), "ties": int(tie.sum()),
           "label_0_ties": int((tie & (label == 0)).sum()), "routers": {},
           # What rho over all pairs can reach: a perfect classifier of y = 1[delta > 0] scores 1 or 0
           # (every y = 0 pair tied), a continuous score also ranks the identical-step pairs among themselves.
           "spearman_all_perfect_classifier": spearman(label.astype(float), delta)}
    train = read_jsonl(os.path.join(WORK, "oracle_train.jsonl"))
    tl = np.array([x["label"] for x in train])
    tt = np.array([x["draft_step"] == x["target_step"] for x in train])
    out["train"] = {"pairs": len(train), "label_1": int(tl.sum()), "label_0": int((1 - tl).sum()),
                    "label_0_ties": int((tt & (tl == 0)).sum())}
    out["judge_by_draft_error"] = judge_by_draft_error(data)
    # the oracle itself (draft/target accuracy along oracle contexts is implicit)
    for key, (folder, annotate) in ROUTERS.items():
        p = os.path.join(WORK, f"{key}.pt")
        if not os.path.exists(p):
            continue
        m, info = load_lm(p)
        s = np.array(router_scores(m, data, annotate))
        nt = ~tie
        pred = (s >= 0.5).astype(int)
        r = {"spearman_all": spearman(s, delta),
             "spearman_all_ci95": bootstrap_ci(spearman, [s, delta], n=500),
             "spearman_non_tie": spearman(s[nt], delta[nt]), "non_tie_pairs": int(nt.sum()),
             "auc": roc_auc(s, label),
             "acc_class0": float((pred[label == 0] == 0).mean()), "acc_class1": float((pred[label == 1] == 1).mean()),
             "accuracy": float((pred == label).mean()), "mean_score": float(s.mean()), "annotate": annotate}
        out["routers"][key] = r
        log(f"{key}: rho all {r['spearman_all']:.3f} non-tie {r['spearman_non_tie']:.3f} AUC {r['auc']:.3f} "
            f"acc0 {r['acc_class0']:.3f} acc1 {r['acc_class1']:.3f}", logf)
    return out


def node_checks(logf):
    res = {}
    rel = os.path.relpath(MODELS_DIR, ROOT)
    out = subprocess.run(["node", os.path.join(HERE, "check_onnx.mjs"), rel], cwd=ROOT, capture_output=True, text=True)
    res["onnx_check"] = json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr[-2000:]}
    paths = [os.path.join(rel, n, "onnx", "model.onnx") for n in ("demo-draft", "demo-target")]
    out = subprocess.run(["node", os.path.join(HERE, "bench_decode.cjs"), "--ctx", "200", "--tokens", "32",
                          "--rounds", "40", *paths], cwd=ROOT, capture_output=True, text=True)
    if out.returncode == 0:
        b = json.loads(out.stdout)
        res["decode"] = b
        res["decode_ratio_min"] = b[1]["ms_per_token_min"] / b[0]["ms_per_token_min"]
        res["decode_ratio_median"] = b[1]["ms_per_token_median"] / b[0]["ms_per_token_median"]
        log(f"decode ms/token draft {b[0]['ms_per_token_min']:.3f} target {b[1]['ms_per_token_min']:.3f} "
            f"ratio {res['decode_ratio_min']:.2f} (median ratio {res['decode_ratio_median']:.2f})", logf)
    else:
        res["decode"] = {"error": out.stderr[-2000:]}
    out = subprocess.run(["node", os.path.join(HERE, "bench_scorer.cjs"), rel], cwd=ROOT, capture_output=True, text=True)
    res["scorer_latency"] = json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr[-2000:]}
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-node", action="store_true")
    ap.add_argument("--only", default="lm,prm,router,node")
    a = ap.parse_args()
    setup(0)
    logf = os.path.join(WORK, "evaluate.log")
    test = read_jsonl(os.path.join(DATA_DIR, "test.jsonl"))
    path = os.path.join(WORK, "metrics.json")
    metrics = json.load(open(path)) if os.path.exists(path) else {}
    parts = a.only.split(",")
    if "lm" in parts:
        metrics["draft"], dc = lm_eval("draft", test, logf)
        metrics["target"], tc = lm_eval("target", test, logf)
    else:
        dc = [x["completion"] for x in read_jsonl(os.path.join(WORK, "draft_test_completions.jsonl"))]
        tc = [x["completion"] for x in read_jsonl(os.path.join(WORK, "target_test_completions.jsonl"))]
    if "prm" in parts:
        metrics["prm"] = prm_eval(test, dc, tc, logf)
    if "router" in parts:
        metrics["router"] = router_eval(logf)
    if "node" in parts and not a.skip_node:
        metrics["node"] = node_checks(logf)
    mc = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(WORK, "prm_train_data.[0-9]*.info.json")))]
    if mc:
        metrics["mc"] = {**mc[0], "problems": sum(x["problems"] for x in mc), "hard": sum(x["hard"] for x in mc),
                         "seconds": max(x["seconds"] for x in mc)}
    for key, info in (("oracle_train", "oracle_train.info.json"), ("oracle_test", "oracle_test.info.json")):
        if os.path.exists(os.path.join(WORK, info)):
            metrics[key] = json.load(open(os.path.join(WORK, info)))
    metrics["oracle_train_problems"] = metrics.get("oracle_train", {}).get("problems")
    metrics["oracle_test_problems"] = metrics.get("oracle_test", {}).get("problems")
    for key in ("draft", "target", "prm", "router", "router-no-downsample", "router-no-annotations"):
        p = os.path.join(WORK, f"{key}.train.json")
        if os.path.exists(p):
            metrics.setdefault("training", {})[key] = json.load(open(p))
    # a draft or judge read back from its shipped graph (import_lms.py [--prm]) reports the record of the
    # build that trained it (records/)
    for key in ("draft", "prm"):
        rec_path = os.path.join(HERE, "records", f"{key}.json")
        if key not in metrics.get("training", {}) and os.path.exists(rec_path):
            rec = json.load(open(rec_path))
            metrics.setdefault("training", {})[key] = {**rec["training"], "imported_from_build": rec["built_at_commit"]}
            if "mc" in rec:
                metrics.setdefault("mc", rec["mc"])
    with open(path, "w") as f:
        json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()

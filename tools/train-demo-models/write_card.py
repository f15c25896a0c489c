"""Write assets/models/README.md (the model card) from work/metrics.json and the training records."""
import json
import os

from common import WORK, MODELS_DIR, ROOT, DATA_DIR, read_jsonl, load_ckpt

FOLDERS = ["demo-draft", "demo-target", "demo-prm", "demo-router", "demo-router-no-downsample",
           "demo-router-no-annotations"]


def size(path):
    tot = 0
    for d, _, fs in os.walk(path):
        for f in fs:
            tot += os.path.getsize(os.path.join(d, f))
    return tot


def pct(x):
    return f"{100 * x:.1f} %"


def f3(x):
    return "n/a" if x is None or x != x else f"{x:.3f}"


def main():
    M = json.load(open(os.path.join(WORK, "metrics.json")))
    T = M.get("training", {})
    secs = int(open(os.path.join(WORK, "build_seconds.txt")).read().strip()) if os.path.exists(
        os.path.join(WORK, "build_seconds.txt")) else None
    sizes = {f: size(os.path.join(MODELS_DIR, f)) for f in FOLDERS if os.path.exists(os.path.join(MODELS_DIR, f))}
    main4 = sum(sizes.get(f, 0) for f in FOLDERS[:4])
    L = []
    w = L.append
    w("# Demo model suite (arith-steps)")
    w("")
    w("Four small but real transformers (and two router ablations), built by `tools/train-demo-models/build.sh` on the project's own")
    w("benchmark `assets/datasets/arith-steps` and exported to ONNX in the layout of `docs/model-folders.md`.")
    w("They exist so that the workbench runs out of the box on a laptop CPU; they are not general models.")
    w("Every number below was measured by the build that produced these files (`work/metrics.json`).")
    w("")
    w("| folder | role | layers x width (heads) | parameters | size |")
    w("| --- | --- | --- | --- | --- |")
    roles = {"demo-draft": "draft LM", "demo-target": "target LM", "demo-prm": "PRM (Skywork convention)",
             "demo-router": "Arbitrage router", "demo-router-no-downsample": "router ablation: no downsampling",
             "demo-router-no-annotations": "router ablation: no Model 0/1 annotations"}
    for f in FOLDERS:
        cfgp = os.path.join(MODELS_DIR, f, "config.json")
        if not os.path.exists(cfgp):
            continue
        c = json.load(open(cfgp))
        key = f.replace("demo-", "")
        params = T.get(key, {}).get("params")
        ck = os.path.join(WORK, f"{key}.pt")
        if params is None and os.path.exists(ck):
            params = load_ckpt(ck)[0].n_params()
        w(f"| `{f}` | {roles[f]} | {c['num_hidden_layers']} x {c['hidden_size']} ({c['num_attention_heads']}) | "
          f"{params if params is not None else 'see below'} | {sizes[f] / 1e6:.2f} MB |")
    w("")
    w(f"The four main folders together: {main4 / 1e6:.2f} MB (limit 30 MB). Weights are stored as fp16 inside the")
    w("graphs (a Cast to fp32 follows each weight); inputs, outputs, the KV cache and all arithmetic are fp32.")
    w("")
    w("## Common architecture and tokenizer")
    w("")
    w("- Decoder-only transformer: pre-LayerNorm blocks, multi-head attention (num_key_value_heads =")
    w("  num_attention_heads), GELU MLP of 4x width, rotary position embeddings (GPT-NeoX layout, base 10000)")
    w("  computed from `position_ids` (scorers compute them from the attention mask), context window 512.")
    w("  Attention masks are built from shapes with -1e4 for masked positions.")
    w("- Character-level tokenizer shared by all six folders: WordLevel over single characters (a `Split`")
    w("  pre-tokenizer with the pattern `[\\s\\S]`, so newlines survive), 103 ids: `<pad>`=0, `<bos>`=1,")
    w("  `<eos>`=2, `<unk>`=3, `\\n`, printable ASCII, and `−`, `×`, `÷`. Fuse decoder.")
    w("- LM prompt (the chat template renders it): `<bos>` + problem + `\\n\\n`. The model then writes one")
    w("  step per paragraph (steps separated by `\\n\\n`), ends the last step with")
    w("  `The answer is \\boxed{N}.` and emits `<eos>`.")
    w("")
    w("## The demo world")
    w("")
    w("The demo exists to show what the Arbitrage paper studies: RSD escalates a step to the target whenever the PRM")
    w("scores the draft's step below a threshold, and a PRM trained on Monte-Carlo labels scores every step of a hard")
    w("problem low, right or wrong, because few completions from it reach the answer. On hard problems the target is")
    w("often no better than the draft, so many of those escalations buy nothing; a router that predicts the")
    w("*advantage* of the target's step over the draft's can skip them. The suite therefore has")
    w("")
    w("1. a hard tail in the benchmark (level 6, below) that neither LM trained on, where the target fails often;")
    w("2. a judge trained the way public PRMs are (Math-Shepherd's Monte-Carlo labels), initialised from neither LM;")
    w("3. routers initialised from that judge and much cheaper than the target;")
    dr, ta, R0 = M.get("draft", {}), M.get("target", {}), M.get("router", {})
    if dr.get("overall") and R0.get("pairs"):
        w(f"4. a draft close to the target ({pct(dr['overall'])} vs {pct(ta['overall'])} on the test split), as the paper's drafts are:")
        w(f"   it writes the target's very step in {R0['ties'] / R0['pairs'] * 100:.0f} % of the held-out step pairs, so where the judge")
        w("   scores a hard problem's step low, right or wrong, RSD's escalation mostly rewrites a step the draft already had right.")
    w("")
    w("Nothing in it is tuned toward a result: the only inputs are the recipe in `build.sh` and the seeds.")
    w("")
    w("## Benchmark: arith-steps")
    w("")
    w("Generated by `tools/train-demo-models/data.py` with fixed seeds: test 500 problems, validation 500,")
    w("train 120 000 (not committed; the build regenerates it). Levels 1-5 differ in the number of steps")
    w("(1-5), the operators (+ − only; one ×; exact ÷ with a bracket group or ×; all four with a bracket")
    w("group) and the value range (up to 99, 150, 199). Level 6 is the hard tail: level 5's plan with a start")
    w("value up to 150 and values up to 250, i.e. numbers the LMs never saw (they trained on levels 1-5 only);")
    w("it is 125 of the 500 test problems (25 %), in a seeded random order with the rest, and none of its texts")
    w("is among the LMs' training rows (`check_hard_tail.py`). Each reference step restates its sentence and")
    w("computes: `She sells 35, so 67 − 35 = 32.`")
    w("")
    for key, title in (("draft", "demo-draft"), ("target", "demo-target")):
        r = M.get(key, {})
        w(f"## {title}")
        w("")
        w("- A default `build.sh` reads it back from the shipped graph (`import_lms.py`, checked against `golden.json`);")
        w("  `TRAIN_LMS=1 build.sh` retrains both LMs (~3 h on 2 cores).")
        if key == "draft":
            td = T.get("draft", {})
            w("- 2 layers of width 64: weakened honestly by capacity. Phase A: 6000 steps of 32 problems (levels 1-5) from")
            w("  scratch (the draft of the earlier builds; demo-prm's Monte-Carlo labels were taken on its steps). Phase B,")
            w("  so that the draft comes close to the target as the paper's drafts come close to theirs: 1000 steps of")
            w("  packed-equation practice, then a fresh 6000-step cosine schedule on word problems (other batches), 54 min")
            w("  beside other jobs on 2 cores.")
            if td.get("val_history"):
                w("  Validation accuracy (200 problems) along phase B: " + ", ".join(
                    f"{h['val']['overall'] * 100:.1f} % at {h['step']}" for h in td["val_history"])
                  + f", {td['val_final']['overall'] * 100:.1f} % at the end.")
        else:
            w("- Trained from scratch in three phases (packed practice equations, then 6500 steps of 16 word problems of")
            w("  levels 1-5; the commands are in `build.sh`), 6 layers of width 128.")
        if r:
            w(f"- Greedy final-answer accuracy on the test split (exact match of the boxed integer): "
              f"**{pct(r['overall'])}** ({r['n']} problems).")
            w("")
            w("| level | " + " | ".join(r["by_level"].keys()) + " |")
            w("| --- |" + " --- |" * len(r["by_level"]))
            w("| accuracy | " + " | ".join(pct(v["acc"]) for v in r["by_level"].values()) + " |")
            w("| problems | " + " | ".join(str(v["n"]) for v in r["by_level"].values()) + " |")
        w("")
    node = M.get("node", {})
    if "decode_ratio_min" in node:
        d = node["decode"]
        w("## Decode speed (onnxruntime-node, one thread, context 200)")
        w("")
        w(f"- draft {d[0]['ms_per_token_min']:.3f} ms/token, target {d[1]['ms_per_token_min']:.3f} ms/token: the target is "
          f"**{node['decode_ratio_min']:.2f}x** slower per token (minimum over 40 interleaved rounds of 32 decode calls; "
          f"ratio of the medians {node['decode_ratio_median']:.2f}x). Measured with `bench_decode.cjs`.")
        if node.get("scorer_latency"):
            s = node["scorer_latency"]
            w("- Scorer forward pass over a whole input (one thread): " + ", ".join(
                f"{k} {v['ms_min']:.2f} ms for {v['tokens']} tokens" for k, v in s.items() if isinstance(v, dict) and 'ms_min' in v) + ".")
        w("")
    p = M.get("prm", {})
    tp = T.get("prm", {})
    w("## demo-prm")
    w("")
    w("- Skywork-PRM convention (`step_scorer`: skywork-prm, output `values`): input `<bos>` + question + `\\n`,")
    w("  then each step encoded on its own followed by `\\n` (the last id of the encoded delimiter); a step's score is")
    w("  sigmoid(value) at its appended `\\n`.")
    if tp.get("imported_from_build"):
        w(f"- Reused unchanged from the build at commit {tp['imported_from_build']} (`import_lms.py --prm` reads the shipped graph back")
        w("  and checks it against `golden.json`; `TRAIN_PRM=1 build.sh` retrains it, ~1 h); its training record, quoted")
        w("  below, is `tools/train-demo-models/records/prm.json`.")
    w(f"- An independent judge of {tp.get('layers')} layers x {tp.get('d')} ({tp.get('heads')} heads), {tp.get('params')} parameters,")
    lmx = tp.get("lm", {})
    w("  initialised from neither LM. Phase 1: a language model trained from scratch for "
      f"**{tp.get('lm_steps')} steps** of {tp.get('lm_batch')} rows (lr {tp.get('lm_lr')}, cosine): a share "
      f"{tp.get('arith_frac')} of the rows is")
    w(f"  arithmetic practice (packed equations `a op b = c.` of the benchmark's four operators, values up to "
      f"{max(lmx.get('arith_caps') or [0]) or '?'}, loss on the results),")
    w("  as a judge must check the arithmetic of a step; the rest are reference solutions written in the scorer input")
    w(f"  formats ({tp.get('lm_rows')} levels 1-5 train rows neither LM saw and {tp.get('lm_hard_rows')} hard-tail problems).")
    if lmx.get("equation_auc"):
        w(f"  After it, min log p of an equation's result separates right results from near misses (one digit, ±1, ±10)"
          f" with ROC-AUC {f3(lmx['equation_auc'].get('all'))} on 400 held-out equations ("
          + ", ".join(f"{k} {f3(v)}" for k, v in lmx["equation_auc"].items() if k != "all") + ").")
    w("  Public PRMs likewise start from a language model trained on their own data. Phase 2: trunk and LM head frozen; the value")
    w("  at a position is a linear head on the last hidden state plus a linear head on three features of the step")
    w("  it belongs to (minimum, sum and mean of log p(token) under the judge's own LM head, computed in the graph),")
    w(f"  fitted full batch ({tp.get('head_iters')} Adam iterations, lr {tp.get('head_lr')}) with binary cross-entropy on soft labels.")
    mc = M.get("mc", {})
    w("- Labels: Monte-Carlo, as in Math-Shepherd. Draft (phase A) and target each solve "
      f"{mc.get('problems', '?')} train problems neither LM trained on ({mc.get('hard', '?')} of them hard-tail)")
    w(f"  greedily; a step's label is the fraction of **k = {mc.get('k', '?')}** completions (k = {mc.get('k_hard', mc.get('k', '?'))} on"
      " hard-tail problems) from just after it that reach the")
    w(f"  answer, the completer being **the target LM sampling at temperature {mc.get('temperature', '?')}**; a step that states a")
    w("  boxed answer is labelled by whether that answer is right. **Soft labels** (the fraction). "
      f"{tp.get('labelled_steps')} labelled steps")
    w(f"  from {tp.get('solutions')} solutions, mean label {f3(tp.get('mean_label'))}. verify.py's correctness is never a training label.")
    w("- verify.py (for evaluation only): a step is correct when its equations are arithmetically true (exact ÷), every")
    w("  operand appears in the problem or is a result of an earlier step, and a boxed answer equals the last result.")
    for wr, r in (p.get("writers") or {}).items():
        w(f"- **{wr}-written test steps: step ROC-AUC {r['auc']:.3f}** (95 % bootstrap CI {r['auc_ci95'][0]:.3f}-"
          f"{r['auc_ci95'][1]:.3f}) on all {r['steps']} steps the {wr} wrote (greedy) for the 500 test problems "
          f"({r['incorrect']} incorrect). By level: "
          + ", ".join(f"L{k} {f3(v['auc'])} ({v['incorrect']}/{v['steps']} incorrect)" for k, v in r["by_level"].items()) + ".")
    if p.get("score_by_level"):
        w("")
        w("Median PRM score (n) by level, correct / incorrect steps (verify.py):")
        w("")
        lv = list(next(iter(p["score_by_level"].values())).keys())
        w("| writer | " + " | ".join(f"L{k}" for k in lv) + " |")
        w("| --- |" + " --- |" * len(lv))
        for wr, by in p["score_by_level"].items():
            cells = []
            for k in lv:
                c, i = by[k]["correct"], by[k]["incorrect"]
                cells.append(f"{f3(c['median']) if c else '-'} ({c['n'] if c else 0}) / {f3(i['median']) if i else '-'} ({i['n'] if i else 0})")
            w(f"| {wr} | " + " | ".join(cells) + " |")
        w("")
        w("Steps and scores are shipped as `assets/datasets/arith-steps/prm-steps.jsonl` (`source`: draft / target).")
    w("")
    R = M.get("router", {})
    tr = T.get("router", {})
    w("## demo-router (Arbitrage)")
    w("")
    w("- Convention `arbitrage-router` with `annotate: true`: question + `\\n`, each earlier step prefixed")
    w("  `Model 0: ` (draft wrote it) or `Model 1: ` (target), the candidate step `Model 0: `, each followed by `\\n`;")
    w("  output `logits` [batch, seq, 2]; score = softmax(logits at the last position)[1] = \"escalate\".")
    w("- Oracle data: draft and target run side by side, step by step (greedy), on "
      f"{M.get('oracle_train_problems', '?')} train problems neither LM trained on (incl. hard-tail ones); both candidate steps scored by demo-prm;")
    w("  y = 1[PRM(target step) − PRM(draft step) > 0] (Δ = 0 exactly when the two steps are identical); the context")
    w("  continues with the oracle's choice at τ = 0.")
    if tr:
        w(f"  {tr.get('oracle_pairs')} training pairs, {tr.get('oracle_pos')} with y = 1 "
          f"({pct(tr.get('oracle_neg') / tr.get('oracle_pairs'))} y = 0).")
        w(f"- Initialised from demo-prm (all weights; the 2-class heads start as [0, −value heads], i.e. \"the PRM doubts")
        w(f"  the draft's step\"); trunk and LM head frozen, the heads fine-tuned with cross-entropy at the last position")
        w(f"  on a class-balanced downsample ({tr.get('train_examples')} examples; full batch, **{tr.get('steps')} Adam "
          f"iterations**, lr {tr.get('lr')}).")
    if R:
        w(f"- Held-out oracle data: the first {M.get('oracle_test_problems', '?')} test problems, {R['pairs']} step pairs, label balance "
          f"{R['label_0']} y = 0 ({pct(R['label_0_share'])}; paper ~62 %) / {R['label_1']} y = 1; of the y = 0 labels "
          f"{R['label_0_ties']} are identical steps (Δ = 0). Training pairs: {R['train']['pairs']}, "
          f"{R['train']['label_0']} y = 0 of which {R['train']['label_0_ties']} identical steps. "
          "Shipped as `assets/datasets/arith-steps/router-heldout.jsonl`.")
        w("")
        w("| router | Spearman ρ (all pairs) | 95 % CI | ρ (non-tie pairs) | ROC-AUC | acc y=0 | acc y=1 |")
        w("| --- | --- | --- | --- | --- | --- | --- |")
        for k, r in R["routers"].items():
            w(f"| `demo-{k}` | {f3(r['spearman_all'])} | {f3(r['spearman_all_ci95'][0])}-{f3(r['spearman_all_ci95'][1])} | "
              f"{f3(r['spearman_non_tie'])} ({r['non_tie_pairs']}) | {f3(r['auc'])} | {pct(r['acc_class0'])} | {pct(r['acc_class1'])} |")
        w("")
        w("Per-class accuracy thresholds the score at 0.5. Spearman ρ is tie-corrected (average ranks), against")
        w("Δ = PRM(target) − PRM(draft). Ablations: `demo-router-no-downsample` is trained on all pairs (imbalanced),")
        w("`demo-router-no-annotations` without the Model 0/1 prefixes (its config says `\"annotate\": false`); both")
        w("otherwise identical (same initialisation, iterations, learning rate).")
        w("")
        je = R.get("judge_by_draft_error") or {}
        if je:
            w("Where the oracle's labels go wrong: the judge's scores of the draft's wrong held-out steps, by kind of error")
            w("(`verify.step_error`), against its correct ones; and, where the target's step is right and differs, how often")
            w("the judge scores the wrong draft step at least as high, so that the oracle keeps it and the router learns to:")
            w("")
            w("| draft's error | steps | median score | step AUC vs correct | pairs with the target right | judge prefers the draft |")
            w("| --- | --- | --- | --- | --- | --- |")
            for kind, e in je.items():
                n, bad = e["pairs_target_right"], e["judge_prefers_draft"]
                share = f" ({bad / n * 100:.0f} %)" if n else ""
                w(f"| {kind} | {e['steps']} | {e['median_score']:.3f} | {f3(e['auc_vs_correct'])} | {n} | {bad}{share} |")
            w("")
        w("The annotated routers leave each step's `Model i: ` prefix out of the step features (`feature_skip` 9):")
        w("its digit is unpredictable, and with it the minimum log-probability over the candidate would be that digit's.")
    w("")
    short = []
    for wr, r in (p.get("writers") or {}).items():
        if r["auc"] < 0.85:
            short.append(f"demo-prm's step AUC on {wr}-written test steps is {r['auc']:.3f}; the goal is 0.85.")
    rr = R.get("routers", {}).get("router") if R else None
    if rr and rr["spearman_all"] < 0.5:
        ties = f" ({R['ties'] / R['pairs'] * 100:.0f} % of them are identical steps, Δ = 0; over the pairs whose steps differ it is {rr['spearman_non_tie']:.3f})" if R.get("pairs") else ""
        ceiling = (f" A perfect classifier of y would reach {R['spearman_all_perfect_classifier']:.3f} over all pairs only because it"
                   " gives every y = 0 pair the same score; a router's continuous score also orders the identical-step pairs"
                   " among themselves, where Δ is 0 and that order is noise to ρ. In the paper's data (~62 % y = 0, few"
                   " identical steps) that share is small; here it decides ρ over all pairs."
                   if "spearman_all_perfect_classifier" in R else "")
        short.append(f"demo-router's Spearman ρ over all held-out pairs is {rr['spearman_all']:.3f}{ties}; the goal is 0.5.{ceiling}")
    if short:
        w("## Goals not met")
        w("")
        for x in short:
            w("- " + x)
        w("")
    w("The demo's own goals (Arbitrage over RSD at matched accuracy, the router's share of Arbitrage's latency) are")
    w("measured by the workbench, not by this build: `npx arbitrage demo` and `npm run bench:sweep`; the README gives")
    w("the figures.")
    w("")
    oc = node.get("onnx_check", {})
    if oc:
        w("## Golden data")
        w("")
        w("Each folder has `golden.json`: token ids, reference logits (LMs: prefill last position, all positions of a")
        w("short prompt, 6 cached decode steps, plus the greedy completions of the first 3 test problems; scorers:")
        w("values / last-position logits on 4 inputs), computed in PyTorch with the fp16-rounded weights.")
        w("`check_onnx.mjs` re-runs them through onnxruntime-node and @huggingface/tokenizers:")
        w("")
        for k, v in oc.items():
            if isinstance(v, dict) and "max_abs_diff" in v:
                extra = f", greedy completions {v['completions_match']}/3 identical" if "completions_match" in v else ""
                w(f"- `{k}`: max |Δ| {v['max_abs_diff']:.2e}, token ids identical: {v['token_ids_match']}{extra}")
        w("")
    w("## Rebuild")
    w("")
    w("```")
    w("tools/train-demo-models/build.sh")
    w("```")
    w("")
    w("tools/train-demo-models/README.md gives the time of each stage on a 2-core machine.")
    w("Python 3 with Debian's python3-torch (1.13) and numpy, OpenBLAS; Node with onnxruntime-node for the checks.")
    w("Fixed seeds and fixed step counts; bit-identical results additionally need the same thread count and BLAS.")
    w("")
    with open(os.path.join(MODELS_DIR, "README.md"), "w") as f:
        f.write("\n".join(L))
    print("wrote", os.path.join(MODELS_DIR, "README.md"))


if __name__ == "__main__":
    main()

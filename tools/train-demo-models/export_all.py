"""Write the model folders under assets/models (docs/model-folders.md layout) and the golden
reference data the TypeScript tests check the ONNX graphs against.

usage: export_all.py  (reads work/{draft,target,prm,router,router-no-downsample,router-no-annotations}.pt)
"""
import json
import os
import shutil

import torch

import tok
from common import WORK, DATA_DIR, MODELS_DIR, DELIM, load_lm, read_jsonl, greedy_batch
from export import export_lm, export_scorer

FOLDERS = {
    "draft": "demo-draft", "target": "demo-target", "prm": "demo-prm", "router": "demo-router",
    "router-no-downsample": "demo-router-no-downsample", "router-no-annotations": "demo-router-no-annotations",
}
MAX_POS = 512


def arch_config(m, architectures):
    c = m.c
    return {
        "architectures": architectures,
        "model_type": "arith-gpt",
        "vocab_size": c.vocab_size,
        "num_hidden_layers": c.n_layer,
        "hidden_size": c.d_model,
        "intermediate_size": c.d_ff,
        "num_attention_heads": c.n_head,
        "num_key_value_heads": c.n_head,
        "head_dim": c.d_model // c.n_head,
        "max_position_embeddings": c.max_pos,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-5,
        "position_embedding_type": "absolute",
        "bos_token_id": tok.BOS,
        "eos_token_id": tok.EOS,
        "pad_token_id": tok.PAD,
        "torch_dtype": "float16",
        "tie_word_embeddings": False,
    }


def write_common(folder, m, config, lm):
    os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tok.tokenizer_json(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(tok.tokenizer_config(m.c.max_pos), f, indent=2, ensure_ascii=False)
        f.write("\n")
    gen = {"bos_token_id": tok.BOS, "eos_token_id": tok.EOS, "pad_token_id": tok.PAD}
    if lm:
        gen.update({"do_sample": False, "max_new_tokens": 256})
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
        f.write("\n")


def rnd(t):
    return [round(float(x), 6) for x in t.reshape(-1).tolist()]


@torch.no_grad()
def lm_golden(m, test):
    """Prefill logits (last position and all positions of a short prompt) and greedy decode
    steps with the KV cache, plus greedy completions of the first 3 test problems."""
    cases = []
    for r in test[:2]:
        ids = tok.lm_prompt_ids(r["problem"])
        x = torch.tensor([ids])
        mask = torch.ones_like(x)
        pos = torch.arange(len(ids)).unsqueeze(0)
        hd = m.c.d_model // m.c.n_head
        past = [(torch.zeros(1, m.c.n_head, 0, hd), torch.zeros(1, m.c.n_head, 0, hd)) for _ in range(m.c.n_layer)]
        logits, past = m(x, mask, pos, past)
        dec = []
        nxt = int(logits[0, -1].argmax())
        cur = len(ids)
        for _ in range(6):
            mask = torch.ones(1, cur + 1, dtype=torch.long)
            lg, past = m(torch.tensor([[nxt]]), mask, torch.tensor([[cur]]), past)
            dec.append({"input_id": nxt, "position": cur, "logits": rnd(lg[0, -1])})
            nxt = int(lg[0, -1].argmax())
            cur += 1
        cases.append({"problem": r["problem"], "unique_id": r["unique_id"], "input_ids": ids,
                      "prefill_last_logits": rnd(logits[0, -1]), "decode": dec})
    # all-position prefill logits for one short prompt
    short = tok.lm_prompt_ids("Ava has 12 cards.")
    lg, _ = m(torch.tensor([short]), torch.ones(1, len(short), dtype=torch.long),
              torch.arange(len(short)).unsqueeze(0), None)
    completions = []
    outs, _ = greedy_batch(m, [tok.lm_prompt_ids(r["problem"]) for r in test[:3]], max_new=300)
    for r, o in zip(test[:3], outs):
        completions.append({"unique_id": r["unique_id"], "problem": r["problem"], "completion": tok.decode(o),
                            "ended_with_eos": len(o) < 300,
                            "completion_ids": o + [tok.EOS] if len(o) < 300 else o})
    return {"kind": "causal-lm", "tolerance": 1e-4, "cases": cases,
            "prefill_all": {"input_ids": short, "logits": [rnd(row) for row in lg[0]]},
            "greedy_completions": completions}


def scorer_examples(test):
    ex = []
    for r in test[:3]:
        steps = r["solution"].split(DELIM)
        ex.append({"question": r["problem"], "steps": steps})
    # a wrong step
    r = test[3]
    steps = r["solution"].split(DELIM)
    bad = steps[0].replace("=", "= 1", 1)
    ex.append({"question": r["problem"], "steps": [bad]})
    return ex


@torch.no_grad()
def prm_golden(m, test):
    cases = []
    for e in scorer_examples(test):
        ids, pos = tok.prm_input(e["question"], e["steps"])
        v, _ = m(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
        cases.append({**e, "input_ids": ids, "step_positions": pos, "values": rnd(v[0]),
                      "step_scores": [round(float(torch.sigmoid(v[0, p])), 6) for p in pos]})
    return {"kind": "skywork-prm", "tolerance": 1e-4, "cases": cases}


@torch.no_grad()
def router_golden(m, test, annotate):
    cases = []
    for i, e in enumerate(scorer_examples(test)):
        steps = e["steps"]
        ctx, cand = steps[:-1], steps[-1]
        src = [(i + k) % 2 for k in range(len(ctx))]
        ids = tok.router_input(e["question"], ctx, src, cand, annotate=annotate)
        lg, _ = m(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
        cases.append({"question": e["question"], "context_steps": ctx, "context_sources": src, "candidate": cand,
                      "input_ids": ids, "last_logits": rnd(lg[0, -1]),
                      "score": round(float(torch.softmax(lg[0, -1], -1)[1]), 6)})
    return {"kind": "arbitrage-router", "annotate": annotate, "tolerance": 1e-4, "cases": cases}


def main():
    test = read_jsonl(os.path.join(DATA_DIR, "test.jsonl"))
    for key, name in FOLDERS.items():
        path = os.path.join(WORK, f"{key}.pt")
        if not os.path.exists(path):
            print("skip", key)
            continue
        m, _ = load_lm(path)  # weights rounded to fp16, as stored in the graph
        folder = os.path.join(MODELS_DIR, name)
        if os.path.exists(folder):
            shutil.rmtree(folder)
        onnx_path = os.path.join(folder, "onnx", "model.onnx")
        if key in ("draft", "target"):
            cfg = arch_config(m, ["ArithGPTForCausalLM"])
            cfg["use_cache"] = True
            write_common(folder, m, cfg, lm=True)
            export_lm(m, onnx_path, fp16=True)
            golden = lm_golden(m, test)
        elif key == "prm":
            cfg = arch_config(m, ["ArithGPTForProcessReward"])
            cfg["step_scorer"] = {"convention": "skywork-prm", "output": "values", "step_delimiter": DELIM}
            write_common(folder, m, cfg, lm=False)
            export_scorer(m, onnx_path, "values", fp16=True)
            golden = prm_golden(m, test)
        else:
            annotate = key != "router-no-annotations"
            cfg = arch_config(m, ["ArithGPTForTokenClassification"])
            cfg["num_labels"] = 2
            cfg["id2label"] = {"0": "keep-draft", "1": "escalate"}
            cfg["label2id"] = {"keep-draft": 0, "escalate": 1}
            cfg["step_scorer"] = {"convention": "arbitrage-router", "output": "logits", "annotate": annotate,
                                  "step_delimiter": DELIM}
            write_common(folder, m, cfg, lm=False)
            export_scorer(m, onnx_path, "logits", fp16=True)
            golden = router_golden(m, test, annotate)
        with open(os.path.join(folder, "golden.json"), "w") as f:
            json.dump(golden, f, ensure_ascii=False)
            f.write("\n")
        print("wrote", folder)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds the engine's test fixtures: tiny real ONNX models (random weights, fixed seeds) in the
model-folder layout of docs/model-folders.md, plus the expected outputs the TypeScript tests check.

    /usr/bin/python3 tools/make-test-fixtures/make_fixtures.py             # writes test/fixtures/models/
    /usr/bin/python3 tools/make-test-fixtures/make_fixtures.py steps-bos   # only that one

Needs Debian's python3-torch (1.13). Runs in well under a minute on 2 cores.
"""
import json
import math
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from graphs import ScriptedDecoder, TinyDecoder, TinyScorer, export_decoder, export_scorer  # noqa: E402
from tokenizers import bpe_tokenizer, char_tokenizer, tokenizer_config, write_json  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "models")

CHAR_CHAT = "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}Question: {{ m['content'] }}\n{% endif %}{% endfor %}{% if add_generation_prompt %}Answer:\n{% endif %}"


def folder(name):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.join(path, "onnx"), exist_ok=True)
    return path


def lm_config(vocab, layers, heads, kv_heads, d, max_pos, eos, bos, model_type="tiny-decoder", **extra):
    cfg = {
        "architectures": ["TinyDecoderForCausalLM"],
        "model_type": model_type,
        "vocab_size": vocab,
        "hidden_size": d,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
        "max_position_embeddings": max_pos,
        "bos_token_id": bos,
        "eos_token_id": eos,
    }
    cfg.update(extra)
    return cfg


def write_char_lm(name, seed, position_ids=True, kv_dtype=torch.float32, nan=False, model_vocab=None,
                  file="model.onnx", kv_heads=1, max_pos=256, write_meta=True):
    tok, vocab = char_tokenizer()
    V = model_vocab or len(vocab)
    torch.manual_seed(seed)
    m = TinyDecoder(V, d=32, layers=2, heads=2, kv_heads=kv_heads, max_pos=max_pos,
                    position_ids=position_ids, kv_dtype=kv_dtype, nan=nan)
    path = folder(name)
    export_decoder(m, os.path.join(path, "onnx", file), V, position_ids=position_ids, kv_dtype=kv_dtype)
    if write_meta:
        write_json(os.path.join(path, "tokenizer.json"), tok)
        write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config(CHAR_CHAT))
        write_json(os.path.join(path, "config.json"),
                   lm_config(V, 2, 2, kv_heads, 32, max_pos, vocab["<eos>"], vocab["<bos>"]))
        # Sampling switched on, as many real generation_config.json files do: the caller's settings must win.
        write_json(os.path.join(path, "generation_config.json"),
                   {"do_sample": True, "temperature": 0.7, "top_p": 0.8, "top_k": 20,
                    "eos_token_id": [vocab["<eos>"]], "bos_token_id": vocab["<bos>"]})
    return m


def write_bpe_lm(name, seed):
    tok, vocab, _ = bpe_tokenizer()
    V = len(vocab)
    torch.manual_seed(seed)
    m = TinyDecoder(V, d=32, layers=2, heads=2, kv_heads=2, max_pos=256)
    path = folder(name)
    export_decoder(m, os.path.join(path, "onnx", "model.onnx"), V)
    write_json(os.path.join(path, "tokenizer.json"), tok)
    write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config(CHAR_CHAT))
    write_json(os.path.join(path, "config.json"), lm_config(V, 2, 2, 2, 32, 256, vocab["<eos>"], vocab["<bos>"]))
    write_json(os.path.join(path, "generation_config.json"), {"eos_token_id": vocab["<eos>"]})


# Scripted scenarios over the BPE vocabulary: prompt pieces, then what the model writes, token by token.
SCENARIOS = {
    # The delimiter merged with the text before it into one token (".\n\n"), as Qwen2's BPE does.
    "scripted-merged": (["a", "b", "c"], ["is", "Ġ", "the", ".ĊĊ", "T", "h", "<eos>"]),
    # The delimiter split across two tokens ("\n" + "\n").
    "scripted-split": (["a", "b", "c"], ["x", "Ċ", "Ċ", "y", "<eos>"]),
    # A token that holds the delimiter and more ("\n\n\n"): the step ends inside the token.
    "scripted-overhang": (["a", "b", "c"], ["z", "ĊĊĊ", "q", "<eos>"]),
    # End of sequence before any delimiter.
    "scripted-eos": (["a", "b", "c"], ["w", "v", "<eos>"]),
    # A two-byte character split over two byte tokens before the delimiter.
    "scripted-multibyte": (["a", "b", "c"], ["h", "Ã", "©", "ĊĊ", "k", "<eos>"]),
}


def write_scripted():
    tok, vocab, _ = bpe_tokenizer()
    V = len(vocab)
    for name, (prompt, gen) in SCENARIOS.items():
        script = [vocab[p] for p in prompt + gen]
        torch.manual_seed(1)
        m = ScriptedDecoder(V, script)
        path = folder(name)
        export_decoder(m, os.path.join(path, "onnx", "model.onnx"), V)
        write_json(os.path.join(path, "tokenizer.json"), tok)
        write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config())
        write_json(os.path.join(path, "config.json"), lm_config(V, 1, 1, 1, 4, 64, vocab["<eos>"], vocab["<bos>"],
                                                                model_type="scripted"))
        write_json(os.path.join(path, "generation_config.json"), {"eos_token_id": vocab["<eos>"]})


# Multi-step writers over the character tokenizer, for step-loop tests. What they write depends
# only on the position, so every prompt of STEPS_PROMPT_LEN tokens (the chat template around a
# question like "What is 1+2?") gets the same steps. Steps of equal length keep the two scripts
# aligned when the other model's step is kept.
STEPS_QUESTION_LEN = len("What is 1+2?")
STEP_SCRIPTS = {
    "steps-draft": "First 1.\n\nThen 9.\n\nThe answer is \\boxed{3}.",
    "steps-target": "Start 1.\n\nThen 2.\n\nThe answer is \\boxed{3}.",
}


def write_step_writers():
    tok, vocab = char_tokenizer()
    prompt_len = 1 + len("Question: \nAnswer:\n") + STEPS_QUESTION_LEN
    for name, text in STEP_SCRIPTS.items():
        script = [vocab["<pad>"]] * prompt_len + char_encode(vocab, text) + [vocab["<eos>"]]
        write_scripted_writer(name, tok, vocab, script)


def write_scripted_writer(name, tok, vocab, script):
    """A 2-layer decoder that writes `script` token by token, exported with the character chat tokenizer."""
    V = len(vocab)
    torch.manual_seed(2)
    m = ScriptedDecoder(V, script, layers=2, kv_heads=1, hd=8, after=vocab["<eos>"])
    path = folder(name)
    export_decoder(m, os.path.join(path, "onnx", "model.onnx"), V)
    write_json(os.path.join(path, "tokenizer.json"), tok)
    write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config(CHAR_CHAT))
    write_json(os.path.join(path, "config.json"), lm_config(V, 2, 1, 1, 8, 256, vocab["<eos>"], vocab["<bos>"], model_type="scripted"))
    write_json(os.path.join(path, "generation_config.json"), {"eos_token_id": vocab["<eos>"], "do_sample": False})


# ---------------------------------------------------------------- scorers

QUESTION = "What is 2+3*4?"
STEPS = ["First 3*4 = 12.", "Then 2 + 12 = 14.", "The answer is \\boxed{14}."]
SOURCES = [0, 1, 0]

QWEN_CHAT = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
             "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
QWEN_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}."


# A step writer whose tokenizer adds <bos> itself (a TemplateProcessing post-processor, as Llama 3's
# and Gemma's tokenizer.json have), for the rule that prompts get the special tokens the tokenizer
# adds — once. Like steps-target it writes by position, for prompts of the chat template's length
# *with* BOS; one token short (no BOS) it writes EOS at once, one token long (two BOS) it writes the
# script from its second character ("tart 1."). So what it writes says how many BOS it was given.
BOS_SCRIPT = "Start 1.\n\nThen 2.\n\nThe answer is \\boxed{3}."


def bos_post_processor():
    bos = {"SpecialToken": {"id": "<bos>", "type_id": 0}}
    return {
        "type": "TemplateProcessing",
        "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<bos>", "type_id": 1}},
                 {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<bos>": {"id": "<bos>", "ids": [1], "tokens": ["<bos>"]}},
    }


def write_bos_writer(name="steps-bos"):
    tok, vocab = char_tokenizer()
    assert vocab["<bos>"] == 1
    tok["post_processor"] = bos_post_processor()
    prompt_len = 1 + len("Question: \nAnswer:\n") + STEPS_QUESTION_LEN
    script = [vocab["<pad>"]] * (prompt_len - 1) + [vocab["<eos>"]] + char_encode(vocab, BOS_SCRIPT) + [vocab["<eos>"]]
    write_scripted_writer(name, tok, vocab, script)


def char_encode(vocab, text):
    return [vocab[c] if c in vocab else vocab["<unk>"] for c in text]


def run_scorer(model, ids):
    with torch.no_grad():
        x = torch.tensor([ids])
        return model(x, torch.ones_like(x))[0]


def write_scorer(name, seed, kind, step_scorer, build, read, classes=2, extra_specials=(), chat=None,
                 output_name=None, head_weights=None):
    tok, vocab = char_tokenizer(extra_specials)
    V = len(vocab)
    torch.manual_seed(seed)
    m = TinyScorer(V, kind=kind, classes=(V if classes == "vocab" else classes))
    path = folder(name)
    out_name = output_name or ("values" if kind == "values" else "logits")
    export_scorer(m, os.path.join(path, "onnx", "model.onnx"), out_name)
    write_json(os.path.join(path, "tokenizer.json"), tok)
    write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config(chat))
    cfg = {"architectures": ["TinyScorer"], "model_type": "tiny-scorer", "vocab_size": V, "hidden_size": 32,
           "num_hidden_layers": 2, "num_attention_heads": 2, "max_position_embeddings": 256,
           "step_scorer": step_scorer}
    write_json(os.path.join(path, "config.json"), cfg)
    if head_weights is not None:
        write_json(os.path.join(path, "value_head.json"), head_weights)
    cases = []
    for steps, sources in [(STEPS, SOURCES), (STEPS[:1], SOURCES[:1])]:
        ids, positions = build(vocab, steps, sources)
        out = run_scorer(m, ids)
        cases.append({"question": QUESTION, "steps": steps, "sources": sources, "input_ids": ids,
                      "scores": read(out, ids, positions)})
    write_json(os.path.join(path, "expected.json"), cases)


def skywork_build(bos=True, annotate=False):
    def build(vocab, steps, sources):
        ids = ([vocab["<bos>"]] if bos else []) + char_encode(vocab, QUESTION + "\n")
        delim_last = char_encode(vocab, "\n\n")[-1]
        positions = []
        for k, s in enumerate(steps):
            if annotate:
                who = 0 if k == len(steps) - 1 else sources[k]
                s = f"Model {who}: {s}"
            ids += char_encode(vocab, s) + [delim_last]
            positions.append(len(ids) - 1)
        return ids, positions
    return build


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def write_scorers():
    # Skywork-o1-Open-PRM: value head, sigmoid at each appended delimiter id.
    write_scorer("prm-skywork", 11, "values",
                 {"convention": "skywork-prm", "output": "values", "step_delimiter": "\n\n"},
                 skywork_build(), lambda out, ids, pos: [sigmoid(float(out[p])) for p in pos])

    # The same convention on a backbone-only export: last_hidden_state + a linear value head in JSON.
    torch.manual_seed(12)
    w = torch.randn(1, 32) * 0.3
    b = torch.randn(1) * 0.1
    hw = {"weight": w.tolist(), "bias": b.tolist()}
    write_scorer("prm-hidden", 12, "hidden",
                 {"convention": "skywork-prm", "output": "last_hidden_state", "head_weights": "value_head.json"},
                 skywork_build(),
                 lambda out, ids, pos: [sigmoid(float(out[p] @ w[0] + b[0])) for p in pos],
                 output_name="last_hidden_state", head_weights=hw)

    # Qwen2.5-Math-PRM: chat template, steps joined by <extra_0> (+ trailing), softmax class 1 there.
    def qwen_build(vocab, steps, sources):
        assistant = "<extra_0>".join(steps) + "<extra_0>"
        text = (f"<|im_start|>system\n{QWEN_SYSTEM}<|im_end|>\n<|im_start|>user\n{QUESTION}<|im_end|>\n"
                f"<|im_start|>assistant\n{assistant}<|im_end|>\n")
        ids = []
        rest = text
        while rest:
            if rest.startswith("<extra_0>"):
                ids.append(vocab["<extra_0>"])
                rest = rest[len("<extra_0>"):]
            else:
                ids += char_encode(vocab, rest[0])
                rest = rest[1:]
        return ids, [i for i, t in enumerate(ids) if t == vocab["<extra_0>"]]

    write_scorer("prm-qwen", 13, "classes",
                 {"convention": "qwen-prm"}, qwen_build,
                 lambda out, ids, pos: [float(torch.softmax(out[p], -1)[1]) for p in pos],
                 extra_specials=("<extra_0>",), chat=QWEN_CHAT)

    # Math-Shepherd: steps tagged " ки", LM logits of "+"/"-" at the tag, probability of "+".
    def shepherd_build(vocab, steps, sources):
        text = QUESTION + " " + " ки\n\n".join(steps) + " ки"
        ids = char_encode(vocab, text)
        tag = char_encode(vocab, "ки")[-1]
        return ids, [i for i, t in enumerate(ids) if t == tag]

    tok, vocab = char_tokenizer()
    plus, minus = vocab["+"], vocab["-"]
    write_scorer("prm-shepherd", 14, "classes", {"convention": "math-shepherd"}, shepherd_build,
                 lambda out, ids, pos: [float(torch.softmax(out[p][[plus, minus]], -1)[0]) for p in pos],
                 classes="vocab")

    # Arbitrage router: no bos, "Model 0:/1:" annotations, 2-label softmax at the last position.
    write_scorer("router", 15, "classes",
                 {"convention": "arbitrage-router", "annotate": True},
                 skywork_build(bos=False, annotate=True),
                 lambda out, ids, pos: [float(torch.softmax(out[len(ids) - 1], -1)[1])])


def write_bad():
    # A graph that follows no convention: inputs/outputs with other names.
    tok, vocab = char_tokenizer()

    class Odd(torch.nn.Module):
        def forward(self, x):
            return x.float() * 2.0

    path = folder("bad-graph")
    torch.onnx.export(Odd(), (torch.ones(1, 3, dtype=torch.int64),), os.path.join(path, "onnx", "model.onnx"),
                      input_names=["tokens"], output_names=["scores"], dynamic_axes={"tokens": {1: "n"}},
                      opset_version=17)
    write_json(os.path.join(path, "tokenizer.json"), tok)
    write_json(os.path.join(path, "tokenizer_config.json"), tokenizer_config())
    write_json(os.path.join(path, "config.json"), lm_config(len(vocab), 2, 2, 2, 32, 256, 2, 1))
    # A folder that lacks its tokenizer and graph.
    path = os.path.join(OUT, "missing-files")
    os.makedirs(path, exist_ok=True)
    write_json(os.path.join(path, "config.json"), lm_config(10, 1, 1, 1, 4, 16, 2, 1))


BUILDERS = {"steps-bos": write_bos_writer}


def main():
    # `make_fixtures.py NAME…` rebuilds only those fixtures (of BUILDERS), leaving the others as they are.
    names = sys.argv[1:]
    if names:
        unknown = [n for n in names if n not in BUILDERS]
        if unknown:
            sys.exit(f"unknown fixture(s) {unknown}; these can be built alone: {sorted(BUILDERS)}")
        torch.set_num_threads(2)
        for n in names:
            BUILDERS[n]()
            print(f"wrote {os.path.join(OUT, n)}")
        return
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    torch.set_num_threads(2)
    write_char_lm("char-lm", seed=1)
    # A variant in the same folder, picked by name: fp16 KV cache inputs/outputs.
    write_char_lm("char-lm", seed=1, kv_dtype=torch.float16, file="model_fp16.onnx", write_meta=False)
    write_char_lm("char-lm-nopos", seed=2, position_ids=False, kv_heads=2)
    write_char_lm("nan-lm", seed=3, nan=True)
    write_char_lm("small-vocab-lm", seed=4, model_vocab=40)
    write_bpe_lm("bpe-lm", seed=5)
    write_scripted()
    write_step_writers()
    write_bos_writer()
    write_scorers()
    write_bad()
    total = 0
    for dirpath, _, files in os.walk(OUT):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    print(f"wrote {OUT} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()

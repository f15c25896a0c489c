"""Shared helpers: environment, checkpoints, batching, greedy generation, answer checks."""
import json
import math
import os
import random
import re
import time

import torch
import torch.nn.functional as F

import tok
from model import Config, TinyGPT

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("DEMO_WORK", os.path.join(HERE, "work"))
DATA_DIR = os.path.join(ROOT, "assets", "datasets", "arith-steps")
MODELS_DIR = os.environ.get("DEMO_MODELS_DIR", os.path.join(ROOT, "assets", "models"))
DELIM = "\n\n"


def setup(seed=0):
    torch.set_num_threads(int(os.environ.get("TRAIN_THREADS", "2")))
    torch.manual_seed(seed)
    random.seed(seed)
    os.makedirs(WORK, exist_ok=True)


def log(msg, path=None):
    line = time.strftime("%H:%M:%S ") + msg
    print(line, flush=True)
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


def save_ckpt(path, model, extra=None):
    torch.save({"config": model.c.to_dict(), "head": model.head_kind, "state": model.state_dict(),
                "extra": extra or {}}, path)


def load_ckpt(path, head=None):
    ck = torch.load(path, map_location="cpu")
    m = TinyGPT(Config.from_dict(ck["config"]), head=head or ck["head"])
    m.load_state_dict(ck["state"])
    m.eval()
    return m, ck.get("extra", {})


def adamw(model, lr, weight_decay):
    """AdamW that decays weight matrices only (no biases, no LayerNorm weights)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    nodecay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": nodecay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.98), eps=1e-8)


def clip_and_step(model, opt):
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad(set_to_none=True)


def cosine_lr(step, total, peak, warmup, floor=0.1):
    if step < warmup:
        return peak * (step + 1) / warmup
    p = (step - warmup) / max(1, total - warmup)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))


def pad_right(seqs, value=tok.PAD):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), value, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)
        mask[i, :len(s)] = 1
    return ids, mask


def length_batches(lengths, batch, rng, chunk=32):
    """Indices grouped into batches of similar length (shuffled chunks, sorted within)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    out = []
    for c in range(0, len(idx), batch * chunk):
        part = sorted(idx[c:c + batch * chunk], key=lambda i: lengths[i])
        out += [part[j:j + batch] for j in range(0, len(part), batch)]
    rng.shuffle(out)
    return [b for b in out if len(b) == batch]


def micro_batches(batch, lengths, heads, budget=24e6):
    """Split a batch so that one attention matrix (rows x heads x T x T fp32) stays under
    glibc's largest mmap threshold (32 MiB): bigger blocks are mmapped and page-faulted
    afresh on every allocation, which made long batches up to 10x slower here."""
    T = max(lengths[i] for i in batch)
    per = max(1, int(budget // (heads * T * T * 4)))
    return [batch[j:j + per] for j in range(0, len(batch), per)]


# ---------------------------------------------------------------- generation (torch)
@torch.no_grad()
def greedy_batch(model, prompts, max_new=200, stop_on_delim=False, temperature=0.0, generator=None, stop_ids=()):
    """Greedy decoding (or sampling at temperature > 0 with the given torch.Generator) with KV cache
    for a batch of prompts (lists of ids), left-padded.
    Stops a row at <eos>, or (stop_on_delim) when it has just produced "\n\n", or after a token in
    stop_ids (kept in the output).
    Returns (list of generated id lists (without the stop token for eos; the delimiter is
    kept when stop_on_delim), list of per-token (logprob, entropy) lists)."""
    B = len(prompts)
    T = max(len(p) for p in prompts)
    ids = torch.full((B, T), tok.PAD, dtype=torch.long)
    mask = torch.zeros((B, T), dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, T - len(p):] = torch.tensor(p)
        mask[i, T - len(p):] = 1
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    nl = model.c.n_layer
    hd = model.c.d_model // model.c.n_head
    past = [(torch.zeros(B, model.c.n_head, 0, hd), torch.zeros(B, model.c.n_head, 0, hd)) for _ in range(nl)]
    logits, past = model(ids, mask, pos, past)
    last = logits[:, -1, :]
    cur_pos = pos[:, -1]
    out = [[] for _ in range(B)]
    stats = [[] for _ in range(B)]
    done = [False] * B
    for step in range(max_new):
        lp = F.log_softmax(last.float(), dim=-1)
        if temperature > 0:
            nxt = torch.multinomial(torch.softmax(last.float() / temperature, -1), 1, generator=generator).squeeze(1)
        else:
            nxt = lp.argmax(-1)
        ent = -(lp.exp() * lp).sum(-1)
        for i in range(B):
            if done[i]:
                continue
            t = int(nxt[i])
            if t == tok.EOS:
                done[i] = True
                stats[i].append((float(lp[i, t]), float(ent[i])))
                continue
            out[i].append(t)
            stats[i].append((float(lp[i, t]), float(ent[i])))
            if stop_on_delim and len(out[i]) >= 2 and out[i][-1] == tok.NL and out[i][-2] == tok.NL:
                done[i] = True
            if t in stop_ids:
                done[i] = True
            if len(out[i]) >= max_new:
                done[i] = True
        if all(done):
            break
        mask = torch.cat([mask, torch.ones(B, 1, dtype=torch.long)], dim=1)
        cur_pos = cur_pos + 1
        logits, past = model(nxt.unsqueeze(1), mask, cur_pos.unsqueeze(1), past)
        last = logits[:, -1, :]
    return out, stats


BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


def boxed_answer(text):
    m = BOXED.findall(text)
    return m[-1].strip() if m else None


def solve_greedy(model, problems, batch=64, max_new=260):
    """Full greedy solutions (text) for a list of problem strings, in order."""
    order = sorted(range(len(problems)), key=lambda i: len(problems[i]))
    res = [None] * len(problems)
    for c in range(0, len(order), batch):
        part = order[c:c + batch]
        outs, _ = greedy_batch(model, [tok.lm_prompt_ids(problems[i]) for i in part], max_new=max_new)
        for i, o in zip(part, outs):
            res[i] = tok.decode(o)
    return res


def accuracy_report(rows, completions):
    by = {}
    for r, c in zip(rows, completions):
        ok = boxed_answer(c) == r["answer"]
        by.setdefault(r["level"], []).append(ok)
    allv = [x for v in by.values() for x in v]
    return {"overall": sum(allv) / len(allv), "n": len(allv),
            "by_level": {str(k): {"acc": sum(v) / len(v), "n": len(v)} for k, v in sorted(by.items())}}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def load_lm(path, fp16_round=True):
    """Load a checkpoint for use downstream; weights rounded to fp16 precision, exactly as
    the exported ONNX graph stores them."""
    m, extra = load_ckpt(path)
    if fp16_round:
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(p.half().float())
    return m, extra


def draft_features(stats):
    lps = [s[0] for s in stats]
    ents = [s[1] for s in stats]
    if not lps:
        return {"tokens": 0, "mean_logprob": 0.0, "min_logprob": 0.0, "mean_entropy": 0.0}
    return {"tokens": len(lps), "mean_logprob": round(sum(lps) / len(lps), 5),
            "min_logprob": round(min(lps), 5), "mean_entropy": round(sum(ents) / len(ents), 5)}


def gen_steps(model, problems, contexts, batch=64, max_step_tokens=80):
    """Generate ONE step for each (problem, context steps) pair with greedy decoding.
    Returns list of (step_text, final, stats): final is True when the model ended with <eos>
    (or gave up without a delimiter)."""
    prompts = []
    for p, ctx in zip(problems, contexts):
        text = p + DELIM + "".join(s + DELIM for s in ctx)
        prompts.append([tok.BOS] + tok.encode(text))
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    res = [None] * len(prompts)
    for c in range(0, len(order), batch):
        part = order[c:c + batch]
        outs, stats = greedy_batch(model, [prompts[i] for i in part], max_new=max_step_tokens, stop_on_delim=True)
        for i, o, st in zip(part, outs, stats):
            text = tok.decode(o)
            if text.endswith(DELIM):
                res[i] = (text[:-len(DELIM)], False, st)
            else:
                res[i] = (text, True, st)
    return res


@torch.no_grad()
def score_batch(model, seqs, batch=64):
    """Run a scorer (value or cls2 head) on id sequences; returns per-sequence output tensors."""
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    res = [None] * len(seqs)
    for c in range(0, len(order), batch):
        part = order[c:c + batch]
        ids, mask = pad_right([seqs[i] for i in part])
        out, _ = model(ids, mask)
        for j, i in enumerate(part):
            res[i] = out[j, :len(seqs[i])].clone()
    return res


def prm_scores(prm, question_steps, batch=64):
    """question_steps: list of (question, steps). Returns list of per-step sigmoid scores."""
    seqs, poss = [], []
    for q, steps in question_steps:
        ids, pos = tok.prm_input(q, steps)
        seqs.append(ids)
        poss.append(pos)
    outs = score_batch(prm, seqs, batch)
    return [[float(torch.sigmoid(o[p])) for p in pos] for o, pos in zip(outs, poss)]

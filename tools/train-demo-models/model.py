"""Tiny GPT-style transformer used for every demo model (draft, target, PRM, router).

One class serves three roles:
  * causal LM with KV cache (draft, target), exported in the optimum
    "text-generation-with-past" convention (one graph for prefill and decode);
  * value head per position (PRM, Skywork convention: `values` [batch, seq]);
  * 2-class token classification head (router: `logits` [batch, seq, 2]).

Rotary position embeddings (or learned absolute positions with rope=False), pre-LayerNorm, GELU MLP, multi-head attention
(num_key_value_heads == num_attention_heads). The attention mask is built from
shapes and uses -1e4 (not the float minimum) so an fp16 cast stays finite.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e4
N_STEP_FEATURES = 3


def W(p):
    """Weights may be stored as fp16 for export (the graph then holds fp16 initializers and
    a Cast to fp32); all arithmetic stays fp32."""
    return p.float() if p is not None and p.dtype == torch.float16 else p


def lin(m, x):
    return F.linear(x, W(m.weight), W(m.bias))


def ln(m, x):
    return F.layer_norm(x, m.normalized_shape, W(m.weight), W(m.bias), m.eps)


class Config:
    def __init__(self, vocab_size, n_layer, d_model, n_head, max_pos, d_ff=None, rope=True, delim_id=None,
                 feature_skip=0):
        self.rope = rope
        # Leading tokens of each step left out of the step features: an annotated router's "Model i: "
        # prefix, whose digit the LM cannot predict (with it, min log p over the step is that digit's).
        self.feature_skip = feature_skip
        # Scorers only: the id that ends each step. When set, the value / class heads also read the
        # step's token log-probabilities under the model's own LM head (see TinyGPT.step_features).
        self.delim_id = delim_id
        self.vocab_size = vocab_size
        self.n_layer = n_layer
        self.d_model = d_model
        self.n_head = n_head
        self.max_pos = max_pos
        self.d_ff = d_ff or 4 * d_model

    def to_dict(self):
        return dict(vocab_size=self.vocab_size, n_layer=self.n_layer, d_model=self.d_model,
                    n_head=self.n_head, max_pos=self.max_pos, d_ff=self.d_ff, rope=self.rope,
                    delim_id=self.delim_id, feature_skip=self.feature_skip)

    @staticmethod
    def from_dict(d):
        return Config(d["vocab_size"], d["n_layer"], d["d_model"], d["n_head"], d["max_pos"], d["d_ff"],
                      d.get("rope", False), d.get("delim_id"), d.get("feature_skip", 0))


def rotate(x, rot):
    """Rotary position embedding (GPT-NeoX layout: the two halves of each head are rotated)."""
    cos, sin = rot
    h = x.shape[-1] // 2
    x1, x2 = x[..., :h], x[..., h:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c.n_head
        self.hd = c.d_model // c.n_head
        self.ln1 = nn.LayerNorm(c.d_model)
        self.qkv = nn.Linear(c.d_model, 3 * c.d_model)
        self.proj = nn.Linear(c.d_model, c.d_model)
        self.ln2 = nn.LayerNorm(c.d_model)
        self.fc = nn.Linear(c.d_model, c.d_ff)
        self.out = nn.Linear(c.d_ff, c.d_model)

    def forward(self, x, bias, past_k=None, past_v=None, rot=None):
        B, T, C = x.shape
        h = ln(self.ln1, x)
        q, k, v = lin(self.qkv, h).split(C, dim=2)
        q = q.view(B, T, self.n_head, self.hd).transpose(1, 2)
        k = k.view(B, T, self.n_head, self.hd).transpose(1, 2)
        if rot is not None:
            q, k = rotate(q, rot), rotate(k, rot)
        v = v.view(B, T, self.n_head, self.hd).transpose(1, 2)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.hd)) + bias
        att = torch.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + lin(self.proj, y)
        x = x + lin(self.out, F.gelu(lin(self.fc, ln(self.ln2, x))))
        return x, k, v


class TinyGPT(nn.Module):
    """head: 'lm' (logits over vocab), 'value' (one scalar per position), 'cls2' (two logits)."""

    def __init__(self, c, head="lm"):
        super().__init__()
        self.c = c
        self.head_kind = head
        self.wte = nn.Embedding(c.vocab_size, c.d_model)
        if not c.rope:
            self.wpe = nn.Embedding(c.max_pos, c.d_model)
        else:
            hd = c.d_model // c.n_head
            self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd)), persistent=False)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.n_layer)])
        self.ln_f = nn.LayerNorm(c.d_model)
        self.lm_head = nn.Linear(c.d_model, c.vocab_size, bias=False)
        self.value_head = nn.Linear(c.d_model, 1)
        self.cls_head = nn.Linear(c.d_model, 2)
        if c.delim_id is not None:
            self.feat_value = nn.Linear(N_STEP_FEATURES, 1, bias=False)
            self.feat_cls = nn.Linear(N_STEP_FEATURES, 2, bias=False)
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith("proj.weight") or n.endswith("out.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * c.n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)

    @staticmethod
    def make_bias(attention_mask, q_len, past_len):
        # allowed[b, 1, i, j] = key j is not padding and j <= past_len + i
        k_len = attention_mask.shape[1]
        q_pos = torch.arange(q_len, device=attention_mask.device).unsqueeze(1) + past_len
        k_pos = torch.arange(k_len, device=attention_mask.device).unsqueeze(0)
        causal = (k_pos <= q_pos).to(torch.float32)  # [q, k]
        pad = attention_mask.to(torch.float32)[:, None, None, :]  # [B,1,1,k]
        allowed = causal[None, None, :, :] * pad
        return (1.0 - allowed) * NEG

    def trunk(self, input_ids, attention_mask, position_ids, past=None):
        B, T = input_ids.shape
        past_len = 0 if past is None else past[0][0].shape[2]
        if past is None:
            bias = self.make_bias(attention_mask, T, 0)
        else:
            bias = self.make_bias(attention_mask, T, past[0][0].shape[2])
        x = F.embedding(input_ids, W(self.wte.weight))
        rot = None
        if self.c.rope:
            freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq  # [B, T, hd/2]
            rot = (freqs.cos().unsqueeze(1), freqs.sin().unsqueeze(1))
        else:
            x = x + F.embedding(position_ids, W(self.wpe.weight))
        presents = []
        for i, blk in enumerate(self.blocks):
            pk, pv = (None, None) if past is None else past[i]
            x, k, v = blk(x, bias, pk, pv, rot)
            presents.append((k, v))
        return ln(self.ln_f, x), presents

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        if position_ids is None:
            position_ids = (attention_mask.cumsum(1) - 1).clamp(min=0)
            if past is not None:
                position_ids = position_ids[:, -input_ids.shape[1]:]
        h, presents = self.trunk(input_ids, attention_mask, position_ids, past)
        if self.head_kind == "lm":
            return lin(self.lm_head, h), presents
        # With a past, the features cover the new positions only: the engine starts such a chunk at a
        # step delimiter, so every step in it is whole (and the delimiter's own value comes from before).
        f = (self.step_features(input_ids, attention_mask[:, -input_ids.shape[1]:], h)
             if self.c.delim_id is not None else None)
        if self.head_kind == "value":
            v = lin(self.value_head, h).squeeze(-1)
            if f is not None:
                v = v + lin(self.feat_value, f).squeeze(-1)
            return v, presents
        out = lin(self.cls_head, h)
        if f is not None:
            out = out + lin(self.feat_cls, f)
        return out, presents

    def step_features(self, input_ids, attention_mask, h):
        """Per position t: the minimum, sum and mean of log p(token) under the model's own LM head over
        the tokens of the step that t belongs to (those after the last delimiter before t, up to t).
        At a step's delimiter that is the whole step: a model that computes well gives an
        arithmetic slip or an invented operand a very low probability, which the hidden state at the
        delimiter alone did not capture (step AUC 0.78 without these features)."""
        B, T = input_ids.shape
        logp = torch.log_softmax(lin(self.lm_head, h[:, :-1]), -1)
        lp = logp.gather(2, input_ids[:, 1:].unsqueeze(-1)).squeeze(-1)
        lp = torch.cat([torch.zeros_like(lp[:, :1]), lp], 1)  # lp[t] = log p(ids[t] | ids[<t]); 0 at t=0
        is_d = (input_ids == self.c.delim_id).to(torch.int64)
        seg = torch.cumsum(is_d, 1)  # delimiters up to and including t
        seg_t = seg - is_d  # the segment a delimiter closes is the one before it
        pos = torch.arange(T, device=input_ids.device)
        causal = pos.unsqueeze(0) <= pos.unsqueeze(1)  # [t, s]: s <= t
        member = (attention_mask.to(torch.int64) * (1 - is_d)) > 0  # delimiters and padding are not step tokens
        m = (seg.unsqueeze(1) == seg_t.unsqueeze(2)) & causal.unsqueeze(0) & member.unsqueeze(1)  # [B, t, s]
        if self.c.feature_skip > 0:
            rank = m.to(torch.int64).sum(-1)  # at a step token: its 1-based place in its step
            m = m & (rank > self.c.feature_skip).unsqueeze(1)
        vals = torch.where(m, lp.unsqueeze(1).expand(B, T, T), torch.zeros_like(lp).unsqueeze(1).expand(B, T, T))
        seg_min = vals.min(-1).values
        seg_sum = vals.sum(-1)
        seg_mean = seg_sum / m.to(torch.float32).sum(-1).clamp(min=1.0)
        return torch.stack([seg_min, seg_sum, seg_mean], -1)

    def n_params(self, trunk_only=False):
        keep = {"lm": ("lm_head",), "value": ("value_head", "feat_value"), "cls2": ("cls_head", "feat_cls")}[self.head_kind]
        if self.head_kind != "lm" and self.c.delim_id is not None:
            keep = keep + ("lm_head",)  # the step features read the LM head
        tot = 0
        for n, p in self.named_parameters():
            if n.split(".")[0] in ("lm_head", "value_head", "cls_head", "feat_value", "feat_cls") and n.split(".")[0] not in keep:
                continue
            tot += p.numel()
        return tot


def run_flat(m, input_ids, attention_mask, position_ids, past_flat):
    """The model on a flat list of past tensors (key, value per layer); returns (output, *presents)."""
    past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(m.c.n_layer)]
    out, presents = m(input_ids, attention_mask, position_ids, past)
    return tuple([out] + [t for kv in presents for t in kv])


class LMExport(nn.Module):
    """Wrapper with the flat optimum signature for torch.onnx.export."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        return run_flat(self.m, input_ids, attention_mask, position_ids, past_flat)


class ScorerExport(nn.Module):
    """Scorer signature with a KV cache, like the LMs: input_ids, attention_mask, past_key_values.*
    -> output per new position, present.*. A zero-length past scores a whole input; the engine
    reuses the cache for the prefix two calls share (the context before the candidate step)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, *past_flat):
        return run_flat(self.m, input_ids, attention_mask, None, past_flat)

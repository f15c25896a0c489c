"""Tiny PyTorch modules exported to ONNX as engine test fixtures (random weights, fixed seeds).

TinyDecoder follows optimum's "text-generation-with-past" convention: one graph for prefill and
decode, past_key_values.{i}.key|value in, present.{i}.key|value out, [batch, kv_heads, past, head_dim].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e4  # fp16-safe "minus infinity" for masked attention


class Block(nn.Module):
    def __init__(self, d, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads, self.hd = heads, kv_heads, d // heads
        self.ln1 = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, kv_heads * self.hd)
        self.v = nn.Linear(d, kv_heads * self.hd)
        self.o = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias, past_k, past_v):
        B, S, D = x.shape
        h = self.ln1(x)
        q = self.q(h).view(B, S, self.heads, self.hd).transpose(1, 2)
        k = self.k(h).view(B, S, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v(h).view(B, S, self.kv_heads, self.hd).transpose(1, 2)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        rep = self.heads // self.kv_heads
        # Grouped-query attention: each KV head serves `rep` query heads (expand, not repeat_interleave,
        # which torch 1.13 exports with the traced length baked in).
        kk = k.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(B, self.heads, -1, self.hd) if rep > 1 else k
        vv = v.unsqueeze(2).expand(-1, -1, rep, -1, -1).reshape(B, self.heads, -1, self.hd) if rep > 1 else v
        att = torch.matmul(q, kk.transpose(-1, -2)) / (self.hd ** 0.5) + bias
        att = torch.softmax(att, dim=-1)
        y = torch.matmul(att, vv).transpose(1, 2).reshape(B, S, D)
        x = x + self.o(y)
        x = x + self.mlp(self.ln2(x))
        return x, k, v


def attention_bias(attention_mask, past_len, S):
    """[B,1,S,T] additive bias: causal over absolute positions, plus the padding mask."""
    T = attention_mask.shape[1]
    qpos = torch.arange(S).unsqueeze(1) + past_len  # [S,1]
    kpos = torch.arange(T).unsqueeze(0)  # [1,T]
    causal = (kpos <= qpos).to(torch.float32)  # [S,T]
    keep = causal.unsqueeze(0).unsqueeze(0) * attention_mask.to(torch.float32).unsqueeze(1).unsqueeze(1)
    return (1.0 - keep) * NEG


class TinyDecoder(nn.Module):
    def __init__(self, vocab, d=32, layers=2, heads=2, kv_heads=2, max_pos=256, position_ids=True,
                 kv_dtype=torch.float32, output="logits", nan=False, value_out=False, classes=0):
        super().__init__()
        self.layers, self.kv_heads, self.hd = layers, kv_heads, d // heads
        self.use_position_ids, self.kv_dtype, self.nan = position_ids, kv_dtype, nan
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.blocks = nn.ModuleList([Block(d, heads, kv_heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        out_dim = 1 if value_out else (classes if classes else vocab)
        self.head = nn.Linear(d, out_dim)
        self.value_out = value_out

    def hidden(self, input_ids, attention_mask, position_ids, past):
        B, S = input_ids.shape
        past_len = past[0].shape[2] if self.layers else 0
        if not self.use_position_ids:
            # Same rule optimum/transformers.js use: positions from the cumulative attention mask.
            full = torch.cumsum(attention_mask, dim=1) - 1
            position_ids = full[:, -S:].clamp(min=0)
        x = self.tok(input_ids) + self.pos(position_ids)
        bias = attention_bias(attention_mask, past_len, S)
        presents = []
        for i, blk in enumerate(self.blocks):
            pk = past[2 * i].to(torch.float32)
            pv = past[2 * i + 1].to(torch.float32)
            x, k, v = blk(x, bias, pk, pv)
            presents += [k.to(self.kv_dtype), v.to(self.kv_dtype)]
        return self.ln(x), presents

    def forward(self, input_ids, attention_mask, *rest):
        if self.use_position_ids:
            position_ids, past = rest[0], rest[1:]
        else:
            position_ids, past = None, rest
        h, presents = self.hidden(input_ids, attention_mask, position_ids, past)
        out = self.head(h)
        if self.value_out:
            out = out.squeeze(-1)
        if self.nan:
            out = out * torch.tensor(float("nan"))
        return (out, *presents)


class TinyScorer(nn.Module):
    """A scorer backbone without cache: input_ids + attention_mask -> one output per position."""

    def __init__(self, vocab, d=32, layers=2, heads=2, max_pos=256, kind="values", classes=2):
        super().__init__()
        self.dec = TinyDecoder(vocab, d=d, layers=layers, heads=heads, kv_heads=heads, max_pos=max_pos,
                               position_ids=False, value_out=(kind == "values"),
                               classes=(classes if kind == "classes" else 0))
        self.kind = kind

    def forward(self, input_ids, attention_mask):
        B = input_ids.shape[0]
        hd = self.dec.hd
        past = [torch.zeros(B, self.dec.kv_heads, 0, hd) for _ in range(2 * self.dec.layers)]
        h, _ = self.dec.hidden(input_ids, attention_mask, None, past)
        if self.kind == "hidden":
            return h
        out = self.dec.head(h)
        return out.squeeze(-1) if self.kind == "values" else out


class ScriptedDecoder(nn.Module):
    """Writes a fixed token script: the logits at absolute position p put all mass on script[p+1].

    Lets a test make a model say exactly "…\\n\\n…" in chosen token pieces, with a real KV cache
    flowing through the graph (present = past ++ this step's keys).
    """

    def __init__(self, vocab, script, layers=1, kv_heads=1, hd=4, after=None):
        super().__init__()
        table = torch.full((len(script) + 1, vocab), -20.0)
        for p in range(len(script) - 1):
            table[p, script[p + 1]] = 20.0
        if after is None:
            table[len(script) - 1:, :] = 0.0  # after the script: uniform
        else:
            table[len(script) - 1:, after] = 20.0  # after the script: always this token (e.g. EOS)
        self.register_buffer("table", table)
        self.layers, self.kv_heads, self.hd = layers, kv_heads, hd
        self.emb = nn.Embedding(vocab, kv_heads * hd)
        self.max_p = len(script)

    def forward(self, input_ids, attention_mask, position_ids, *past):
        B, S = input_ids.shape
        logits = self.table[position_ids.clamp(max=self.max_p)]
        kv = self.emb(input_ids).view(B, S, self.kv_heads, self.hd).transpose(1, 2)
        presents = []
        for i in range(self.layers):
            presents += [torch.cat([past[2 * i], kv], dim=2), torch.cat([past[2 * i + 1], kv], dim=2)]
        # Tie the mask into the graph so its declared shape is [batch, past + sequence].
        logits = logits + 0.0 * attention_mask.sum().to(torch.float32)
        return (logits, *presents)


def export_decoder(model, path, vocab, position_ids=True, kv_dtype=torch.float32, opset=17):
    model.eval()
    layers, kvh, hd = model.layers, model.kv_heads, model.hd
    B, S, P = 1, 3, 2
    ids = torch.randint(4, vocab, (B, S))
    mask = torch.ones(B, P + S, dtype=torch.int64)
    pos = torch.arange(P, P + S).unsqueeze(0)
    past = []
    names_in = ["input_ids", "attention_mask"] + (["position_ids"] if position_ids else [])
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    if position_ids:
        axes["position_ids"] = {0: "batch_size", 1: "sequence_length"}
    for i in range(layers):
        for kind in ("key", "value"):
            past.append(torch.randn(B, kvh, P, hd).to(kv_dtype))
            n_in, n_out = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            names_in.append(n_in)
            names_out.append(n_out)
            axes[n_in] = {0: "batch_size", 2: "past_sequence_length"}
            axes[n_out] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    args = (ids, mask) + ((pos,) if position_ids else ()) + tuple(past)
    torch.onnx.export(model, args, path, input_names=names_in, output_names=names_out,
                      dynamic_axes=axes, opset_version=opset, do_constant_folding=True)


def export_scorer(model, path, output_name, opset=17):
    model.eval()
    ids = torch.randint(4, 20, (1, 5))
    mask = torch.ones(1, 5, dtype=torch.int64)
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
            output_name: {0: "batch_size", 1: "sequence_length"}}
    torch.onnx.export(model, (ids, mask), path, input_names=["input_ids", "attention_mask"],
                      output_names=[output_name], dynamic_axes=axes, opset_version=opset)

"""ONNX export of the demo models (torch 1.13 exporter, opset 17)."""
import copy
import os
import torch
from model import LMExport, ScorerExport

OPSET = 17


def round_to_fp16(model):
    """Round every weight to fp16 precision in place (still fp32 tensors). The exported
    graph stores fp16 weights; evaluating the rounded fp32 model in torch gives the same
    numbers as the graph (which casts the weights back to fp32 and computes in fp32)."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())
    return model


def _storage(model, fp16):
    if not fp16:
        return model, True
    # fp16 initializers + Cast nodes; constant folding would fold the casts back to fp32
    m = copy.deepcopy(model)
    for p in m.parameters():  # parameters only: buffers (rotary inv_freq) stay fp32
        p.data = p.data.half()
    return m, False


def export_lm(model, path, fp16=True):
    model.eval()
    model, fold = _storage(model, fp16)
    c = model.c
    os.makedirs(os.path.dirname(path), exist_ok=True)
    hd = c.d_model // c.n_head
    B, T, P = 1, 3, 2
    ids = torch.randint(0, c.vocab_size, (B, T))
    am = torch.ones(B, P + T, dtype=torch.int64)
    pos = torch.arange(P, P + T).unsqueeze(0)
    past = []
    for _ in range(c.n_layer):
        past += [torch.zeros(B, c.n_head, P, hd), torch.zeros(B, c.n_head, P, hd)]
    in_names = ["input_ids", "attention_mask", "position_ids"]
    out_names = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(c.n_layer):
        for kv in ("key", "value"):
            n = f"past_key_values.{i}.{kv}"
            in_names.append(n)
            dyn[n] = {0: "batch_size", 2: "past_sequence_length"}
            o = f"present.{i}.{kv}"
            out_names.append(o)
            dyn[o] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(LMExport(model), (ids, am, pos, *past), path, input_names=in_names,
                          output_names=out_names, dynamic_axes=dyn, opset_version=OPSET,
                          do_constant_folding=fold)


def export_scorer(model, path, output_name, fp16=True):
    model.eval()
    model, fold = _storage(model, fp16)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ids = torch.randint(0, model.c.vocab_size, (1, 7))
    am = torch.ones(1, 7, dtype=torch.int64)
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "sequence_length"},
           output_name: {0: "batch_size", 1: "sequence_length"}}
    with torch.no_grad():
        torch.onnx.export(ScorerExport(model), (ids, am), path, input_names=["input_ids", "attention_mask"],
                          output_names=[output_name], dynamic_axes=dyn, opset_version=OPSET,
                          do_constant_folding=fold)

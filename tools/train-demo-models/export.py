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


def _with_past(c, in_names, out_names, dyn, P):
    """Adds the past_key_values.* inputs and present.* outputs (optimum names) and their axes;
    returns example past tensors of length P."""
    hd = c.d_model // c.n_head
    past = []
    for i in range(c.n_layer):
        for kv in ("key", "value"):
            n = f"past_key_values.{i}.{kv}"
            in_names.append(n)
            dyn[n] = {0: "batch_size", 2: "past_sequence_length"}
            o = f"present.{i}.{kv}"
            out_names.append(o)
            dyn[o] = {0: "batch_size", 2: "total_sequence_length"}
            past.append(torch.zeros(1, c.n_head, P, hd))
    return past


def export_lm(model, path, fp16=True):
    model.eval()
    model, fold = _storage(model, fp16)
    c = model.c
    os.makedirs(os.path.dirname(path), exist_ok=True)
    T, P = 3, 2
    ids = torch.randint(0, c.vocab_size, (1, T))
    am = torch.ones(1, P + T, dtype=torch.int64)
    pos = torch.arange(P, P + T).unsqueeze(0)
    in_names = ["input_ids", "attention_mask", "position_ids"]
    out_names = ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    past = _with_past(c, in_names, out_names, dyn, P)
    with torch.no_grad():
        torch.onnx.export(LMExport(model), (ids, am, pos, *past), path, input_names=in_names,
                          output_names=out_names, dynamic_axes=dyn, opset_version=OPSET,
                          do_constant_folding=fold)


def export_scorer(model, path, output_name, fp16=True):
    model.eval()
    model, fold = _storage(model, fp16)
    c = model.c
    os.makedirs(os.path.dirname(path), exist_ok=True)
    T, P = 7, 2
    ids = torch.randint(0, c.vocab_size, (1, T))
    am = torch.ones(1, P + T, dtype=torch.int64)
    in_names = ["input_ids", "attention_mask"]
    out_names = [output_name]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           output_name: {0: "batch_size", 1: "sequence_length"}}
    past = _with_past(c, in_names, out_names, dyn, P)
    with torch.no_grad():
        torch.onnx.export(ScorerExport(model), (ids, am, *past), path, input_names=in_names,
                          output_names=out_names, dynamic_axes=dyn, opset_version=OPSET,
                          do_constant_folding=fold)

"""What every generator here shares: JSON numbers and tensors in FORMAT.md's form, and writing
a case file. Standard library only (torch tensors are read through .reshape(-1).tolist())."""
import json
import math
import os

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "conformance",
                       "project")


def num(v):
    """A float as FORMAT.md writes it: non-finite values as the strings NaN, Infinity, -Infinity."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def tensor_of(t, dtype):
    """A torch tensor as a FORMAT.md tensor of the given dtype name."""
    return {"dtype": dtype, "shape": list(t.shape), "data": [num(v) for v in t.reshape(-1).tolist()]}


def tensor(data, shape, dtype="float64", floats=False):
    """A FORMAT.md tensor from flat data (int64: ints; else numbers, made floats first when floats is set)."""
    if dtype == "int64":
        return {"dtype": dtype, "shape": list(shape), "data": [int(v) for v in data]}
    return {"dtype": dtype, "shape": list(shape), "data": [num(float(v) if floats else v) for v in data]}


def f32(v):
    """v rounded to float32 (by PyTorch), as a Python float."""
    import torch
    return float(torch.tensor(v, dtype=torch.float32).item())


def torch_case(cid, loss, params, inputs, value, grad, dtype, rtol, atol):
    """A case from torch float64 tensors: inputs {name: tensor or None}, int64 tensors kept int64, the
    others written in dtype; the value a tensor for reduction none, else a number; grad d value / d input."""
    ins = {n: tensor_of(t, "int64" if str(t.dtype) == "torch.int64" else dtype)
           for n, t in inputs.items() if t is not None}
    v = tensor_of(value, dtype) if params.get("reduction") == "none" else num(value.item())
    return {"id": cid, "loss": loss, "params": params, "inputs": ins,
            "expect": {"value": v, "grad": {"input": tensor_of(grad, dtype)}}, "rtol": rtol, "atol": atol}


def torch_refusal(cid, loss, params, inputs):
    """A case that must be refused (invalid_argument), from torch tensors (int64 kept, the rest float64)."""
    ins = {n: tensor_of(t, "int64" if str(t.dtype) == "torch.int64" else "float64") for n, t in inputs.items()}
    return {"id": cid, "loss": loss, "params": params, "inputs": ins, "expect": {"error": "invalid_argument"}}


def rounded_to_float32(*ts):
    """float64 tensors rounded through float32 (int64 tensors and None unchanged): a float32 case's inputs."""
    return tuple(t if t is None or str(t.dtype) == "torch.int64" else t.float().double() for t in ts)


def write(name, cases):
    """Writes the cases to core/src/test/resources/conformance/project/<name>.jsonl (ids must be unique)."""
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    out = os.path.join(PROJECT, name + ".jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{len(cases)} cases -> {os.path.normpath(out)}")

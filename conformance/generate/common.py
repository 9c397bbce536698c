"""Helpers shared by the generator scripts of this directory: the case format of FORMAT.md.

Imported by the scripts beside it (lovasz_hinge.py, lovasz_softmax.py, generalized_dice.py,
psnr.py, dice.py); it computes nothing itself.
"""
import math

import torch

import caselib
from caselib import write  # noqa: F401 (the generators import it from here)


def tensor(data, shape, dtype="float64"):
    """A tensor of FORMAT.md from flat data."""
    return caselib.tensor(data, shape, dtype, floats=True)



def num(v):
    """A float as FORMAT.md writes it (non-finite as a string)."""
    v = float(v)
    if not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def from_torch(t, dtype=None):
    """A tensor of FORMAT.md from a torch tensor (its values, float64 or int64, flattened row-major)."""
    if dtype is None:
        dtype = "int64" if t.dtype == torch.int64 else "float64"
    return tensor(t.detach().reshape(-1).tolist(), list(t.shape), dtype)


def f32(values):
    """The values rounded to float32 (as Python floats)."""
    return torch.tensor(values, dtype=torch.float64).to(torch.float32).to(torch.float64).tolist()


def expectation(value, leaf, dtype, grad=True, name="input"):
    """expect for a scalar value: the value and, unless grad is False, autograd's gradient w.r.t. leaf."""
    expect = {"value": num(value)}
    if grad:
        value.backward()
        expect["grad"] = {name: from_torch(leaf.grad, dtype)}
    return expect


def refusal(cid, loss, params, inputs):
    return {"id": cid, "loss": loss, "params": params, "inputs": inputs, "expect": {"error": "invalid_argument"}}


def counter(prefix):
    """A function giving prefix-001, prefix-002, ..."""
    k = iter(range(1, 1000))
    return lambda: "%s-%03d" % (prefix, next(k))

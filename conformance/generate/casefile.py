"""What the project's case generators share: the FORMAT.md encoding of numbers and tensors, float32
rounding, and writing a case file (or printing the Hessians a test embeds, with --hessian)."""
import json
import math
import os
import sys

import torch

PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "conformance",
                       "project")


def num(v):
    """A float as FORMAT.md writes it: non-finite values as the strings NaN, Infinity, -Infinity."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def tensor(data, shape, dtype="float64"):
    return {"dtype": dtype, "shape": shape, "data": [num(v) for v in data]}


def f32(v):
    """v rounded to float32 (by PyTorch), as a Python float."""
    return float(torch.tensor(v, dtype=torch.float32).item())


def main(loss, cases, hessians):
    """Writes PROJECT/<loss>.jsonl from cases(), or runs hessians() when the script is given --hessian."""
    if "--hessian" in sys.argv:
        hessians()
        return
    out = os.path.join(PROJECT, loss + ".jsonl")
    cs = cases()
    with open(out, "w", encoding="utf-8") as fh:
        for c in cs:
            fh.write(json.dumps(c, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{len(cs)} cases -> {os.path.normpath(out)}")

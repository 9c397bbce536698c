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


def write(name, cases):
    """Writes the cases to core/src/test/resources/conformance/project/<name>.jsonl."""
    out = os.path.join(PROJECT, name + ".jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, separators=(",", ":"), allow_nan=False) + "\n")
    print(f"{len(cases)} cases -> {os.path.normpath(out)}")

#!/usr/bin/python3
"""Reference cases of hinge_embedding, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/hinge_embedding.py
  writes core/src/test/resources/conformance/project/hinge_embedding.jsonl (FORMAT.md).

Definition (CATALOG.md; PyTorch HingeEmbeddingLoss): x if y = 1, max(0, margin − x) if y = −1;
mean divides by the number of elements.

Value and gradient: torch.nn.functional.hinge_embedding_loss itself, float64 autograd (Debian's
python3-torch 1.13). Inputs are kept 0.01 away from the kink x = margin of the y = −1 elements,
where PyTorch's backward gives −1 and the catalog's subgradient is 0; the cases at the kink, and
at a NaN input (PyTorch's gradient 1 for y = 1, the catalog's NaN), check the value only.
"""
import random

import torch

import _cases as C

LOSS = "hinge_embedding"


def reference(ts, params):
    return torch.nn.functional.hinge_embedding_loss(ts["input"], ts["target"], margin=params.get("margin", 1.0),
                                                    reduction=params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, dtype)}
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def data(r, n, margin, lo=-1.0, hi=3.0):
    x, y = [], []
    for _ in range(n):
        t = 1.0 if r.random() < 0.5 else -1.0
        while True:
            v = r.uniform(lo, hi)
            if abs(v - margin) > 0.01:
                break
        x.append(v)
        y.append(t)
    return x, y


def cases():
    r = random.Random(20261212)
    cid = C.ids(LOSS)
    out = []
    x, y = data(r, 6, 1.0)
    out.append(case(cid(), x, [6], y))
    for red in ("mean", "sum", "none"):
        x, y = data(r, 15, 1.0)
        out.append(case(cid(), x, [3, 5], y, {"reduction": red}))
    for m, red in ((0.0, "none"), (0.5, "mean"), (2.5, "sum"), (-1.0, "none"), (1e15, "sum")):
        x, y = data(r, 12, m)
        out.append(case(cid(), x, [4, 3], y, {"margin": m, "reduction": red}, rtol=1e-9 if m < 1e3 else 1e-12))
    x, y = data(r, 24, 1.0)
    out.append(case(cid(), x, [2, 3, 4], y, {"reduction": "none"}))
    out.append(case(cid(), [0.7], [], [-1.0]))
    out.append(case(cid(), [0.7], [], [1.0], {"reduction": "none"}))
    # extremes: ±1e4 and ±1e300 on both labels
    out.append(case(cid(), [1e4, -1e4, 1e4, -1e4, 1e300, -1e300], [6], [1.0, 1.0, -1.0, -1.0, -1.0, 1.0],
                    {"reduction": "none"}))
    # at the kink: value only (PyTorch's backward −1 there, the catalog's subgradient 0)
    out.append(case(cid(), [1.0, 0.5, 2.0], [3], [-1.0, -1.0, -1.0], {"reduction": "none"}, check_grad=False))
    # float32
    x, y = data(r, 12, 1.0)
    out.append(case(cid(), x, [4, 3], y, dtype="float32", rtol=1e-6))
    x, y = data(r, 6, 0.3)
    out.append(case(cid(), x, [6], y, {"margin": 0.3, "reduction": "none"}, dtype="float32", rtol=1e-6))
    # NaN in the input (either label) gives a NaN term there only; value only: PyTorch's gradient of x at a
    # NaN x with y = 1 is 1, the catalog's NaN (NaN in, NaN out, as for every elementwise loss)
    out.append(case(cid(), [float("nan"), float("nan"), 0.5, 2.0], [4], [1.0, -1.0, -1.0, 1.0], {"reduction": "none"},
                    check_grad=False))
    # refusals
    x, y = data(r, 6, 1.0)
    f = "float64"
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([1.0, 0.0] + y[2:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([0.5] + y[1:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y[:5], [5], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [2, 3], f), "target": (y, [3, 2], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y, [6], f)}, {"margin": 2e15}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y, [6], f)}, {"reduction": "avg"}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

#!/usr/bin/python3
"""Reference cases of multilabel_soft_margin, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/multilabel_soft_margin.py
  writes core/src/test/resources/conformance/project/multilabel_soft_margin.jsonl (FORMAT.md).

Definition (CATALOG.md; PyTorch MultiLabelSoftMarginLoss): per row
−(1/C)·Σ_c w_c·[y_c·log σ(x_c) + (1 − y_c)·log σ(−x_c)]; mean divides by N.

Value and gradient: torch.nn.functional.multilabel_soft_margin_loss itself, float64 autograd
(Debian's python3-torch 1.13), also for soft targets in [0, 1].
"""
import random

import torch

import _cases as C

LOSS = "multilabel_soft_margin"


def reference(ts, params):
    return torch.nn.functional.multilabel_soft_margin_loss(ts["input"], ts["target"], weight=ts.get("weight"),
                                                           reduction=params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, weight=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, dtype)}
    if weight is not None:
        inputs["weight"] = (weight, [shape[-1]], dtype)
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def cases():
    r = random.Random(20261210)
    cid = C.ids(LOSS)
    g = lambda n, s=2.0: [r.gauss(0, s) for _ in range(n)]
    b = lambda n: [float(r.randrange(2)) for _ in range(n)]
    u = lambda n, lo=0.0, hi=1.0: [r.uniform(lo, hi) for _ in range(n)]
    out = []
    # defaults, every reduction, with and without class weights
    out.append(case(cid(), g(20), [4, 5], b(20)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), g(18), [6, 3], b(18), {"reduction": red}))
        out.append(case(cid(), g(12), [3, 4], b(12), {"reduction": red}, weight=u(4, 0.2, 3)))
    # soft targets, one class, one row, a single row [C] (reduction none gives a number)
    out.append(case(cid(), g(15), [3, 5], u(15), {"reduction": "sum"}, weight=u(5, 0.5, 2)))
    out.append(case(cid(), g(4), [4, 1], b(4), {"reduction": "none"}))
    out.append(case(cid(), g(6), [1, 6], b(6)))
    out.append(case(cid(), g(5), [5], b(5)))
    out.append(case(cid(), g(5), [5], u(5), {"reduction": "none"}, weight=u(5, 0.5, 2)))
    out.append(case(cid(), g(200, 3), [2, 100], b(200), {"reduction": "sum"}))
    # zero weights, a negative weight (PyTorch multiplies by any weight)
    out.append(case(cid(), g(6), [2, 3], b(6), {"reduction": "none"}, weight=[0.0, 1.0, -0.5]))
    # logits of ±1e4 (exact: 0 or 1e4/C), ±40 and 0
    out.append(case(cid(), [1e4, -1e4, 1e4, -1e4, 40.0, -40.0, 0.0, 0.0], [2, 4], [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0],
                    {"reduction": "none"}, atol=1e-300))
    out.append(case(cid(), [1e4, -1e4, 1e4, -1e4], [1, 4], [0.3, 0.3, 1.0, 0.0], {"reduction": "sum"}))
    # float32
    out.append(case(cid(), g(12), [4, 3], b(12), dtype="float32", rtol=1e-6))
    out.append(case(cid(), g(10), [2, 5], u(10), {"reduction": "none"}, weight=u(5, 0.5, 2), dtype="float32",
                    rtol=1e-6))
    out.append(case(cid(), [1e4, -1e4, 0.0, 3.0], [2, 2], [1.0, 0.0, 1.0, 0.0], {"reduction": "sum"}, dtype="float32",
                    rtol=1e-6, atol=1e-30))
    # NaN: its row's term and its own gradient element NaN
    out.append(case(cid(), [float("nan"), 1.0, 0.5, 0.2, -1.0, 2.0], [2, 3], b(6), {"reduction": "none"}))
    # refusals: targets outside [0, 1], shapes, weight shapes, reduction
    x = g(12)
    y = b(12)
    f = "float64"
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": (y[:11] + [1.5], [4, 3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": ([-0.1] + y[1:], [4, 3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": (y, [3, 4], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": (y, [4, 3], f),
                                       "weight": ([1.0] * 4, [4], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": (y, [4, 3], f),
                                       "weight": ([1.0] * 12, [4, 3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [2, 2, 3], f), "target": (y, [2, 2, 3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], f), "target": (y, [4, 3], f)}, {"reduction": "avg"}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

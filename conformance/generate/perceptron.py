#!/usr/bin/python3
"""Reference cases of perceptron, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/perceptron.py
  writes core/src/test/resources/conformance/project/perceptron.jsonl (FORMAT.md).

Definition (CATALOG.md; Rosenblatt 1958, scikit-learn's Perceptron loss Hinge(threshold=0)):
max(0, −y·x) with y in {−1, +1}; mean divides by the number of elements; subgradient 0 at the
kink y·x = 0.

Value and gradient: torch.relu(−y·x) in float64 autograd (Debian's python3-torch 1.13). relu's
backward is 0 at 0, the catalog's subgradient, so the cases at the kink check the gradient too
(scikit-learn's SGD takes −y there: its dloss is −y for y·x <= 0). A NaN input has value checks
only (relu's backward of NaN is 0 in PyTorch, the catalog's NaN).
"""
import random

import torch

import _cases as C

LOSS = "perceptron"


def reference(ts, params):
    return C.reduce(torch.relu(-ts["target"] * ts["input"]), params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, dtype)}
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def data(r, n, scale=2.0):
    x, y = [], []
    for _ in range(n):
        y.append(1.0 if r.random() < 0.5 else -1.0)
        x.append(r.gauss(0, scale))
    return x, y


def cases():
    r = random.Random(20261217)
    cid = C.ids(LOSS)
    out = []
    x, y = data(r, 7)
    out.append(case(cid(), x, [7], y))
    for red in ("mean", "sum", "none"):
        x, y = data(r, 15)
        out.append(case(cid(), x, [3, 5], y, {"reduction": red}))
    x, y = data(r, 24, 0.5)
    out.append(case(cid(), x, [2, 3, 4], y, {"reduction": "none"}))
    x, y = data(r, 11, 30.0)
    out.append(case(cid(), x, [11, 1], y, {"reduction": "sum"}))
    # a scalar element, both ways
    out.append(case(cid(), [-0.7], [], [1.0]))
    out.append(case(cid(), [0.7], [], [1.0], {"reduction": "none"}))
    # every element correctly classified: 0, gradient 0
    out.append(case(cid(), [0.5, -2.0, 3.0, -0.1], [4], [1.0, -1.0, 1.0, -1.0]))
    # every element wrong: the mean of |x|, gradient −y/N
    out.append(case(cid(), [-0.5, 2.0, -3.0, 0.1], [4], [1.0, -1.0, 1.0, -1.0]))
    # the kink y·x = 0 (x = ±0 with either label): term 0, subgradient 0
    out.append(case(cid(), [0.0, 0.0, -0.0, -0.0, 1.5], [5], [1.0, -1.0, 1.0, -1.0, -1.0], {"reduction": "none"}))
    # extremes: ±1e4 and ±1e300 on both labels
    out.append(case(cid(), [1e4, -1e4, 1e4, -1e4, 1e300, -1e300], [6], [1.0, 1.0, -1.0, -1.0, -1.0, -1.0],
                    {"reduction": "none"}))
    out.append(case(cid(), [1e300, -1e300, 5.0], [3], [-1.0, 1.0, 1.0], {"reduction": "sum"}, rtol=1e-12))
    # float32
    x, y = data(r, 12)
    out.append(case(cid(), x, [4, 3], y, dtype="float32", rtol=1e-6))
    x, y = data(r, 9)
    out.append(case(cid(), x, [9], y, {"reduction": "none"}, dtype="float32", rtol=1e-6))
    x, y = data(r, 10)
    out.append(case(cid(), x, [2, 5], y, {"reduction": "sum"}, dtype="float32", rtol=1e-6))
    # NaN in: a NaN term there only (value only, see the docstring)
    out.append(case(cid(), [float("nan"), float("nan"), -0.5, 2.0], [4], [1.0, -1.0, 1.0, 1.0],
                    {"reduction": "none"}, check_grad=False))
    # refusals
    x, y = data(r, 6)
    f = "float64"
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([1.0, 0.0] + y[2:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([0.5] + y[1:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([2.0] + y[1:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y[:5], [5], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [2, 3], f), "target": (y, [3, 2], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y, [6], f)}, {"margin": 1.0}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y, [6], f)}, {"reduction": "avg"}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

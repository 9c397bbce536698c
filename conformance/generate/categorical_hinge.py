#!/usr/bin/python3
"""Reference cases of categorical_hinge, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/categorical_hinge.py
  writes core/src/test/resources/conformance/project/categorical_hinge.jsonl (FORMAT.md).

Definition (CATALOG.md; Keras CategoricalHinge): per row max(0, neg − pos + 1) with
pos = Σ_c y_c·x_c and neg = max_c (1 − y_c)·x_c; mean divides by N.

Value and gradient: PyTorch float64 autograd (Debian's python3-torch 1.13) of that formula as
Keras writes it (torch.amax for Keras' ops.max). Inputs keep the maximum of (1 − y)·x unique
(0.01 ahead of the next) and neg − pos + 1 at least 0.01 from 0, where the subgradient the
catalog names and autograd's (amax splits a tie) could differ.
"""
import random

import torch

import _cases as C

LOSS = "categorical_hinge"


def reference(ts, params):
    x, y = ts["input"], ts["target"]
    pos = (y * x).sum(-1)
    neg = ((1 - y) * x).amax(-1)
    return C.reduce(torch.clamp_min(neg - pos + 1, 0), params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, dtype)}
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def rows(r, n, c, soft=False, s=1.5):
    """Scores and targets [n, c] away from ties and the kink."""
    x, y = [], []
    for _ in range(n):
        while True:
            xs = [r.gauss(0, s) for _ in range(c)]
            if soft:
                w = [r.random() for _ in range(c)]
                ys = [v / sum(w) for v in w]
            else:
                ys = [0.0] * c
                ys[r.randrange(c)] = 1.0
            v = sorted(((1 - b) * a for a, b in zip(xs, ys)), reverse=True)
            h = v[0] - sum(a * b for a, b in zip(xs, ys)) + 1
            if (c == 1 or v[0] - v[1] > 0.01) and abs(h) > 0.01:
                break
        x += xs
        y += ys
    return x, y


def cases():
    r = random.Random(20261213)
    cid = C.ids(LOSS)
    out = []
    x, y = rows(r, 4, 5)
    out.append(case(cid(), x, [4, 5], y))
    for red in ("mean", "sum", "none"):
        x, y = rows(r, 6, 3)
        out.append(case(cid(), x, [6, 3], y, {"reduction": red}))
    # probability targets (Keras takes any y_true: here [0, 1])
    for red in ("mean", "none"):
        x, y = rows(r, 5, 4, soft=True)
        out.append(case(cid(), x, [5, 4], y, {"reduction": red}))
    # two classes, one row, many classes, scores of either sign
    x, y = rows(r, 6, 2)
    out.append(case(cid(), x, [6, 2], y, {"reduction": "sum"}))
    x, y = rows(r, 1, 6)
    out.append(case(cid(), x, [1, 6], y))
    x, y = rows(r, 3, 50, s=3.0)
    out.append(case(cid(), x, [3, 50], y, {"reduction": "none"}))
    # every wrong score negative: neg is the true class's 0 (Keras' formula), margins met and not
    out.append(case(cid(), [2.0, -1.0, -3.0, 0.5, -1.0, -2.0, -5.0, -4.0, -6.0], [3, 3],
                    [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0], {"reduction": "none"}))
    # one class (neg = 0: max(0, 1 − x))
    out.append(case(cid(), [0.3, 2.0, -1.0], [3, 1], [1.0, 1.0, 1.0], {"reduction": "none"}))
    # extremes
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.0, 1e300, -1e300, 5.0], [3, 3],
                    [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0], {"reduction": "none"}))
    # float32
    x, y = rows(r, 4, 3)
    out.append(case(cid(), x, [4, 3], y, dtype="float32", rtol=1e-6))
    x, y = rows(r, 3, 4, soft=True)
    out.append(case(cid(), x, [3, 4], y, {"reduction": "none"}, dtype="float32", rtol=1e-6))
    # NaN in a row: its term and gradient NaN
    out.append(case(cid(), [float("nan"), 1.0, 0.5, 0.2, -1.0, 2.0], [2, 3], [1.0, 0.0, 0.0, 0.0, 0.0, 1.0],
                    {"reduction": "none"}))
    # refusals: targets outside [0, 1], shapes, reduction
    x, y = rows(r, 3, 4)
    f = "float64"
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": ([1.5] + y[1:], [3, 4], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": ([-1.0] + y[1:], [3, 4], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (y, [4, 3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [12], f), "target": (y, [12], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": ([0, 1, 2], [3], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (y, [3, 4], f)}, {"reduction": "avg"}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

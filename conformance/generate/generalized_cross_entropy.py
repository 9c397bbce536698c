#!/usr/bin/python3
"""Reference cases of generalized_cross_entropy, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/generalized_cross_entropy.py
  writes core/src/test/resources/conformance/project/generalized_cross_entropy.jsonl (FORMAT.md).

Definition (CATALOG.md; Zhang & Sabuncu 2018, the L_q loss): per row (1 − p_y^q)/q,
p = softmax(input); mean divides by N.

Value and gradient: PyTorch float64 autograd (Debian's python3-torch 1.13) of that formula with
p_y^q = exp(q·log p_y) and 1 − p_y^q = −expm1(q·log p_y), log p_y as in _cases.log_py
(torch.log_softmax, or its cancellation-free form where the label is a row maximum). Every term
is also checked against mpmath at 50 digits, and q = 1 against 1 − softmax(x)_y (the script stops
otherwise).
"""
import random

import mpmath
import torch

import _cases as C

LOSS = "generalized_cross_entropy"
mpmath.mp.dps = 50


def terms(x, y, q):
    lpy = C.log_py(x, y)
    t = -torch.expm1(q * lpy) / q
    with torch.no_grad():
        C.check_rows(x, y, t, lambda lp: -mpmath.expm1(q * lp) / q)
        if q == 1:
            mae = 1 - torch.softmax(x, dim=1).gather(1, y.unsqueeze(1)).squeeze(1)
            fine = torch.isfinite(t)
            assert torch.allclose(t[fine], mae[fine], rtol=1e-9, atol=1e-15)
    return t


def reference(ts, params):
    t = terms(ts["input"], ts["target"], params.get("q", 0.7))
    return C.reduce(t, params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    return C.index_case(cid, LOSS, x, shape, y, params, reference, dtype, **kw)


gauss, labels = C.gauss, C.labels


def cases():
    r = random.Random(20261209)
    cid = C.ids(LOSS)
    out = []
    # defaults and every reduction
    out.append(case(cid(), gauss(r, 20), [4, 5], labels(r, 4, 5)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), gauss(r, 18), [6, 3], labels(r, 6, 3), {"reduction": red}))
    # q across (0, 1]: near cross-entropy, the paper's 0.7, MAE at 1
    for q, red in ((1e-8, "mean"), (0.01, "none"), (0.3, "sum"), (0.5, "mean"), (0.9, "none"), (1.0, "mean"),
                   (1.0, "sum")):
        out.append(case(cid(), gauss(r, 15), [3, 5], labels(r, 3, 5), {"q": q, "reduction": red}))
    # one row, one class (p_y = 1: zero), two classes, many classes
    out.append(case(cid(), gauss(r, 4), [1, 4], [2], {"q": 0.4}))
    out.append(case(cid(), gauss(r, 3), [3, 1], [0, 0, 0], {"reduction": "none"}))
    out.append(case(cid(), gauss(r, 10), [5, 2], labels(r, 5, 2), {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 2 * 100, 3), [2, 100], labels(r, 2, 100), {"q": 0.8}))
    # logits of ±1e4 (a term of 1/q for a hopeless row, 0 for a certain one) and a confident row
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.0, 1e4, 1e4, -1e4, 0.0, 30.0, -30.0], [4, 3],
                    [0, 0, 1, 1], {"reduction": "none"}, atol=1e-300))
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.0], [2, 3], [1, 2], {"q": 1.0, "reduction": "sum"}))
    out.append(case(cid(), [0.0, 30.0, -30.0], [1, 3], [1], {"q": 0.2, "reduction": "sum"}, rtol=1e-12, atol=0.0))
    # float32
    out.append(case(cid(), gauss(r, 12), [4, 3], labels(r, 4, 3), {"q": 0.5}, dtype="float32", rtol=1e-6))
    out.append(case(cid(), gauss(r, 10), [2, 5], labels(r, 2, 5), {"reduction": "none"}, dtype="float32",
                    rtol=1e-6))
    out.append(case(cid(), [1e4, -1e4, 0.0, 3.0], [2, 2], [1, 1], {"reduction": "sum"}, dtype="float32",
                    rtol=1e-6, atol=1e-30))
    # NaN in a row: that row's term and gradient NaN, the others finite
    out.append(case(cid(), [float("nan"), 1.0, 0.5, 0.2, -1.0, 2.0], [2, 3], [0, 2], {"reduction": "none"}))
    out.append(case(cid(), [0.1, float("nan"), 0.5, 0.2, -1.0, 2.0], [2, 3], [0, 2]))
    # refusals: labels out of range, shapes, q outside (0, 1], dtype
    x = gauss(r, 12)
    good = ([0, 1, 1, 2], [4], "int64")
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 3, 1, 2], [4], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, -1, 1, 2], [4], "int64")},
                         {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 1, 2], [3], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [2, 2, 3], "float64"), "target": ([0, 1], [2], "int64")}, {}))
    for q in (0.0, -0.5, 1.5):
        out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": good}, {"q": q}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": good}, {"reduction": "avg"}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"),
                                       "target": ([0.0, 1.0, 1.0, 2.0], [4], "float64")}, {}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

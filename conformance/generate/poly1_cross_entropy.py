#!/usr/bin/python3
"""Reference cases of poly1_cross_entropy, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/poly1_cross_entropy.py
  writes core/src/test/resources/conformance/project/poly1_cross_entropy.jsonl (FORMAT.md).

Definition (CATALOG.md; Leng et al. 2022 Poly-1, Optax poly_loss_cross_entropy with one-hot
labels): per row −log p_y + ε·(1 − p_y), p = softmax(input); mean divides by N.

Value and gradient: PyTorch float64 autograd (Debian's python3-torch 1.13) of that formula with
log p_y from torch.log_softmax, except in rows whose label is a maximum, where it is
−log1p(Σ_{j ≠ y} exp(x_j − x_y)), and 1 − p_y as −expm1(log p_y): the same numbers, without the
cancellation of confident rows (torch.log_softmax's log(1 + 1e-13), and autograd's sum through
the row maximum, keep 3 digits of a term or gradient of 1e-13). Each
case is also evaluated as Optax writes it, cross_entropy + ε·Σ_c onehot_c·(1 − softmax_c), which
must agree where that form is accurate, and every term is checked against mpmath at 50 digits
(the script stops otherwise).
"""
import random

import mpmath
import torch

import _cases as C

LOSS = "poly1_cross_entropy"
mpmath.mp.dps = 50


def terms(x, y, eps):
    lpy = C.log_py(x, y)
    t = -lpy + eps * -torch.expm1(lpy)
    with torch.no_grad():
        C.check_rows(x, y, t, lambda lp: -lp + eps * -mpmath.expm1(lp))
    return t


def optax_form(x, y, eps):
    onehot = torch.nn.functional.one_hot(y, x.shape[1]).to(torch.float64)
    p = torch.softmax(x, dim=1)
    ce = torch.nn.functional.cross_entropy(x, y, reduction="none")
    return ce + eps * (onehot * (1 - p)).sum(1)


def reference(ts, params):
    eps = params.get("epsilon", 1.0)
    t = terms(ts["input"], ts["target"], eps)
    with torch.no_grad():
        o = optax_form(ts["input"], ts["target"], eps)
        fine = torch.isfinite(t) & (ts["input"].abs().amax(1) < 50)
        assert torch.allclose(t[fine], o[fine], rtol=1e-10, atol=1e-13), (t, o)
    return C.reduce(t, params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    return C.index_case(cid, LOSS, x, shape, y, params, reference, dtype, **kw)


gauss, labels = C.gauss, C.labels


def cases():
    r = random.Random(20261208)
    cid = C.ids(LOSS)
    out = []
    # defaults and every reduction
    out.append(case(cid(), gauss(r, 20), [4, 5], labels(r, 4, 5)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), gauss(r, 18), [6, 3], labels(r, 6, 3), {"reduction": red}))
    # epsilon across its range: cross-entropy (0), the paper's ImageNet 2 and detection −1, others
    for eps, red in ((0.0, "mean"), (2.0, "sum"), (-1.0, "none"), (5.5, "mean"), (-3.0, "none"), (1e15, "sum"),
                     (-1e15, "mean")):
        out.append(case(cid(), gauss(r, 15), [3, 5], labels(r, 3, 5), {"epsilon": eps, "reduction": red},
                        rtol=1e-9 if abs(eps) < 1e3 else 1e-7))
    # one row, one class (p_y = 1: a zero term and a zero gradient), two classes
    out.append(case(cid(), gauss(r, 4), [1, 4], [2], {"epsilon": 2.0}))
    out.append(case(cid(), gauss(r, 3), [3, 1], [0, 0, 0], {"reduction": "none"}))
    out.append(case(cid(), gauss(r, 10), [5, 2], labels(r, 5, 2), {"epsilon": 0.5, "reduction": "sum"}))
    # many classes
    out.append(case(cid(), gauss(r, 2 * 100, 3), [2, 100], labels(r, 2, 100), {"epsilon": 1.5}))
    # logits of ±1e4: right, wrong, tied; and a confident row (1 − p_y ≈ 1e-13 keeps its precision)
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.0, 1e4, 1e4, -1e4, 0.0, 30.0, -30.0], [4, 3],
                    [0, 0, 1, 1], {"reduction": "none", "epsilon": 2.0}, atol=1e-300))
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.0], [2, 3], [1, 2], {"epsilon": -1.0, "reduction": "sum"}))
    out.append(case(cid(), [0.0, 30.0, -30.0], [1, 3], [1], {"reduction": "sum"}, rtol=1e-12, atol=0.0))
    # float32
    out.append(case(cid(), gauss(r, 12), [4, 3], labels(r, 4, 3), {"epsilon": 2.0}, dtype="float32", rtol=1e-6))
    out.append(case(cid(), gauss(r, 10), [2, 5], labels(r, 2, 5), {"reduction": "none"}, dtype="float32",
                    rtol=1e-6))
    out.append(case(cid(), [1e4, -1e4, 0.0, 3.0], [2, 2], [1, 1], {"reduction": "sum"}, dtype="float32",
                    rtol=1e-6, atol=1e-30))
    # NaN in a row: that row's term and gradient NaN, the others finite
    out.append(case(cid(), [float("nan"), 1.0, 0.5, 0.2, -1.0, 2.0], [2, 3], [0, 2], {"reduction": "none"}))
    out.append(case(cid(), [0.1, float("nan"), 0.5, 0.2, -1.0, 2.0], [2, 3], [0, 2]))
    # refusals: labels out of range, shapes, options
    x = gauss(r, 12)
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 3, 1, 2], [4], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, -1, 1, 2], [4], "int64")},
                         {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 1, 2], [3], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [2, 2, 3], "float64"), "target": ([0, 1], [2], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 1, 1, 2], [4], "int64")},
                         {"epsilon": 2e15}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"), "target": ([0, 1, 1, 2], [4], "int64")},
                         {"reduction": "avg"}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [4, 3], "float64"),
                                       "target": ([0.0, 1.0, 1.0, 2.0], [4], "float64")}, {}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

#!/usr/bin/python3
"""Reference cases of cosine_embedding, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/cosine_embedding.py
  writes core/src/test/resources/conformance/project/cosine_embedding.jsonl (FORMAT.md).

Definition (CATALOG.md; PyTorch CosineEmbeddingLoss): per row 1 − cos if y = 1,
max(0, cos − margin) if y = −1, cos = Σ x1·x2 / sqrt((‖x1‖² + ε)(‖x2‖² + ε)), ε = ATen's
EPSILON, the float 1e-12 (9.999999960041972e-13 as a double); mean divides by N.

Value and gradient: torch.nn.functional.cosine_embedding_loss itself, float64 autograd (Debian's
python3-torch 1.13). Its ε is the float 1e-12, not the double: the script checks its value on
small vectors against mpmath with each ε, which tells them apart by 4e-15. Rows of
components near 1e200, whose squares overflow in PyTorch (NaN there), are evaluated as the same
formula on the rows divided by their largest magnitude (the cosine does not change; the gradient
is scaled back by that divisor), which the script checks against mpmath at 60 digits.
"""
import random

import mpmath
import torch

import _cases as C

LOSS = "cosine_embedding"
mpmath.mp.dps = 60
EPS = mpmath.mpf(C.f32(1e-12))  # ATen's EPSILON: a C++ float


def check_epsilon():
    """PyTorch's ε is the float 1e-12: its value on small vectors matches that, not the double."""
    a, b = [1e-9, -3e-9], [2e-9, 1e-9]
    got = torch.nn.functional.cosine_embedding_loss(torch.tensor([a], dtype=torch.float64),
                                                    torch.tensor([b], dtype=torch.float64),
                                                    torch.tensor([1.0], dtype=torch.float64)).item()
    def one_minus_cos(eps):
        u, v = [mpmath.mpf(t) for t in a], [mpmath.mpf(t) for t in b]
        return 1 - mpmath.fsum(p * q for p, q in zip(u, v)) / mpmath.sqrt(
            (mpmath.fsum(p * p for p in u) + eps) * (mpmath.fsum(q * q for q in v) + eps))
    assert abs(got - one_minus_cos(EPS)) < 1e-16 < abs(got - one_minus_cos(mpmath.mpf("1e-12"))), got


def reference(ts, params):
    return torch.nn.functional.cosine_embedding_loss(ts["input1"], ts["input2"], ts["target"],
                                                     margin=params.get("margin", 0.0),
                                                     reduction=params.get("reduction", "mean"))


def case(cid, x1, x2, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input1": (x1, shape, dtype), "input2": (x2, shape, dtype), "target": (y, [shape[0]], dtype)}
    return C.case(cid, LOSS, inputs, params or {}, reference, grads=("input1", "input2"), **kw)


def huge_case(cid, x1, x2, d, y, margin):
    """Rows too large for PyTorch's squares: the rows divided by their largest magnitude s1, s2."""
    n = len(y)
    s1 = [max(abs(v) for v in x1[i * d:(i + 1) * d]) for i in range(n)]
    s2 = [max(abs(v) for v in x2[i * d:(i + 1) * d]) for i in range(n)]
    a = torch.tensor([x1[i * d + k] / s1[i] for i in range(n) for k in range(d)], dtype=torch.float64).reshape(n, d)
    b = torch.tensor([x2[i * d + k] / s2[i] for i in range(n) for k in range(d)], dtype=torch.float64).reshape(n, d)
    a.requires_grad_(True)
    b.requires_grad_(True)
    # the ε of each squared norm scales with the rows: ε/s² (0 in float64 for s near 1e200, as it is in exact
    # arithmetic next to a squared norm of 1e400)
    cos = (a * b).sum(1) / torch.sqrt((a * a).sum(1) * (b * b).sum(1))
    yt = torch.tensor(y, dtype=torch.float64)
    t = torch.where(yt == 1, 1 - cos, torch.clamp_min(cos - margin, 0))
    t.sum().backward()
    g1 = [a.grad[i, k].item() / s1[i] for i in range(n) for k in range(d)]
    g2 = [b.grad[i, k].item() / s2[i] for i in range(n) for k in range(d)]
    for i in range(n):
        u = [mpmath.mpf(v) for v in x1[i * d:(i + 1) * d]]
        v = [mpmath.mpf(w) for w in x2[i * d:(i + 1) * d]]
        mc = mpmath.fsum(p * q for p, q in zip(u, v)) / mpmath.sqrt(
            (mpmath.fsum(p * p for p in u) + EPS) * (mpmath.fsum(q * q for q in v) + EPS))
        want = 1 - mc if y[i] == 1 else max(mc - margin, 0)
        assert abs(t[i].item() - want) <= 1e-13, (t[i].item(), float(want))
    inputs = {"input1": (x1, [n, d], "float64"), "input2": (x2, [n, d], "float64"), "target": (y, [n], "float64")}
    return {"id": cid, "loss": LOSS, "params": {"margin": margin, "reduction": "none"},
            "inputs": {k: C.tensor(dd, s, tt) for k, (dd, s, tt) in inputs.items()},
            "expect": {"value": C.tensor(t.tolist(), [n]),
                       "grad": {"input1": C.tensor(g1, [n, d]), "input2": C.tensor(g2, [n, d])}},
            "rtol": 1e-9, "atol": 1e-12}


def away_from_kink(r, n, d, margin, scale=1.0):
    """Rows whose cosine is at least 0.02 from the margin (for the y = −1 rows' kink)."""
    x1, x2 = [], []
    for _ in range(n):
        while True:
            a = [scale * r.gauss(0, 1) for _ in range(d)]
            b = [scale * r.gauss(0, 1) for _ in range(d)]
            c = sum(p * q for p, q in zip(a, b)) / (sum(p * p for p in a) * sum(q * q for q in b)) ** 0.5
            if abs(c - margin) > 0.02:
                break
        x1 += a
        x2 += b
    return x1, x2


def cases():
    r = random.Random(20261211)
    cid = C.ids(LOSS)
    sign = lambda n: [1.0 if r.random() < 0.5 else -1.0 for _ in range(n)]
    out = []
    # defaults and every reduction
    x1, x2 = away_from_kink(r, 5, 4, 0.0)
    out.append(case(cid(), x1, x2, [5, 4], sign(5)))
    for red in ("mean", "sum", "none"):
        x1, x2 = away_from_kink(r, 6, 3, 0.0)
        out.append(case(cid(), x1, x2, [6, 3], sign(6), {"reduction": red}))
    # margins across [−1, 1]
    for m, red in ((-1.0, "none"), (-0.5, "mean"), (0.3, "sum"), (0.9, "none"), (1.0, "mean")):
        x1, x2 = away_from_kink(r, 6, 5, m)
        out.append(case(cid(), x1, x2, [6, 5], sign(6), {"margin": m, "reduction": red}))
    # one row, D = 1, large D, all similar, all dissimilar
    x1, x2 = away_from_kink(r, 1, 7, 0.0)
    out.append(case(cid(), x1, x2, [1, 7], [-1.0]))
    x1, x2 = away_from_kink(r, 4, 1, 0.5)
    out.append(case(cid(), x1, x2, [4, 1], sign(4), {"margin": 0.5, "reduction": "none"}))
    x1, x2 = away_from_kink(r, 3, 64, 0.0)
    out.append(case(cid(), x1, x2, [3, 64], [1.0, 1.0, 1.0], {"reduction": "sum"}))
    x1, x2 = away_from_kink(r, 3, 4, -0.2)
    out.append(case(cid(), x1, x2, [3, 4], [-1.0, -1.0, -1.0], {"margin": -0.2, "reduction": "sum"}))
    # the ε: a zero vector (cos 0), tiny vectors (‖x‖² far below 1e-12: cos ≈ 0), mixed scales, 1e4
    out.append(case(cid(), [0.0, 0.0, 0.0, 1e-7, 2e-7, -1e-7, 1e4, -2e4, 3e4], [1.0, 2.0, 3.0, 3e-7, 1e-7, 1e-7,
                                                                                 -1e4, 1e4, 5e3],
                    [3, 3], [1.0, -1.0, 1.0], {"margin": -0.5, "reduction": "none"}))
    out.append(case(cid(), [1e-9, -3e-9, 5.0, 1.0], [2e-9, 1e-9, 5.0, 1.0], [2, 2], [1.0, 1.0], {"reduction": "none"}))
    # parallel and antiparallel pairs (cos = ±1 up to rounding)
    out.append(case(cid(), [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [2.0, 4.0, 6.0, -1.0, -2.0, -3.0], [2, 3], [1.0, -1.0],
                    {"margin": 0.1, "reduction": "none"}))
    # components of 1e200 (PyTorch's squares overflow): the scaled evaluation
    out.append(huge_case(cid(), [1e200, -2e200, 3e200, 1e-200, 5e199, 5e199], [2e200, 1e200, -1e200, 1e200, 5e199, -2e199],
                         3, [1.0, -1.0], 0.0))
    # float32
    x1, x2 = away_from_kink(r, 4, 3, 0.0)
    out.append(case(cid(), x1, x2, [4, 3], sign(4), dtype="float32", rtol=1e-6, atol=1e-9))
    x1, x2 = away_from_kink(r, 3, 5, 0.25)
    out.append(case(cid(), x1, x2, [3, 5], sign(3), {"margin": 0.25, "reduction": "none"}, dtype="float32", rtol=1e-6,
                    atol=1e-9))
    # NaN: its row NaN, the others finite
    out.append(case(cid(), [float("nan"), 1.0, 0.5, 2.0], [1.0, 1.0, 1.0, -1.0], [2, 2], [1.0, -1.0],
                    {"reduction": "none"}))
    # refusals: labels outside {−1, 1}, shapes, margin, reduction
    x1, x2 = away_from_kink(r, 3, 4, 0.0)
    f = "float64"
    base = {"input1": (x1, [3, 4], f), "input2": (x2, [3, 4], f)}
    out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, 0.0, -1.0], [3], f)), {}))
    out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, 2.0, -1.0], [3], f)), {}))
    out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, -1.0], [2], f)), {}))
    out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, -1.0, 1.0], [3, 1], f)), {}))
    out.append(C.refusal(cid(), LOSS, {"input1": (x1, [3, 4], f), "input2": (x2, [4, 3], f),
                                       "target": ([1.0, -1.0, 1.0], [3], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input1": (x1, [12], f), "input2": (x2, [12], f),
                                       "target": ([1.0], [1], f)}, {}))
    for m in (-1.5, 1.1):
        out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, -1.0, 1.0], [3], f)), {"margin": m}))
    out.append(C.refusal(cid(), LOSS, dict(base, target=([1.0, -1.0, 1.0], [3], f)), {"reduction": "avg"}))
    return out


if __name__ == "__main__":
    check_epsilon()
    C.write(LOSS, cases())

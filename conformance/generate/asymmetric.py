#!/usr/bin/python3
"""Reference cases of asymmetric, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/asymmetric.py
  writes core/src/test/resources/conformance/project/asymmetric.jsonl (FORMAT.md).

Definition (CATALOG.md; Ridnik et al. 2021, the AsymmetricLoss of its implementation): p = σ(x);
y = 1: −(1 − p)^γ₊·log max(p, eps); y = 0: −p_m^γ₋·log max(1 − p_m, eps), p_m = max(p − clip, 0);
mean divides by the number of elements. detach_focal_weight (default true, the reference's
disable_torch_grad_focal_loss=True) holds the weights (1 − p)^γ₊ and p_m^γ₋ constant in the
gradient; false differentiates them too.

Value and gradient: PyTorch float64 autograd (Debian's python3-torch 1.13) of that formula, the
weights .detach()ed for detach_focal_weight, with σ(±x) from torch.sigmoid (its derivative taken
as σ(x)·σ(−x): autograd's σ·(1 − σ) is 0 where σ rounds to 1, at logits of ±40), log p and log(1 − p)
from torch.nn.functional.logsigmoid, log(1 − p_m) as log1p(−p_m) for p_m < ½ (log(σ(−x) + clip)
above), so that neither cancels, and torch.where selecting the clamped forms (the p_m = 0 branch
through a safe operand, so that autograd's 0·∞ of p_m^γ at 0 does not make a NaN). Every term is
checked against the same definition in mpmath at 50 digits (the script stops otherwise), and the
formula was checked against the reference's own AsymmetricLoss (values and gradients, both
disable_torch_grad_focal_loss settings, to 1e-15) when this script was written. Inputs keep
p at least 1e-3 (relative) from clip and eps, where the clamps switch.
"""
import math
import random

import mpmath
import torch
import torch.nn.functional as F

import _cases as C

LOSS = "asymmetric"
mpmath.mp.dps = 50
DEFAULTS = {"gamma_pos": 0.0, "gamma_neg": 4.0, "clip": 0.05, "eps": 1e-8, "detach_focal_weight": True}


def opts(params):
    o = dict(DEFAULTS)
    o.update({k: v for k, v in params.items() if k != "reduction"})
    return o


class Sigmoid(torch.autograd.Function):
    """σ(x) with the derivative σ(x)·σ(−x): torch.sigmoid's backward σ·(1 − σ) is 0 where σ rounds to 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sigmoid(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * torch.sigmoid(x) * torch.sigmoid(-x)


def terms(x, y, o):
    gp, gn, m, eps, detach = o["gamma_pos"], o["gamma_neg"], o["clip"], o["eps"], o["detach_focal_weight"]
    p = Sigmoid.apply(x)
    pn = Sigmoid.apply(-x)
    log_eps = math.log(eps)
    # positives
    wp = pn ** gp
    lp = torch.where(p >= eps, F.logsigmoid(x), torch.full_like(x, log_eps))
    # negatives
    live = p > m
    pm = torch.where(live, p - m, torch.ones_like(x))  # a safe operand where p_m = 0
    q = torch.where(live, pn + m, torch.ones_like(x))
    if m == 0:
        lq0 = F.logsigmoid(-x)
    else:
        lq0 = torch.where(pm < 0.5, torch.log1p(-torch.where(pm < 0.5, pm, torch.zeros_like(x))), torch.log(q))
    lq = torch.where(q >= eps, lq0, torch.full_like(x, log_eps))
    wn = torch.where(live, pm ** gn, torch.zeros_like(x))
    if detach:
        wp, wn = wp.detach(), wn.detach()
    t = torch.where(y == 1, -wp * lp, torch.where(live, -wn * lq, torch.zeros_like(x)))
    t = torch.where(torch.isnan(x) | torch.isnan(y), x + y, t)
    with torch.no_grad():
        for xi, yi, ti in zip(x.reshape(-1).tolist(), y.reshape(-1).tolist(), t.reshape(-1).tolist()):
            if math.isnan(xi) or math.isnan(yi):
                assert math.isnan(ti)
                continue
            want = mp_term(xi, yi, o)
            assert abs(ti - want) <= 1e-12 * abs(want) + 1e-300, (xi, yi, ti, float(want))
    return t


def mp_term(x, y, o):
    p = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
    eps = mpmath.mpf(o["eps"])
    if y == 1:
        return -(1 - p) ** o["gamma_pos"] * mpmath.log(max(p, eps))
    pm = max(p - mpmath.mpf(o["clip"]), 0)
    return -(pm ** o["gamma_neg"] if pm > 0 else (1 if o["gamma_neg"] == 0 else 0)) * mpmath.log(max(1 - pm, eps))


def reference(ts, params):
    return C.reduce(terms(ts["input"], ts["target"], opts(params)), params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, dtype)}
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def data(r, n, params, s=3.0):
    """Logits and 0/1 labels with p = σ(x) at least 1e-3 (relative) from clip and eps."""
    o = opts(params)
    x, y = [], []
    for _ in range(n):
        while True:
            v = r.gauss(0, s)
            p = 1 / (1 + math.exp(-v))
            if all(abs(p - b) > 1e-3 * b for b in (o["clip"], o["eps"]) if b > 0):
                break
        x.append(v)
        y.append(float(r.randrange(2)))
    return x, y


def cases():
    r = random.Random(20261214)
    cid = C.ids(LOSS)
    out = []

    def add(shape, params, n=None, dtype="float64", **kw):
        x, y = data(r, math.prod(shape) if n is None else n, params)
        out.append(case(cid(), x, shape, y, params, dtype=dtype, **kw))

    add([4, 5], {})
    for red in ("mean", "sum", "none"):
        add([3, 6], {"reduction": red})
        add([3, 6], {"reduction": red, "detach_focal_weight": False})
    # the focusing exponents, exact and detached
    for gp, gn in ((0.0, 0.0), (1.0, 4.0), (2.5, 0.5), (0.5, 1.0), (0.0, 2.0)):
        for detach in (True, False):
            add([2, 7], {"gamma_pos": gp, "gamma_neg": gn, "detach_focal_weight": detach, "reduction": "none"})
    # the clip: none, large, and the eps floor made active (eps 0.1 floors p < 0.1 and 1 − p_m < 0.1)
    for clip, eps in ((0.0, 1e-8), (0.3, 1e-8), (0.9, 1e-8), (0.0, 0.1), (0.05, 0.1)):
        for detach in (True, False):
            add([3, 5], {"clip": clip, "eps": eps, "detach_focal_weight": detach, "gamma_pos": 1.0,
                         "reduction": "none"})
    add([], {"reduction": "sum"})
    add([2, 2, 3], {"reduction": "none", "gamma_pos": 1.0})
    # logits of ±1e4 and ±40 on both labels (p below eps, p_m at 1 − clip), clip 0 (1 − p_m below eps)
    big = [1e4, -1e4, 40.0, -40.0, 1e4, -1e4, 40.0, -40.0]
    lab = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    for params in ({"reduction": "none"}, {"reduction": "none", "detach_focal_weight": False, "gamma_pos": 1.0},
                   {"reduction": "none", "clip": 0.0, "gamma_neg": 1.0, "detach_focal_weight": False}):
        out.append(case(cid(), big, [8], lab, params, atol=1e-300))
    # float32
    add([4, 3], {}, dtype="float32", rtol=1e-6, atol=1e-10)
    add([2, 5], {"reduction": "none", "detach_focal_weight": False, "gamma_pos": 1.0}, dtype="float32", rtol=1e-6,
        atol=1e-10)
    # NaN in either input gives NaN there only
    out.append(case(cid(), [float("nan"), float("nan"), 0.5, 2.0], [4], [1.0, 0.0, 0.0, 1.0], {"reduction": "none"}))
    # refusals
    x, y = data(r, 6, {})
    f = "float64"
    ok = {"input": (x, [6], f), "target": (y, [6], f)}
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([0.5] + y[1:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": ([-1.0] + y[1:], [6], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [6], f), "target": (y[:5], [5], f)}, {}))
    for bad in ({"clip": 1.0}, {"clip": -0.1}, {"gamma_neg": -1.0}, {"gamma_pos": -0.5}, {"eps": 0.0},
                {"reduction": "avg"}):
        out.append(C.refusal(cid(), LOSS, ok, bad))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

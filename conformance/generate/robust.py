#!/usr/bin/python3
"""Reference cases of robust (Barron's general robust loss), independent of losses4j.

usage: /usr/bin/python3 conformance/generate/robust.py [--hessian]
  writes core/src/test/resources/conformance/project/robust.jsonl (FORMAT.md);
  --hessian prints the second derivatives RobustTest compares with instead (mpmath's numerical
  second derivative, checked against PyTorch float64 double backward where that is accurate).

Definition (CATALOG.md; Barron 2019, eq. 1): with z = (x − y)/c and b = |α − 2|, term
w·(b/α)·((z²/b + 1)^(α/2) − 1); at α = 2 it is ½z², at α = 0 log(½z² + 1), at α = −∞
1 − exp(−½z²), at α = +∞ exp(½z²) − 1 (the limits, as robust_loss_pytorch general.lossfun
selects them with torch.where). mean divides by the number of elements.

Value and gradient are PyTorch float64 autograd of that formula as written (Debian's
python3-torch 1.13), the special α by their limit formulas. Each element is also evaluated in
mpmath (Debian's python3-mpmath) at 120 digits, more where z²/b is tiny: the term by the same
formula, the derivatives by mpmath's numerical differentiation (mpmath.diff) of it, so neither
depends on an algebraic rewrite. Where the formula as written is accurate in float64 the two must
agree (the script stops otherwise); where it is not (α near 0 or 2, where it is 0/0-like and
loses digits, tiny z²/b, squares that overflow), mpmath's value is written and the script
asserts that the element is in one of those regimes.
"""
import math
import random

import mpmath
import torch

import casefile
from casefile import f32, num, tensor
from elementwise import assemble, shaped_refusal

INF = float("inf")


def digits(z, alpha):
    """Working digits: 120, plus twice the decades by which z²/b < 1 (1 + q must keep q) and by which
    |α| < 1 ((1 + q)^(α/2) − 1 must keep α·log(1 + q))."""
    extra = 0
    if z != 0 and math.isfinite(alpha) and alpha != 2:
        b = abs(alpha - 2)
        dec = 2 * math.log10(abs(z)) - math.log10(b)
        extra = 2 * max(0, math.ceil(-dec))
    if alpha != 0 and abs(alpha) < 1:
        extra += 2 * math.ceil(-math.log10(abs(alpha)))
    return 120 + extra


def mp_rho(z, alpha):
    z = mpmath.mpf(z)
    if alpha == -INF:
        return -mpmath.expm1(-z * z / 2)
    if alpha == INF:
        return mpmath.expm1(z * z / 2)
    if alpha == 2:
        return z * z / 2
    if alpha == 0:
        return mpmath.log1p(z * z / 2)
    a = mpmath.mpf(alpha)
    b = abs(a - 2)
    return b / a * ((z * z / b + 1) ** (a / 2) - 1)


def mp_at(z, alpha, order):
    with mpmath.workdps(digits(z, alpha)):
        if order == 0:
            return mp_rho(z, alpha)
        h = mpmath.mpf(abs(z) if z != 0 else 1) * mpmath.mpf(10) ** -(40 if order == 1 else 30)
        return mpmath.diff(lambda t: mp_rho(t, alpha), mpmath.mpf(z), order, h=h)


def torch_rho(zt, alpha):
    if alpha == -INF:
        return -torch.expm1(-0.5 * zt * zt)
    if alpha == INF:
        return torch.expm1(0.5 * zt * zt)
    if alpha == 2:
        return 0.5 * zt * zt
    if alpha == 0:
        return torch.log1p(0.5 * zt * zt)
    b = abs(alpha - 2)
    return b / alpha * ((zt * zt / b + 1) ** (alpha / 2) - 1)


def torch_terms(x, y, alpha, c):
    """Terms and d(term)/dx by autograd, float64, the formula as written."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64)
    t = torch_rho((xt - yt) / c, alpha)
    t.sum().backward()
    return t.detach().tolist(), xt.grad.tolist()


def close(a, b, rtol):
    return a == b or abs(a - b) <= rtol * abs(b)


def inaccurate_regime(z, alpha):
    """Where the formula as written may lose digits in float64 (the script accepts mpmath's value there)."""
    if not math.isfinite(alpha) or alpha == 2 or alpha == 0:
        return abs(z) > 1e150 or abs(z) < 1e-150
    b = abs(alpha - 2)
    q = z * z / b if abs(z) < 1e150 else INF
    return abs(alpha) < 1e-3 or b < 1e-3 or q < 1e-3 or q > 1e150 or abs(z) > 1e150 or not math.isfinite(q)


def reference(x, y, alpha, c):
    """Per element: (term, gradient of the term), float64."""
    tt, tg = torch_terms(x, y, alpha, c)
    terms, grads = [], []
    for xi, yi, ti, gi in zip(x, y, tt, tg):
        z = (xi - yi) / c
        if math.isnan(z):
            assert math.isnan(ti) and math.isnan(gi)
            terms.append(ti)
            grads.append(gi)
            continue
        if math.isinf(z):
            # an infinite residual: the limits of term and slope, as the formula at |z| = 10^10000 in mpmath
            # rounds them to float64 (b/|α| or ∞; 0, ±1/c or ±∞)
            with mpmath.workdps(120):
                big = mpmath.mpf(10) ** 10000 * (1 if z > 0 else -1)
                terms.append(float(mp_rho(big, alpha)))
                grads.append(float(mpmath.diff(lambda t: mp_rho(t, alpha), big, 1, h=abs(big) * mpmath.mpf(10) ** -40))
                             / c)
            continue
        mt = float(mp_at(z, alpha, 0))
        mg = float(mp_at(z, alpha, 1)) / c
        if math.isfinite(ti) and close(ti, mt, 1e-10):
            terms.append(ti)
        else:
            assert inaccurate_regime(z, alpha), f"term: torch {ti} and mpmath {mt} disagree at z={z} alpha={alpha}"
            terms.append(mt)
        if math.isfinite(gi) and close(gi, mg, 1e-10):
            grads.append(gi)
        else:
            assert inaccurate_regime(z, alpha), f"grad: torch {gi} and mpmath {mg} disagree at z={z} alpha={alpha}"
            grads.append(mg)
    return terms, grads




def case(cid, shape, x, y, params=None, weight=None, dtype="float64", rtol=1e-9, atol=1e-12):
    params = params or {}
    alpha = params.get("alpha", 1.0)
    alpha = {"Infinity": INF, "-Infinity": -INF}.get(alpha, alpha)
    c = params.get("c", 1.0)
    if dtype == "float32":
        x, y = [f32(v) for v in x], [f32(v) for v in y]
        weight = None if weight is None else [f32(v) for v in weight]
    terms, grads = reference(x, y, float(alpha), c)
    return assemble("robust", cid, shape, x, y, terms, grads, params, weight, dtype, rtol, atol)


def refusal(cid, params, xshape, yshape, wshape=None):
    return shaped_refusal("robust", cid, params, xshape, yshape, wshape)


def gauss(r, n, s=1.5):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261207)
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "robust-%03d" % next(k)
    # defaults, every reduction, odd shapes
    out.append(case(cid(), [6], gauss(r, 6), gauss(r, 6)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), [3, 5], gauss(r, 15), gauss(r, 15), {"reduction": red}))
    out.append(case(cid(), [], gauss(r, 1), gauss(r, 1)))
    out.append(case(cid(), [2, 3, 4], gauss(r, 24, 3), gauss(r, 24, 3), {"alpha": -2.0, "c": 0.7,
                                                                          "reduction": "none"}))
    # the named members and their limits: L2, pseudo-Huber, Cauchy, Geman–McClure, Welsch, +∞
    for alpha in (2.0, 1.0, 0.0, -2.0, "-Infinity", "Infinity", 0.5, 1.5, 3.0, -10.0, 7.0):
        red = "none" if alpha in (2.0, 0.0, "-Infinity") else "sum"
        out.append(case(cid(), [2, 4], gauss(r, 8), gauss(r, 8), {"alpha": alpha, "reduction": red}))
    # near the limits: the formula as written is 0/0-like there (mpmath's values)
    for alpha in (1e-12, -1e-9, 2 - 2 ** -52, 2 + 2 ** -51, 2 - 1e-9, 5e-324, -1e15, 1e15):
        out.append(case(cid(), [5], [0.3, -1.7, 4.0, 25.0, -0.01], [0.0] * 5, {"alpha": alpha,
                                                                               "reduction": "none"}))
    # scale from small to large
    for cc, alpha in ((1e-8, 1.0), (1e-3, 0.0), (50.0, -2.0), (1e12, 1.0)):
        out.append(case(cid(), [2, 3], gauss(r, 6), gauss(r, 6), {"alpha": alpha, "c": cc, "reduction": "none"},
                        atol=0.0 if cc > 1 else 1e-12))
    # per-element weight, each reduction
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), [3, 4], gauss(r, 12), gauss(r, 12), {"alpha": 0.5, "c": 1.3, "reduction": red},
                        weight=[r.uniform(0, 3) for _ in range(12)]))
    # float32
    out.append(case(cid(), [4, 3], gauss(r, 12), gauss(r, 12), {"alpha": -1.0}, dtype="float32", rtol=1e-6,
                    atol=1e-12))
    out.append(case(cid(), [2, 3], gauss(r, 6), gauss(r, 6), {"alpha": 2.0, "reduction": "none"},
                    weight=[r.uniform(0.5, 2) for _ in range(6)], dtype="float32", rtol=1e-6, atol=1e-12))
    # extremes: ±1e4 residuals, 1e300, zero and tiny residuals, infinite residuals
    for alpha in (1.0, 0.0, -2.0, "-Infinity", 1.5):
        out.append(case(cid(), [6], [1e4, -1e4, 1e300, 0.5, 1e-9, 1e-200], [0.0, 0.0, -1e300, 0.5, 0.0, 0.0],
                        {"alpha": alpha, "reduction": "none"}, atol=0.0))
    for alpha in (-2.0, 0.5, 1.0, 1.5):
        out.append(case(cid(), [2], [INF, -INF], [0.0, 0.0], {"alpha": alpha, "reduction": "none"}, atol=0.0))
    out.append(case(cid(), [5], [0.0] * 5, [0.0] * 5, {"alpha": -5.0}))
    # NaN in, NaN out (only where it is)
    out.append(case(cid(), [3], [float("nan"), 1.0, -2.0], [0.0, 0.0, 0.0], {"alpha": 0.0, "reduction": "none"}))
    out.append(case(cid(), [3], [float("nan"), 1.0, -2.0], [0.0, 0.0, 0.0]))
    # refusals
    out.append(refusal(cid(), {"c": 0.0}, [4], [4]))
    out.append(refusal(cid(), {"c": -1.0}, [4], [4]))
    out.append(refusal(cid(), {"c": 1e-9}, [4], [4]))
    out.append(refusal(cid(), {"alpha": 2e15}, [4], [4]))
    out.append(refusal(cid(), {"alpha": "NaN"}, [4], [4]))
    out.append(refusal(cid(), {}, [3, 4], [4, 3]))
    out.append(refusal(cid(), {"reduction": "sum"}, [2, 3], [2, 3], wshape=[3]))
    out.append(refusal(cid(), {"reduction": "avg"}, [4], [4]))
    return out


# second derivatives for RobustTest: (z, alpha) -> d²ρ/dz² (c = 1)
HESSIAN_POINTS = [(0.0, 1.0), (0.3, 1.0), (-2.0, 0.0), (1.5, -2.0), (0.7, -INF), (3.0, -INF), (1.2, INF),
                  (2.5, 2.0), (-4.0, 0.5), (2.0, 1.5), (1e4, 1.0), (1e4, 0.0), (0.8, 1e-12), (0.8, 2 - 2 ** -52),
                  (1.3, 5.0), (0.4, -1e15)]


def hessians():
    for z, alpha in HESSIAN_POINTS:
        x = torch.tensor([z], dtype=torch.float64)
        h = torch.autograd.functional.hessian(lambda v: torch_rho(v, alpha).sum(), x)[0, 0].item()
        m = float(mp_at(z, alpha, 2))
        assert math.isfinite(h) and close(h, m, 1e-6) or inaccurate_regime(z, alpha), \
            f"hessian: torch {h} and mpmath {m} disagree at z={z} alpha={alpha}"
        print("            {%s, %s, %s}," % (repr(z), java(alpha), repr(m)))


def java(v):
    return "Double.NEGATIVE_INFINITY" if v == -INF else "Double.POSITIVE_INFINITY" if v == INF else repr(v)



if __name__ == "__main__":
    casefile.main("robust", cases, hessians)

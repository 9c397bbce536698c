#!/usr/bin/python3
"""Reference cases of pseudo_huber, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/pseudo_huber.py [--hessian]
  writes core/src/test/resources/conformance/project/pseudo_huber.jsonl (FORMAT.md);
  --hessian prints the second derivatives PseudoHuberTest compares with instead (mpmath's
  numerical second derivative, checked against torch.autograd.functional.hessian).

Definition (CATALOG.md; XGBoost reg:pseudohubererror with huber_slope = delta):
term w·δ²(√(1 + (d/δ)²) − 1), d = x − y; mean divides by the number of elements.

Value and gradient are PyTorch float64 autograd of that formula as written (Debian's
python3-torch 1.13). Where float64 cannot evaluate it as written (√(1 + z²) − 1 cancels for
tiny |z|, z² overflows for huge |z|), the element's term or derivative is taken from mpmath
(Debian's python3-mpmath) at 60 digits, more for tiny |z|: the term by the same formula, the
derivative by mpmath's own numerical differentiation (mpmath.diff) of it, so neither depends
on an algebraic rewrite. Every element is evaluated both ways and where float64 is accurate
the two must agree (the script stops otherwise), which also checks autograd against mpmath.
"""
import math
import random
import sys

import mpmath
import torch

from caselib import write
from elementwise import assemble, f32, num, shaped_refusal, tensor  # the JSON form of FORMAT.md, shared with the other generators

mpmath.mp.dps = 60


def digits(d, delta):
    """Working digits: 60, plus twice the decades by which |d/δ| < 1, as 1 + z² must keep z²."""
    decades = math.log10(abs(d)) - math.log10(delta) if d != 0 else 0.0
    return 60 + 2 * max(0, math.ceil(-decades))


def mp_term(d, delta):
    d, delta = mpmath.mpf(d), mpmath.mpf(delta)
    return delta ** 2 * (mpmath.sqrt(1 + (d / delta) ** 2) - 1)


def mp_step(d, delta, rel):
    # a step relative to the residual itself (to δ at d = 0)
    return mpmath.mpf(abs(d) if d != 0 else delta) * mpmath.mpf(10) ** -rel


def mp_at(d, delta, order, rel):
    with mpmath.workdps(digits(d, delta)):
        if order == 0:
            return mp_term(d, delta)
        return mpmath.diff(lambda t: mp_term(t, delta), mpmath.mpf(d), order, h=mp_step(d, delta, rel))


def mp_grad(d, delta):
    return mp_at(d, delta, 1, 20)


def mp_hess(d, delta):
    return mp_at(d, delta, 2, 15)


def torch_terms(x, y, delta):
    """Terms and d(term)/dx by autograd, float64, the formula as written."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64)
    z = (xt - yt) / delta
    t = delta ** 2 * (torch.sqrt(1 + z * z) - 1)
    t.sum().backward()
    return t.detach().tolist(), xt.grad.tolist()


def close(a, b, rtol=1e-12):
    return abs(a - b) <= rtol * abs(b)


def reference(x, y, delta):
    """Per element: (term, gradient of the term), float64."""
    tt, tg = torch_terms(x, y, delta)
    terms, grads = [], []
    for xi, yi, ti, gi in zip(x, y, tt, tg):
        d = xi - yi
        if math.isnan(d):
            terms.append(ti)
            grads.append(gi)
            assert math.isnan(ti) and math.isnan(gi)
            continue
        mt = float(mp_at(d, delta, 0, 0))
        mg = float(mp_grad(d, delta))
        z = abs(d) / delta
        if math.isfinite(ti) and close(ti, mt, 1e-10):
            terms.append(ti)
        else:
            # √(1 + z²) − 1 cancels (tiny z) or z² overflows (huge z): mpmath's value
            assert z < 1e-4 or z > 1e154, f"term: torch {ti} and mpmath {mt} disagree at d={d} delta={delta}"
            terms.append(mt)
        if math.isfinite(gi) and close(gi, mg, 1e-10):
            grads.append(gi)
        else:
            # autograd's derivative has no cancellation, but z² overflows beyond z ≈ 1.3e154
            # (then it gives 2z·0.5/√∞ = 0): only there is mpmath's value taken instead
            assert z > 1e154, f"gradient: torch {gi} and mpmath {mg} disagree at d={d} delta={delta}"
            grads.append(mg)
    return terms, grads


def case(cid, shape, x, y, params=None, weight=None, dtype="float64", rtol=1e-9, atol=1e-12):
    params = params or {}
    delta = params.get("delta", 1.0)
    if dtype == "float32":
        x, y = [f32(v) for v in x], [f32(v) for v in y]
        weight = None if weight is None else [f32(v) for v in weight]
    terms, grads = reference(x, y, delta)
    return assemble("pseudo_huber", cid, shape, x, y, terms, grads, params, weight, dtype, rtol, atol)


def refusal(cid, params, xshape, yshape, wshape=None):
    return shaped_refusal("pseudo_huber", cid, params, xshape, yshape, wshape)


def gauss(r, n, s=1.5):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261207)
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "pseudo_huber-%03d" % next(k)
    # defaults, every reduction, odd shapes
    out.append(case(cid(), [6], gauss(r, 6), gauss(r, 6)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), [3, 5], gauss(r, 15), gauss(r, 15), {"reduction": red}))
    out.append(case(cid(), [], gauss(r, 1), gauss(r, 1)))
    out.append(case(cid(), [1], gauss(r, 1), gauss(r, 1), {"reduction": "sum"}))
    out.append(case(cid(), [2, 3, 4], gauss(r, 24, 3), gauss(r, 24, 3), {"delta": 2.5, "reduction": "none"}))
    # delta from tiny to huge (tiny: δ|d| regime; huge: ½d² regime without cancellation)
    for delta, red in ((0.1, "mean"), (1e-3, "sum"), (1e-300, "none"), (1e6, "mean"), (1e15, "none")):
        out.append(case(cid(), [2, 4], gauss(r, 8), gauss(r, 8), {"delta": delta, "reduction": red},
                        atol=0.0 if delta < 1e-100 else 1e-12))
    # per-element weight, each reduction
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), [3, 4], gauss(r, 12), gauss(r, 12), {"delta": 0.7, "reduction": red},
                        weight=[r.uniform(0, 3) for _ in range(12)]))
    # float32
    out.append(case(cid(), [4, 3], gauss(r, 12), gauss(r, 12), {"delta": 1.5}, dtype="float32", rtol=1e-6,
                    atol=1e-12))
    out.append(case(cid(), [2, 3], gauss(r, 6), gauss(r, 6), {"reduction": "none"},
                    weight=[r.uniform(0.5, 2) for _ in range(6)], dtype="float32", rtol=1e-6, atol=1e-12))
    out.append(case(cid(), [4], [1e30, -1e30, 1e-20, 3.0], [0.0, 0.0, 0.0, 3.0], {"reduction": "none"},
                    dtype="float32", rtol=1e-6, atol=1e-30))
    # extremes: ±1e4, 1e300 and 2e300 residuals, a zero residual, tiny residuals
    out.append(case(cid(), [6], [1e4, -1e4, 1e300, 1e300, 0.5, 1e-9], [0.0, 0.0, 0.0, -1e300, 0.5, 0.0],
                    {"reduction": "none"}))
    out.append(case(cid(), [4], [1e4, -1e4, 1e300, 2.0], [-1e4, 1e4, -1e300, 2.0], {"reduction": "sum"}))
    out.append(case(cid(), [3], [1e-200, 1e-8, -1e-5], [0.0, 0.0, 0.0], {"delta": 1.0, "reduction": "none"},
                    atol=1e-300))
    out.append(case(cid(), [3], [1.0, -3.0, 1e300], [0.0, 0.0, 0.0], {"delta": 1e-300, "reduction": "none"},
                    atol=0.0))
    out.append(case(cid(), [5], [0.0] * 5, [0.0] * 5, {"delta": 0.3}))
    # NaN in, NaN out (only where it is)
    out.append(case(cid(), [3], [float("nan"), 1.0, -2.0], [0.0, 0.0, 0.0], {"reduction": "none"}))
    out.append(case(cid(), [3], [float("nan"), 1.0, -2.0], [0.0, 0.0, 0.0]))
    # refusals
    out.append(refusal(cid(), {"delta": 0.0}, [4], [4]))
    out.append(refusal(cid(), {"delta": -1.0}, [4], [4]))
    out.append(refusal(cid(), {"delta": 2e15}, [4], [4]))
    out.append(refusal(cid(), {}, [3, 4], [4, 3]))
    out.append(refusal(cid(), {}, [5], [6]))
    out.append(refusal(cid(), {"reduction": "sum"}, [2, 3], [2, 3], wshape=[3]))
    out.append(refusal(cid(), {"reduction": "avg"}, [4], [4]))
    return out


# second derivatives for PseudoHuberTest: (d, delta) -> d²term/dd²
HESSIAN_POINTS = [(0.0, 1.0), (0.3, 1.0), (-2.0, 1.0), (1.5, 0.5), (-7.0, 3.0), (1e4, 1.0), (1e-9, 1.0),
                  (1e300, 1.0), (1.0, 1e-300), (1.0, 1e15), (3.0, 1e-3)]


def hessians():
    for d, delta in HESSIAN_POINTS:
        x = torch.tensor([d], dtype=torch.float64)
        h = torch.autograd.functional.hessian(
            lambda v: (delta ** 2 * (torch.sqrt(1 + (v / delta) ** 2) - 1)).sum(), x)[0, 0].item()
        m = float(mp_hess(d, delta))
        # double backward of the formula as written loses digits once z² ≫ 1 (4e-10 at z = 3000,
        # 4e-8 at z = 1e4) and overflows for huge z: mpmath's value is printed, torch's must agree
        z = abs(d) / delta
        assert math.isfinite(h) and close(h, m, 1e-6) or z > 1e154, \
            f"hessian: torch {h} and mpmath {m} disagree at d={d} delta={delta}"
        h = m
        print("            {%s, %s, %s}," % (repr(d), repr(delta), repr(h)))


def main():
    if "--hessian" in sys.argv:
        hessians()
        return
    write("pseudo_huber", cases())


if __name__ == "__main__":
    main()

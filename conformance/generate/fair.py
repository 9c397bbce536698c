#!/usr/bin/python3
"""Reference cases of fair, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/fair.py [--hessian]
  writes core/src/test/resources/conformance/project/fair.jsonl (FORMAT.md);
  --hessian prints the second derivatives FairTest compares with instead (PyTorch's double
  backward, checked against mpmath's numerical second derivative).

Definition (CATALOG.md; LightGBM's fair objective with fair_c = c): term
w·c²(|d|/c − log(1 + |d|/c)), d = x − y, c > 0; its gradient c·d/(|d| + c) and second
derivative c²/(|d| + c)² are LightGBM's; mean divides by the number of elements.

Value, gradient and second derivative are PyTorch float64 autograd of that formula as written
(with log1p for log(1 + ·); elementwise.py). Where float64 cannot evaluate it as written, the
element's values are mpmath's, at 60 digits plus twice the decades by which |d|/c < 1:
z − log1p(z) and its derivative cancel for small z = |d|/c (z < 1e-3 here); c² underflows for
c < 1e-150; z overflows for c tiny beside |d|; and at d = 0 abs's double backward gives 0 where
the second derivative is 1.
"""
import math
import random

import mpmath
import torch

import elementwise as E


def torch_term(x, y, p):
    c = p["c"]
    z = torch.abs(x - y) / c
    return c ** 2 * (z - torch.log1p(z))


def mp_term(x, y, p):
    c = mpmath.mpf(p["c"])
    z = abs(x - mpmath.mpf(y)) / c
    return c ** 2 * (z - mpmath.log1p(z))


def zof(x, y, p):
    return abs(x - y) / p["c"]


def float64_fails(x, y, p, what):
    z = zof(x, y, p)
    if p["c"] < 1e-150 or not z < 1e300:
        return True
    return z < 1e-3 if what in ("term", "grad") else z == 0


def digits(x, y, p):
    z = zof(x, y, p)
    if z == 0:
        return 160  # the steps of step() below: z down to 1e-32, whose z − log1p(z) keeps z²
    return 60 + 2 * max(0, math.ceil(-math.log10(z))) if z < 1 else 60


def step(x, y, p):
    d = x - y
    if d == 0:
        # the term is C² but not C³ at 0 (its expansion ½d² − |d|³/3c): a central difference
        # straddling 0 is off by its step/c, so the step is tiny there
        return p["c"] * 1e-20
    return max(abs(d), p["c"]) if math.isfinite(d) else abs(x)


SPEC = E.Spec("fair", {"c": 1.0}, torch_term, mp_term, float64_fails, digits=digits, step=step)


def gauss(r, n, s=1.5):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261212)
    cid = E.ids("fair")
    c = lambda *a, **k: E.case(SPEC, cid(), *a, **k)
    out = E.common_cases(SPEC, c, r, lambda n: (gauss(r, n, 3), gauss(r, n, 3)), {"c": 0.7})
    # c from tiny to huge (tiny: c|d| regime; huge: ½d² regime without cancellation)
    for cc, red in ((0.1, "mean"), (1e-3, "sum"), (1e-300, "none"), (1e6, "mean"), (1e15, "none")):
        out.append(c([2, 4], gauss(r, 8), gauss(r, 8), {"c": cc, "reduction": red},
                     atol=0.0 if cc < 1e-100 else 1e-12))
    out.append(c([4], [1e30, -1e30, 1e-20, 3.0], [0.0, 0.0, 0.0, 3.0], {"reduction": "none"}, dtype="float32",
                 rtol=1e-6, atol=1e-30))
    # extremes: ±1e4, 1e300 residuals, z around the series' bound 1, a zero residual, tiny residuals
    out.append(c([8], [1e4, -1e4, 1e300, 1e300, 0.5, 1e-9, 0.999999, 1.000001], [0.0] * 4 + [0.5] + [0.0] * 3,
                 {"reduction": "none"}))
    out.append(c([4], [1e4, -1e4, 1e300, 2.0], [-1e4, 1e4, -1e300, 2.0], {"reduction": "sum"}))
    out.append(c([3], [1e-200, 1e-8, -1e-5], [0.0, 0.0, 0.0], {"reduction": "none"}, atol=1e-300))
    out.append(c([3], [1.0, -3.0, 1e300], [0.0, 0.0, 0.0], {"c": 1e-300, "reduction": "none"}, atol=0.0))
    out.append(c([5], [0.0] * 5, [0.0] * 5, {"c": 0.3}))
    out += E.nan_cases(c, [0.0, 1.0, -2.0], [0.0, 0.0, 0.0])
    for cc in (0.0, -1.0, 2e15):
        out.append(E.refusal(SPEC, cid(), {"c": cc}, [4], [4]))
    return out + E.common_refusals(SPEC, cid)


# (d, 0, options) for FairTest's second derivatives
HESSIAN_POINTS = [(0.0, 0.0, {}), (0.3, 0.0, {}), (-2.0, 0.0, {}), (1.5, 0.0, {"c": 0.5}), (-7.0, 0.0, {"c": 3.0}),
                  (1e4, 0.0, {}), (1e-9, 0.0, {}), (1e300, 0.0, {}), (1.0, 0.0, {"c": 1e-300}),
                  (1.0, 0.0, {"c": 1e15}), (3.0, 0.0, {"c": 1e-3})]


if __name__ == "__main__":
    E.main(SPEC, cases, HESSIAN_POINTS)

#!/usr/bin/python3
"""Reference cases of tweedie, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/tweedie.py [--hessian]
  writes core/src/test/resources/conformance/project/tweedie.jsonl (FORMAT.md);
  --hessian prints the second derivatives TweedieTest compares with instead (PyTorch's double
  backward, checked against mpmath's numerical second derivative).

Definition (CATALOG.md; XGBoost reg:tweedie with tweedie_variance_power = p):
term w·(−y·exp((1−p)f)/(1−p) + exp((2−p)f)/(2−p)), f the input (a log-mean), y ≥ 0,
1 < p < 2; mean divides by the number of elements.

Value, gradient and second derivative are PyTorch float64 autograd of that formula as written
(elementwise.py). Where float64 cannot evaluate it as written, the element's values are
mpmath's at 60 digits: y·exp((1−p)f) with exp overflowing (0·∞ = NaN for y = 0, ∞ for a
small y whose product is finite) or underflowing to a subnormal (a large y), i.e.
|(1−p)f| > 708.
"""
import math
import random

import mpmath
import torch

import elementwise as E


def torch_term(x, y, p):
    v = p["variance_power"]
    return -y * torch.exp((1 - v) * x) / (1 - v) + torch.exp((2 - v) * x) / (2 - v)


def mp_term(x, y, p):
    v = mpmath.mpf(p["variance_power"])
    y = mpmath.mpf(y)
    return -y * mpmath.exp((1 - v) * x) / (1 - v) + mpmath.exp((2 - v) * x) / (2 - v)


def float64_fails(x, y, p, what):
    return abs((1 - p["variance_power"]) * x) > 708


def magnitude(x, y, p, what):
    # the gradient e^((2−p)f) − y·e^((1−p)f) vanishes at f = log y: rounding is relative to its parts
    v = p["variance_power"]
    return math.exp((2 - v) * x) + y * math.exp((1 - v) * x) if what == "grad" and abs(x) < 700 else 0.0


SPEC = E.Spec("tweedie", {"variance_power": 1.5}, torch_term, mp_term, float64_fails,
              step=lambda x, y, p: max(abs(x), 1.0), magnitude=magnitude)


def targets(r, n, zeros=0.35):
    """Compound Poisson–gamma-like targets: exact zeros, else a positive continuous value."""
    return [0.0 if r.random() < zeros else r.gammavariate(1.5, 1.2) for _ in range(n)]


def gauss(r, n, s=1.0):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261208)
    cid = E.ids("tweedie")
    c = lambda *a, **k: E.case(SPEC, cid(), *a, **k)
    out = E.common_cases(SPEC, c, r, lambda n: (gauss(r, n, 1.5), targets(r, n)), {"variance_power": 1.4})
    out.append(c([1], [0.3], [0.0]))
    # the variance power across (1, 2), near both ends
    for v, red in ((1.01, "mean"), (1.3, "sum"), (1.8, "none"), (1.99, "mean"), (1.000001, "none"),
                   (1.999999, "sum")):
        out.append(c([2, 4], gauss(r, 8, 1.5), targets(r, 8), {"variance_power": v, "reduction": red}))
    out.append(c([4], [60.0, -60.0, 100.0, 0.0], [3.0, 0.0, 1e3, 0.0], {"reduction": "none"}, dtype="float32",
                 rtol=1e-6, atol=1e-30))
    # large |f|: finite up to the exact value's overflow, with y = 0 (0·e^(big) is 0, not NaN),
    # a small y times an overflowing exponential, a large y times a subnormal one
    out.append(c([8], [50.0, -50.0, 700.0, -700.0, 1400.0, -1400.0, -1500.0, 1500.0],
                 [2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 1e-300, 1e300], {"reduction": "none"}, atol=0.0))
    out.append(c([4], [-1500.0, 1500.0, 1418.0, -1418.0], [1e-300, 1e300, 0.0, 0.0], {"reduction": "sum"},
                 atol=0.0))
    out.append(c([3], [1000.0, 10.0, -10.0], [1.0, 0.0, 5.0], {"variance_power": 1.1, "reduction": "none"},
                 atol=0.0))
    out.append(c([3], [800.0, 7000.0, -700.0], [1e300, 0.0, 1e-300], {"variance_power": 1.9, "reduction": "none"},
                 atol=0.0))
    # beyond the exact value's overflow: ∞ (honestly), the others finite
    out.append(c([3], [2000.0, 0.5, -3000.0], [1.0, 1.0, 0.0], {"reduction": "none"}, atol=0.0))
    # at the optimum f = log y the gradient is 0
    out.append(c([4], [math.log(v) for v in (0.5, 1.0, 2.0, 7.0)], [0.5, 1.0, 2.0, 7.0], {"reduction": "none"}))
    out += E.nan_cases(c, [0.0, 1.0, -2.0], [1.0, 1.0, 0.0])
    # refusals: p outside (1, 2), a negative target
    for v in (1.0, 2.0, 0.5, 2.5):
        out.append(E.refusal(SPEC, cid(), {"variance_power": v}, [4], [4]))
    out.append(E.refusal(SPEC, cid(), {}, [0.5, 1.0, -2.0], [1.0, -0.5, 2.0]))
    return out + E.common_refusals(SPEC, cid)


# (f, y, options) for TweedieTest's second derivatives
HESSIAN_POINTS = [(0.0, 1.0, {}), (0.3, 0.0, {}), (-2.0, 3.5, {}), (1.5, 0.2, {"variance_power": 1.2}),
                  (-0.7, 4.0, {"variance_power": 1.9}), (50.0, 2.0, {}), (-50.0, 2.0, {}),
                  (-1500.0, 1e-300, {}), (800.0, 1e300, {"variance_power": 1.9}), (-1400.0, 0.0, {}),
                  (2.0, 1.0, {"variance_power": 1.000001}), (2.0, 1.0, {"variance_power": 1.999999})]


if __name__ == "__main__":
    E.main(SPEC, cases, HESSIAN_POINTS)

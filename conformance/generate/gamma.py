#!/usr/bin/python3
"""Reference cases of gamma, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/gamma.py [--hessian]
  writes core/src/test/resources/conformance/project/gamma.jsonl (FORMAT.md);
  --hessian prints the second derivatives GammaTest compares with instead (PyTorch's double
  backward, checked against mpmath's numerical second derivative).

Definition (CATALOG.md; XGBoost reg:gamma): term w·(y·exp(−f) + f), f the input (a log-mean),
y > 0; mean divides by the number of elements.

Value, gradient and second derivative are PyTorch float64 autograd of that formula as written
(elementwise.py). Where float64 cannot evaluate it as written (exp(−f) overflowing for
f < −709.78 although y·exp(−f) is finite for a small y, or subnormal for f > 708 where a large
y makes the product normal), the element's values are mpmath's at 60 digits.
"""
import math
import random

import mpmath
import torch

import elementwise as E


def torch_term(x, y, p):
    return y * torch.exp(-x) + x


def mp_term(x, y, p):
    return mpmath.mpf(y) * mpmath.exp(-x) + x


def float64_fails(x, y, p, what):
    return abs(x) > 708


def magnitude(x, y, p, what):
    # the gradient 1 − y·e^(−f) vanishes at f = log y: rounding is relative to its parts
    return 1 + y * math.exp(-x) if what == "grad" and abs(x) < 700 else 0.0


def digits(x, y, p):
    # where y·e^(−f) is tiny beside f, the numerical derivatives resolve it with more digits
    return 60 + math.ceil(min(max(0.0, x - math.log(y)), 900.0) / math.log(10)) if y > 0 else 60


SPEC = E.Spec("gamma", {}, torch_term, mp_term, float64_fails, digits=digits,
              step=lambda x, y, p: max(abs(x), 1.0), magnitude=magnitude)


def targets(r, n):
    return [r.gammavariate(2.0, 1.0) + 1e-3 for _ in range(n)]


def gauss(r, n, s=1.0):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261209)
    cid = E.ids("gamma")
    c = lambda *a, **k: E.case(SPEC, cid(), *a, **k)
    out = E.common_cases(SPEC, c, r, lambda n: (gauss(r, n, 1.5), targets(r, n)), {})
    # targets over many scales
    out.append(c([6], gauss(r, 6, 3), [1e-8, 1e-3, 0.5, 20.0, 1e4, 1e8], {"reduction": "none"}))
    out.append(c([4], [60.0, -60.0, 80.0, 0.0], [3.0, 1e-20, 1e30, 1.0], {"reduction": "none"}, dtype="float32",
                 rtol=1e-6, atol=1e-30))
    # large |f|: a small y times an overflowing e^(−f), a large y times a subnormal one
    out.append(c([6], [700.0, -700.0, -750.0, 750.0, 1e4, -720.0],
                 [2.0, 2.0, 1e-300, 1e300, 5.0, 1e-300], {"reduction": "none"}, atol=0.0))
    out.append(c([3], [-750.0, 750.0, 1e300], [1e-300, 1e300, 1.0], {"reduction": "sum"}, atol=0.0))
    # beyond the exact value's overflow: ∞ (honestly), the others finite
    out.append(c([3], [-1000.0, 0.5, 2.0], [1.0, 1.0, 1.0], {"reduction": "none"}, atol=0.0))
    # at the optimum f = log y the gradient is 0
    out.append(c([4], [math.log(v) for v in (0.5, 1.0, 2.0, 7.0)], [0.5, 1.0, 2.0, 7.0], {"reduction": "none"}))
    out += E.nan_cases(c, [0.0, 1.0, -2.0], [1.0, 1.0, 3.0])
    # refusals: targets must be > 0; gamma has no variance_power
    out.append(E.refusal(SPEC, cid(), {}, [0.5, 1.0, -2.0], [1.0, 0.0, 2.0]))
    out.append(E.refusal(SPEC, cid(), {}, [0.5, 1.0, -2.0], [1.0, -0.5, 2.0]))
    out.append(E.refusal(SPEC, cid(), {"variance_power": 1.5}, [4], [4]))
    return out + E.common_refusals(SPEC, cid)


# (f, y, options) for GammaTest's second derivatives
HESSIAN_POINTS = [(0.0, 1.0, {}), (0.3, 2.0, {}), (-2.0, 3.5, {}), (1.5, 0.2, {}), (50.0, 2.0, {}),
                  (-50.0, 2.0, {}), (-750.0, 1e-300, {}), (750.0, 1e300, {}), (1e4, 5.0, {})]


if __name__ == "__main__":
    E.main(SPEC, cases, HESSIAN_POINTS)

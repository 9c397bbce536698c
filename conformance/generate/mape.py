#!/usr/bin/python3
"""Reference cases of mape, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/mape.py [--hessian]
  writes core/src/test/resources/conformance/project/mape.jsonl (FORMAT.md);
  --hessian prints the second derivatives MapeTest compares with instead (PyTorch's double
  backward, checked against mpmath's numerical second derivative).

Definition (CATALOG.md; scikit-learn mean_absolute_percentage_error, a fraction):
term w·|x − y| / max(|y|, eps), eps = 2.220446049250313e-16 by default; subgradient 0 and
second derivative 0 at x = y; mean divides by the number of elements.

Value, gradient and second derivative are PyTorch float64 autograd of that formula as written
(elementwise.py). Where float64 cannot evaluate it as written (x − y overflows although both
are finite and the ratio is not large), the element's values are mpmath's.
"""
import math
import random

import mpmath
import torch

import elementwise as E

EPS = 2.220446049250313e-16  # numpy.finfo(numpy.float64).eps, scikit-learn's


def torch_term(x, y, p):
    return torch.abs(x - y) / torch.clamp(torch.abs(y), min=p["eps"])


def mp_term(x, y, p):
    return abs(x - mpmath.mpf(y)) / max(abs(mpmath.mpf(y)), mpmath.mpf(p["eps"]))


def float64_fails(x, y, p, what):
    return math.isinf(x - y)


def kink(x, y, p):
    return (0.0, 0.0) if x == y else None


SPEC = E.Spec("mape", {"eps": EPS}, torch_term, mp_term, float64_fails, kink,
              step=lambda x, y, p: abs(x - y) if math.isfinite(x - y) else abs(x))


def targets(r, n):
    """Targets of both signs over three decades, away from 0."""
    return [r.choice((-1, 1)) * 10 ** r.uniform(-1, 2) for _ in range(n)]


def near(r, y, s=0.3):
    return [v * (1 + r.gauss(0, s)) for v in y]


def cases():
    r = random.Random(20261211)
    cid = E.ids("mape")

    def data(n):
        y = targets(r, n)
        return near(r, y), y

    c = lambda *a, **k: E.case(SPEC, cid(), *a, **k)
    out = E.common_cases(SPEC, c, r, data, {"eps": 1e-7})
    # targets at and near 0: the eps floor (sklearn's, Keras' 1e-7, a large one)
    out.append(c([6], [1.0, -2.0, 1e-10, 3.0, 0.5, 1e-300], [0.0, 0.0, 1e-20, -1e-17, 1e-300, 0.0],
                 {"reduction": "none"}))
    for eps, red in ((1e-7, "none"), (1.0, "mean"), (1e-300, "sum")):
        out.append(c([5], [1.0, -2.0, 0.3, 3.0, 1e-12], [0.0, 1e-8, 0.25, -3.5, 2e-12],
                     {"eps": eps, "reduction": red}, atol=0.0))
    # predictions far from the target
    y = targets(r, 8)
    out.append(c([8], near(r, y, 5.0), y, {"reduction": "none"}))
    # x = y (subgradient 0), extremes: ±1e300 targets, a difference that overflows
    out.append(c([6], [1.5, -2.0, 1e300, -1e300, 1.5e308, 1e4], [1.5, -2.0, 2e300, 1e300, -1e308, 0.0],
                 {"reduction": "none"}, atol=0.0))
    out.append(c([3], [1.5e308, -1.7e308, 0.0], [-1e308, 1.7e308, 0.0], {"reduction": "sum"}, atol=0.0))
    # a target of 0 makes the term |x|/eps: ∞ where that overflows (the definition)
    out.append(c([2], [1e300, 1.0], [0.0, 0.0], {"reduction": "none"}, atol=0.0))
    out += E.nan_cases(c, [0.0, 1.0, -2.0], [1.0, 1.0, 3.0])
    for eps in (0.0, -1e-7):
        out.append(E.refusal(SPEC, cid(), {"eps": eps}, [4], [4]))
    return out + E.common_refusals(SPEC, cid)


# (x, y, options) for MapeTest's second derivatives (0: piecewise linear in x), the kink x = y included
HESSIAN_POINTS = [(1.0, 2.0, {}), (-3.0, 2.0, {}), (2.0, 2.0, {}), (1.0, 0.0, {}), (0.5, 1e-8, {"eps": 1e-7})]


if __name__ == "__main__":
    E.main(SPEC, cases, HESSIAN_POINTS)

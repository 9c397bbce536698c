#!/usr/bin/python3
"""Reference cases of expectile, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/expectile.py [--hessian]
  writes core/src/test/resources/conformance/project/expectile.jsonl (FORMAT.md);
  --hessian prints the second derivatives ExpectileTest compares with instead (PyTorch's double
  backward, checked against mpmath's numerical second derivative).

Definition (CATALOG.md; Newey & Powell 1987): term w·|τ − 1[u < 0]|·u², u = y − x, 0 < τ < 1;
at u = 0 the gradient is 0 and the second derivative 2τ (the indicator's value there); mean
divides by the number of elements.

Value, gradient and second derivative are PyTorch float64 autograd of that formula as written
(elementwise.py). Where float64 cannot evaluate it as written (u² overflows for
|u| > 1.3e154 although the weighted term may be finite), the element's values are mpmath's.
"""
import random

import mpmath
import torch

import elementwise as E


def torch_term(x, y, p):
    tau = p["tau"]
    u = y - x
    w = torch.where(u < 0, torch.full_like(u, 1 - tau), torch.full_like(u, tau))  # float64, as u
    return w * u * u


def mp_term(x, y, p):
    tau = mpmath.mpf(p["tau"])
    u = mpmath.mpf(y) - x
    return (1 - tau if u < 0 else tau) * u * u


def float64_fails(x, y, p, what):
    return abs(y - x) > 1e154


def kink(x, y, p):
    # at x = y: gradient 0, second derivative 2τ (|τ − 1[0 < 0]| = τ)
    return (0.0, 2 * p["tau"]) if x == y else None


SPEC = E.Spec("expectile", {"tau": 0.5}, torch_term, mp_term, float64_fails, kink,
              step=lambda x, y, p: max(abs(y - x), 1e-300))


def gauss(r, n, s=1.5):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261210)
    cid = E.ids("expectile")
    c = lambda *a, **k: E.case(SPEC, cid(), *a, **k)
    out = E.common_cases(SPEC, c, r, lambda n: (gauss(r, n), gauss(r, n)), {"tau": 0.3})
    # tau across (0, 1), near both ends
    for tau, red in ((0.1, "mean"), (0.25, "sum"), (0.9, "none"), (0.999, "mean"), (1e-6, "none")):
        out.append(c([2, 4], gauss(r, 8), gauss(r, 8), {"tau": tau, "reduction": red}))
    # x = y (gradient 0), residuals of ±1e4, 1e150 and 1.5e154 (u² overflows, the weighted term does not)
    out.append(c([6], [1e4, -1e4, 1e150, 1.5e154, 0.5, 2.0], [0.0, 0.0, 0.0, 0.0, 0.5, 2.0],
                 {"tau": 0.2, "reduction": "none"}))
    out.append(c([3], [-1.5e154, 1.5e154, 1e-200], [0.0, 0.0, 0.0], {"tau": 0.1, "reduction": "none"}, atol=0.0))
    # beyond the exact value's overflow: ∞ (honestly)
    out.append(c([2], [1e200, 1.0], [0.0, 0.0], {"reduction": "none"}, atol=0.0))
    out.append(c([5], [0.0] * 5, [0.0] * 5, {"tau": 0.3}))
    out += E.nan_cases(c, [0.0, 1.0, -2.0], [0.0, 0.0, 0.0])
    for tau in (0.0, 1.0, -0.5, 1.5):
        out.append(E.refusal(SPEC, cid(), {"tau": tau}, [4], [4]))
    return out + E.common_refusals(SPEC, cid)


# (x, y, options) for ExpectileTest's second derivatives, the kink x = y included
HESSIAN_POINTS = [(0.0, 1.0, {}), (1.0, 0.0, {}), (0.3, 0.3, {"tau": 0.3}), (-2.0, 1.0, {"tau": 0.9}),
                  (2.0, -1.0, {"tau": 0.9}), (1e4, 0.0, {"tau": 0.1}), (-1e4, 0.0, {"tau": 0.1})]


if __name__ == "__main__":
    E.main(SPEC, cases, HESSIAN_POINTS)

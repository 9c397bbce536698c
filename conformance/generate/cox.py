#!/usr/bin/python3
"""Reference cases of cox (Cox proportional hazards, Breslow ties), independent of losses4j.

usage: /usr/bin/python3 conformance/generate/cox.py [--hessian]
  writes core/src/test/resources/conformance/project/cox.jsonl (FORMAT.md);
  --hessian prints diagonal Hessians CoxTest compares with instead (PyTorch float64 double
  backward of the same value, torch.autograd.functional.hessian).

Definition (CATALOG.md; XGBoost survival:cox labels): input f [N] scores, target t [N] times,
t > 0 an event at t, t <= 0 censored at |t|. Loss Σ over events i of
log Σ_{j: |t_j| >= t_i} exp(f_j) − f_i (Breslow: tied times share one risk set, censored ones
included); sum, mean over the number of events, or none: a term per sample (0 if censored).

Value and gradient are PyTorch float64 autograd (Debian's python3-torch 1.13) of that formula
written with the N × N risk-set mask and torch.logsumexp over each event's row, so it shares
nothing with losses4j's sorted passes. The value is summed with mpmath.fsum.
"""
import math
import random

import mpmath
import torch

import casefile
from casefile import f32, num, tensor



def torch_value(ft, t):
    """The event terms (a list of tensors) of scores ft (a tensor) and times t (floats)."""
    n = len(t)
    terms = []
    for i in range(n):
        if t[i] > 0:
            mask = torch.tensor([abs(t[j]) >= t[i] for j in range(n)])
            terms.append(torch.logsumexp(ft[mask], 0) - ft[i])
    return terms


def reference(f, t, red):
    """(value, gradient): for none, the value is the per-sample terms (0 for a censored sample) and the
    gradient that of their sum."""
    ft = torch.tensor(f, dtype=torch.float64, requires_grad=True)
    if any(math.isnan(v) for v in t):
        nan = float("nan")
        return ([nan] * len(f) if red == "none" else nan), [nan] * len(f)
    terms = torch_value(ft, t)
    events = len(terms)
    if not terms:
        return ([0.0] * len(f) if red == "none" else 0.0), [0.0] * len(f)
    total = torch.stack(terms).sum()
    scale = 1.0 / events if red == "mean" else 1.0
    (total * scale).backward()
    vals = [v.item() for v in terms]
    if red == "none":
        it = iter(vals)
        return [next(it) if ti > 0 else 0.0 for ti in t], ft.grad.tolist()
    s = float(mpmath.fsum(vals)) if all(math.isfinite(v) for v in vals) else sum(vals)
    return s * scale, ft.grad.tolist()




def case(cid, f, t, params=None, dtype="float64", rtol=1e-9, atol=1e-12):
    params = params or {}
    red = params.get("reduction", "mean")
    if dtype == "float32":
        f, t = [f32(v) for v in f], [f32(v) for v in t]
    value, grad = reference(f, t, red)
    n = len(f)
    return {"id": cid, "loss": "cox", "params": params,
            "inputs": {"input": tensor(f, [n], dtype), "target": tensor(t, [n], dtype)},
            "expect": {"value": tensor(value, [n], dtype) if red == "none" else num(value),
                       "grad": {"input": tensor(grad, [n], dtype)}},
            "rtol": rtol, "atol": atol}


def refusal(cid, params, f, t, fshape=None, tshape=None):
    return {"id": cid, "loss": "cox", "params": params,
            "inputs": {"input": tensor(f, fshape or [len(f)]), "target": tensor(t, tshape or [len(t)])},
            "expect": {"error": "invalid_argument"}}


def survival(r, n, censored=0.35, tie_every=0):
    """Distinct times in (0.1, 10) (a tie every tie_every samples if given), a share censored (negative)."""
    t = [r.uniform(0.1, 10) for _ in range(n)]
    if tie_every:
        for i in range(tie_every, n, tie_every):
            t[i] = t[i - tie_every // 2 if tie_every > 1 else i - 1]
    t = [-v if r.random() < censored else v for v in t]
    if all(v <= 0 for v in t):
        t[0] = abs(t[0])
    return t


def gauss(r, n, s=1.0):
    return [r.gauss(0, s) for _ in range(n)]


def cases():
    r = random.Random(20261207)
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "cox-%03d" % next(k)
    # defaults and both reductions, several sizes
    out.append(case(cid(), gauss(r, 8), survival(r, 8)))
    for red in ("mean", "sum"):
        out.append(case(cid(), gauss(r, 20), survival(r, 20), {"reduction": red}))
    out.append(case(cid(), gauss(r, 9), survival(r, 9, tie_every=3), {"reduction": "none"}))
    out.append(case(cid(), [0.7], [2.0]))
    out.append(case(cid(), [0.7], [-2.0], {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 2), [1.0, 3.0], {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 60, 2), survival(r, 60, 0.6)))
    # no censoring; everything censored but one; censored at 0 and at −0
    out.append(case(cid(), gauss(r, 10), [abs(v) for v in survival(r, 10)], {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 6), [-1.0, -2.0, 3.0, -4.0, -0.5, -6.0]))
    out.append(case(cid(), gauss(r, 5), [0.0, -0.0, 1.5, 2.5, -1.0], {"reduction": "sum"}))
    # Breslow ties: tied events, an event tied with censored samples, all times equal
    out.append(case(cid(), gauss(r, 7), [1.0, 1.0, 2.0, -2.0, 2.0, 3.0, 3.0], {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 7), [2.0, -2.0, 2.0, -2.0, 1.0, -1.0, 4.0]))
    out.append(case(cid(), gauss(r, 5), [3.0] * 5, {"reduction": "sum"}))
    out.append(case(cid(), gauss(r, 30), survival(r, 30, 0.3, tie_every=3), {"reduction": "mean"}))
    # the order of the samples does not matter: the same data reversed and shuffled
    f = gauss(r, 12)
    t = survival(r, 12, tie_every=4)
    out.append(case(cid(), f, t, {"reduction": "sum"}))
    idx = list(range(12))
    r.shuffle(idx)
    out.append(case(cid(), [f[i] for i in idx], [t[i] for i in idx], {"reduction": "sum"}))
    # extremes: scores ±1e4 (risk sets dominated by one sample, and sets of tiny hazards), ±700
    out.append(case(cid(), [1e4, -1e4, 0.0, 1e4, -1e4, 3.0], [1.0, 2.0, -3.0, 4.0, 5.0, 6.0], {"reduction": "sum"},
                    atol=1e-12))
    out.append(case(cid(), [-1e4, -1e4 + 1, -1e4 + 2, -1e4 - 5], [1.0, 2.0, 3.0, 4.0], {"reduction": "sum"}))
    out.append(case(cid(), [700.0, -700.0, 710.0, 0.0], [1.0, 1.5, -2.0, 2.5]))
    out.append(case(cid(), gauss(r, 8), [1e-300, 1e300, -1e300, 5e-324, 7.0, -7.0, 1e-10, 3.0]))
    # float32
    out.append(case(cid(), gauss(r, 16), survival(r, 16), dtype="float32", rtol=1e-5, atol=1e-7))
    out.append(case(cid(), gauss(r, 9), survival(r, 9, tie_every=3), {"reduction": "sum"}, dtype="float32",
                    rtol=1e-5, atol=1e-7))
    # NaN in, NaN out
    out.append(case(cid(), [float("nan"), 0.5, 1.0], [1.0, 2.0, 3.0], {"reduction": "sum"}))
    out.append(case(cid(), [0.1, 0.5, 1.0], [1.0, float("nan"), 3.0]))
    # refusals
    out.append(refusal(cid(), {}, [0.1, 0.2, 0.3], [-1.0, -2.0, 0.0]))   # mean over no event
    out.append(refusal(cid(), {}, [0.1, 0.2], [1.0, 2.0, 3.0]))
    out.append(refusal(cid(), {}, [0.1, 0.2, 0.3, 0.4], [1.0, 2.0, 3.0, 4.0], [2, 2], [2, 2]))
    out.append(refusal(cid(), {"reduction": "avg"}, [0.1, 0.2], [1.0, 2.0]))
    out.append(refusal(cid(), {}, [], []))
    return out


# diagonal Hessians for CoxTest: (scores, times, reduction)
HESSIAN_CASES = [
    ([0.3, -1.2, 0.8, 0.1, 2.0], [1.0, -2.0, 3.0, 4.0, -5.0], "sum"),
    ([0.5, 0.4, -0.3, 1.1, -2.0, 0.0], [2.0, 2.0, -2.0, 1.0, 3.0, -3.0], "sum"),
    ([1.0, -1.0, 0.5, 0.25], [1.0, 2.0, -3.0, 4.0], "mean"),
]


def hessians():
    for f, t, red in HESSIAN_CASES:
        x = torch.tensor(f, dtype=torch.float64)
        events = sum(1 for v in t if v > 0)
        scale = 1.0 / events if red == "mean" else 1.0
        h = torch.autograd.functional.hessian(lambda v: torch.stack(torch_value(v, t)).sum() * scale, x)
        print("            {%s}," % ", ".join(repr(h[i, i].item()) for i in range(len(f))))



if __name__ == "__main__":
    casefile.main("cox", cases, hessians)

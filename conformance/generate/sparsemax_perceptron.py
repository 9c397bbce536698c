#!/usr/bin/python3
"""Reference cases of sparsemax and multiclass_perceptron, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/sparsemax_perceptron.py
  writes core/src/test/resources/conformance/project/{sparsemax,multiclass_perceptron}.jsonl.

Definitions (CATALOG.md), both Optax's:
- sparsemax: multiclass_sparsemax_loss(scores, labels) = p·where(p > 0, s − s_y (0 at y), 0)
  + ½(1 − p·p), p = projection of s onto the simplex. Here p is computed in torch float64 by the
  sort-and-threshold formula and checked against an independent bisection for τ (Σ max(s − τ, 0)
  = 1); the gradient is autograd's through that formula (which equals p − e_y).
- multiclass_perceptron: max(s) − s_y, with torch.amax, whose autograd splits the gradient of
  the max evenly among tied maxima (as JAX's max does).
Nothing here comes from losses4j.
"""
import math

import torch

from caselib import num, tensor_of, write


def simplex_projection(z):
    """Sort-based sparsemax of each row of z [N, C]."""
    c = z.shape[1]
    zs, _ = torch.sort(z, dim=1, descending=True)
    k = torch.arange(1, c + 1, dtype=z.dtype)
    cs = zs.cumsum(1)
    support = 1 + k * zs > cs
    kz = support.sum(1, keepdim=True)
    tau = (cs.gather(1, kz - 1) - 1) / kz
    return torch.clamp(z - tau, min=0)


def bisection_tau(row):
    """τ with Σ max(row − τ, 0) = 1, by bisection in mpmath-free float64 (an independent check)."""
    lo, hi = max(row) - 1.0, max(row)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if sum(max(v - mid, 0.0) for v in row) > 1:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def sparsemax_terms(x, y):
    p = simplex_projection(x)
    for r in range(x.shape[0]):
        row = [v for v in x[r].tolist()]
        if all(math.isfinite(v) for v in row):
            tau = bisection_tau(row)
            q = [max(v - tau, 0.0) for v in row]
            assert all(abs(a - b) <= 1e-9 for a, b in zip(q, p[r].tolist())), (row, q, p[r])
    sy = x.gather(1, y[:, None])
    shifted = torch.where(torch.nn.functional.one_hot(y, x.shape[1]).bool(), torch.zeros_like(x), x - sy)
    return (p * torch.where(p > 0, shifted, torch.zeros_like(x))).sum(1) + 0.5 * (1 - (p * p).sum(1))


def perceptron_terms(x, y):
    return torch.amax(x, dim=1) - x.gather(1, y[:, None])[:, 0]


TERMS = {"sparsemax": sparsemax_terms, "multiclass_perceptron": perceptron_terms}


def case(loss, cid, x, y, params=None, dtype="float64", rtol=1e-10, atol=1e-13):
    params = params or {}
    red = params.get("reduction", "mean")
    if dtype == "float32":
        x = x.float().double()
    # a row with a NaN score has a NaN term and NaN gradient (the catalog's NaN in, NaN out); the other
    # rows are computed by torch with that row replaced by zeros
    bad = torch.isnan(x).any(1)
    xc = torch.where(bad[:, None], torch.zeros_like(x), x).clone().requires_grad_(True)
    terms = TERMS[loss](xc, y)
    terms = torch.where(bad, torch.full_like(terms, float("nan")), terms)
    value = terms if red == "none" else (terms.sum() if red == "sum" else terms.mean())
    value.sum().backward()
    grad = torch.where(bad[:, None], torch.full_like(x, float("nan")), xc.grad)
    v = tensor_of(value.detach(), dtype) if red == "none" else num(value.item())
    return {"id": cid, "loss": loss, "params": params,
            "inputs": {"input": tensor_of(x, dtype), "target": tensor_of(y, "int64")},
            "expect": {"value": v, "grad": {"input": tensor_of(grad, dtype)}}, "rtol": rtol, "atol": atol}


def refusal(loss, cid, params, x, y, ydtype="int64"):
    return {"id": cid, "loss": loss, "params": params,
            "inputs": {"input": tensor_of(x, "float64"), "target": tensor_of(y, ydtype)},
            "expect": {"error": "invalid_argument"}}


def cases(loss):
    g = torch.Generator().manual_seed(20261207 + len(loss))
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "%s-%03d" % (loss, next(k))
    rnd = lambda *s, scale=1.0: torch.randn(*s, generator=g, dtype=torch.float64) * scale
    labels = lambda n, c: torch.randint(0, c, (n,), generator=g)
    t = lambda *v: torch.tensor(v, dtype=torch.float64)
    for red in ("mean", "sum", "none"):
        out.append(case(loss, cid(), rnd(6, 5), labels(6, 5), {"reduction": red}))
    # scores of several scales: a sparse support (large), almost uniform (small)
    out.append(case(loss, cid(), rnd(5, 7, scale=4.0), labels(5, 7)))
    out.append(case(loss, cid(), rnd(4, 3, scale=0.05), labels(4, 3), {"reduction": "none"}))
    out.append(case(loss, cid(), rnd(1, 2), labels(1, 2)))
    out.append(case(loss, cid(), rnd(3, 1), torch.zeros(3, dtype=torch.int64), {"reduction": "none"}))
    out.append(case(loss, cid(), rnd(2, 40, scale=2.0), labels(2, 40), {"reduction": "sum"}))
    # the label ahead by exactly 1, by more, by less; the label at the top; ties
    x = torch.stack([t(2.0, 1.0, 0.0), t(5.0, 1.0, -3.0), t(0.5, 1.0, 0.2), t(1.0, 1.0, 1.0), t(0.0, 3.0, 3.0)])
    out.append(case(loss, cid(), x, torch.tensor([0, 0, 0, 1, 0]), {"reduction": "none"}))
    out.append(case(loss, cid(), x, torch.tensor([1, 2, 1, 0, 2]), {"reduction": "sum"}))
    # extremes: ±1e4 scores
    x = torch.stack([t(1e4, -1e4, 0.0), t(-1e4, 1e4, 1e4), t(1e4, 1e4 - 0.5, -1e4)])
    out.append(case(loss, cid(), x, torch.tensor([1, 0, 1]), {"reduction": "none"}))
    out.append(case(loss, cid(), x, torch.tensor([0, 1, 0])))
    # float32
    out.append(case(loss, cid(), rnd(8, 6, scale=2.0), labels(8, 6), dtype="float32", rtol=2e-6, atol=1e-6))
    out.append(case(loss, cid(), rnd(3, 4), labels(3, 4), {"reduction": "none"}, dtype="float32", rtol=2e-6,
                    atol=1e-6))
    # NaN in, NaN out (its row only)
    x = rnd(3, 3)
    x[1, 2] = float("nan")
    out.append(case(loss, cid(), x, torch.tensor([0, 1, 2]), {"reduction": "none"}))
    # refusals: a label out of range, negative, a float target, shapes
    out.append(refusal(loss, cid(), {}, rnd(2, 3), torch.tensor([0, 3])))
    out.append(refusal(loss, cid(), {}, rnd(2, 3), torch.tensor([-1, 0])))
    out.append(refusal(loss, cid(), {}, rnd(2, 3), t(0.0, 1.0), "float64"))
    out.append(refusal(loss, cid(), {}, rnd(2, 3), torch.tensor([0, 1, 2])))
    out.append(refusal(loss, cid(), {"reduction": "batchmean"}, rnd(2, 3), torch.tensor([0, 1])))
    return out


def main():
    for loss in TERMS:
        write(loss, cases(loss))


if __name__ == "__main__":
    main()

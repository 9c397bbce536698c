"""Shared helpers of the generator scripts of conformance/generate/ (not a generator itself).

A script describes its cases as plain Python data and a reference function written in PyTorch
(Debian's python3-torch 1.13) float64 autograd, independent of losses4j; this module turns one
(inputs, params, reference) into a case of conformance/FORMAT.md and writes the file.

Inputs of a case: name -> (data, shape, dtype) with dtype "float64", "float32" or "int64". A
float32 input is rounded to float32 first and the reference is evaluated in float64 on the
rounded values (what FORMAT.md asks of a float32 computation, with float64 accumulation).
"""
import math

import mpmath
import torch

from caselib import f32, num, write  # noqa: F401 (the generators import them from here)
import caselib


def tensor(data, shape, dtype="float64"):
    return caselib.tensor(data, shape, dtype, floats=True)



def rounded(inputs):
    """The inputs with float32 data rounded to float32 (as the case will carry them)."""
    out = {}
    for k, (data, shape, dtype) in inputs.items():
        out[k] = ([f32(v) for v in data] if dtype == "float32" else list(data), list(shape), dtype)
    return out


def torch_inputs(inputs, grads):
    """float64 (or int64) torch tensors of the inputs; those named in grads require a gradient."""
    out = {}
    for k, (data, shape, dtype) in inputs.items():
        if dtype == "int64":
            out[k] = torch.tensor(data, dtype=torch.int64).reshape(shape)
        else:
            t = torch.tensor(data, dtype=torch.float64).reshape(shape)
            out[k] = t.requires_grad_(k in grads)
    return out


def case(cid, loss, inputs, params, reference, grads=("input",), rtol=1e-9, atol=1e-12, check_grad=True,
         fix=None):
    """A value case: reference(tensors, params) is the loss as the case's params ask (reduced or not).

    fix, when given, is called as fix(value, grads) with the plain lists and may replace elements the
    reference cannot evaluate (documented in the calling script); it returns (value, grads).
    """
    inputs = rounded(inputs)
    ts = torch_inputs(inputs, grads)
    out = reference(ts, params)
    total = out.sum() if out.dim() > 0 else out
    gs = {}
    if check_grad:
        gl = torch.autograd.grad(total, [ts[g] for g in grads], allow_unused=True)
        for g, t in zip(grads, gl):
            gs[g] = (torch.zeros_like(ts[g]) if t is None else t).reshape(-1).tolist()
    # reduction none of a 0-dim result is written as a number, as PyTorch gives it
    unreduced = params.get("reduction") == "none" and out.dim() > 0
    value = out.detach().reshape(-1).tolist() if unreduced else out.item()
    if fix is not None:
        value, gs = fix(value, gs)
    dtype = next(d for (_, _, d) in inputs.values() if d != "int64")
    expect = {"value": tensor(value, list(out.shape), dtype) if unreduced else num(value)}
    if check_grad:
        expect["grad"] = {g: tensor(gs[g], inputs[g][1], inputs[g][2]) for g in grads}
    return {"id": cid, "loss": loss, "params": params,
            "inputs": {k: tensor(d, s, t) for k, (d, s, t) in inputs.items()},
            "expect": expect, "rtol": rtol, "atol": atol}


def refusal(cid, loss, inputs, params):
    return {"id": cid, "loss": loss, "params": params,
            "inputs": {k: tensor(d, s, t) for k, (d, s, t) in inputs.items()},
            "expect": {"error": "invalid_argument"}}


def reduce(terms, reduction):
    if reduction == "none":
        return terms
    return terms.sum() if reduction == "sum" else terms.mean()


def ids(loss):
    k = iter(range(1, 1000))
    return lambda: "%s-%03d" % (loss, next(k))


def log_py(x, y):
    """log softmax(x)_y per row, value and autograd gradient accurate when p_y is close to 1."""
    return torch.stack([log_p(x[i], y[i].item()) for i in range(x.shape[0])]) if x.shape[0] else x.sum(1)


def log_p(row, k):
    if torch.isnan(row).any() or row[k] < row.max():
        return torch.log_softmax(row, dim=0)[k]
    # the label is a maximum: −log1p(Σ_{j≠k} exp(x_j − x_k)), no overflow (every exponent ≤ 0) and no
    # cancellation in the value or in autograd's sums (log_softmax's log(1 + 1e-13), and its gradient
    # through the maximum, keep 3 digits of a confident row)
    others = torch.cat([row[:k], row[k + 1:]])
    return -torch.log1p(torch.exp(others - row[k]).sum())


def check_rows(x, y, t, term):
    """Each row's term t[i] against term(log p_y) in mpmath at the current precision (NaN rows stay NaN)."""
    for i in range(x.shape[0]):
        row = [mpmath.mpf(v) for v in x[i].tolist()]
        if any(mpmath.isnan(v) for v in row):
            assert math.isnan(t[i].item())
            continue
        mx = max(row)
        lse = mx + mpmath.log(mpmath.fsum(mpmath.exp(v - mx) for v in row))
        want = term(row[y[i].item()] - lse)
        assert abs(t[i].item() - want) <= 1e-12 * abs(want) + 1e-300, (i, t[i].item(), float(want))


def index_case(cid, loss, x, shape, y, params, reference, dtype="float64", **kw):
    """A case of logits [N, C] (or float32) and int64 class indices [N]."""
    inputs = {"input": (x, shape, dtype), "target": (y, [shape[0]], "int64")}
    return case(cid, loss, inputs, params or {}, reference, **kw)


def gauss(r, n, s=2.0):
    """n draws of N(0, s²) from the random.Random r (logits of the classification scripts)."""
    return [r.gauss(0, s) for _ in range(n)]


def labels(r, n, c):
    """n class indices in [0, c) from the random.Random r."""
    return [r.randrange(c) for _ in range(n)]

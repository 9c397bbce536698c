#!/usr/bin/python3
"""Reference cases of generalized_dice, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/generalized_dice.py
  writes core/src/test/resources/conformance/project/generalized_dice.jsonl (FORMAT.md).

Definition (CATALOG.md): MONAI's GeneralizedDiceLoss.forward (monai/losses/dice.py, with
compute_tp_fp_fn of monai/losses/utils.py; include_background=True, no activation,
soft_label=False), transcribed below in PyTorch float64 (Debian's python3-torch 1.13) with
autograd for the gradient. Two documented departures, both marked "CATALOG:":
  - MONAI computes the weights from ground_o.float() (float32); here in float64. Every case is
    also evaluated with the float32 weights and must agree to 1e-5 relative (checked below);
  - a term whose numerator and denominator are both 0 (both smooths 0 and an empty sample)
    counts as coefficient 1 (term 0, gradient 0), as dice; MONAI gives NaN.
"""
import math
import random

import torch

from common import counter, f32, from_torch, num, refusal, tensor, write

LOSS = "generalized_dice"


def monai_gdl(inp, target, w_type="square", smooth_nr=1e-5, smooth_dr=1e-5, batch=False, reduction="mean",
              float32_weights=False):
    reduce_axis = list(range(2, len(inp.shape)))
    if batch:
        reduce_axis = [0] + reduce_axis
    # compute_tp_fp_fn(ord=1, soft_label=False, decoupled=True); an empty axis list means no reduction here
    # (torch.sum(x, dim=[]) would reduce every dimension: CATALOG: a rank-2 [N, C] input is one position)
    s = (lambda t: torch.sum(t, dim=reduce_axis)) if reduce_axis else (lambda t: t)
    tp = s(inp * target)
    fp = s(inp) - tp
    fn = s(target) - tp
    fp = fp * 0.5
    fn = fn * 0.5
    denominator = 2 * (tp + fp + fn)
    ground_o = s(target)
    g = ground_o.float() if float32_weights else ground_o  # CATALOG: float64 weights
    if w_type == "simple":
        w = torch.reciprocal(g)
    elif w_type == "square":
        w = torch.reciprocal(g * g)
    else:
        w = torch.ones_like(g)
    w = w.double()
    infs = torch.isinf(w)
    w = w.clone()
    if batch:
        w[infs] = 0.0
        w = w + infs * torch.max(w)
    else:
        w[infs] = 0.0
        max_values = torch.max(w, dim=1)[0].unsqueeze(dim=1)
        w = w + infs * max_values
    final_reduce_dim = 0 if batch else 1
    numer = 2.0 * (tp * w).sum(final_reduce_dim, keepdim=True) + smooth_nr
    denom = (denominator * w).sum(final_reduce_dim, keepdim=True) + smooth_dr
    # CATALOG: 0/0 counts as coefficient 1 (MONAI: NaN)
    zero = (numer == 0) & (denom == 0)
    ratio = torch.where(zero, torch.ones_like(numer), numer / torch.where(zero, torch.ones_like(denom), denom))
    f = (1.0 - ratio).reshape(-1)
    if reduction == "mean":
        return f.mean()
    if reduction == "sum":
        return f.sum()
    return f


def case(cid, shape, p, g, params=None, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = params or {}
    if dtype == "float32":
        p, g = f32(p), f32(g)
    kw = {"w_type": params.get("weight_type", "square"), "smooth_nr": params.get("smooth_nr", 1e-5),
          "smooth_dr": params.get("smooth_dr", 1e-5), "batch": params.get("batch", False),
          "reduction": params.get("reduction", "mean")}
    pt = torch.tensor(p, dtype=torch.float64).reshape(shape).requires_grad_(True)
    gt = torch.tensor(g, dtype=torch.float64).reshape(shape)
    v = monai_gdl(pt, gt, **kw)
    # MONAI's own float32 weights move the result by float32 rounding only
    v32 = monai_gdl(pt.detach(), gt, float32_weights=True, **kw)
    assert torch.allclose(v.detach(), v32, rtol=1e-5, atol=1e-7, equal_nan=True), (cid, v, v32)
    expect = {"value": from_torch(v) if kw["reduction"] == "none" else num(v)}
    if grad:
        v.sum().backward()
        expect["grad"] = {"input": from_torch(pt.grad, dtype)}
    if dtype == "float32" and kw["reduction"] == "none":
        expect["value"]["dtype"] = "float32"
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(p, shape, dtype), "target": tensor(g, shape, dtype)},
            "expect": expect, "rtol": rtol, "atol": atol}


def probs(r, shape):
    z = torch.tensor([r.gauss(0, 1.5) for _ in range(math.prod(shape))], dtype=torch.float64).reshape(shape)
    return torch.softmax(z, dim=1).reshape(-1).tolist()


def onehot(r, shape, present=None):
    """One-hot along dimension 1; labels drawn from `present` (default all classes)."""
    n, c = shape[0], shape[1]
    s = math.prod(shape[2:])
    classes = present if present is not None else list(range(c))
    out = [0.0] * math.prod(shape)
    for i in range(n):
        for q in range(s):
            out[(i * c + r.choice(classes)) * s + q] = 1.0
    return out


def cases():
    r = random.Random(20261209)
    out = []
    cid = counter(LOSS)
    shape = [2, 3, 4, 4]
    p, g = probs(r, shape), onehot(r, shape)
    # defaults, each weight type, batch, each reduction
    out.append(case(cid(), shape, p, g))
    for wt in ("simple", "uniform"):
        out.append(case(cid(), shape, p, g, {"weight_type": wt}))
    out.append(case(cid(), shape, p, g, {"batch": True}))
    out.append(case(cid(), shape, p, g, {"batch": True, "weight_type": "simple"}))
    for red in ("sum", "none"):
        out.append(case(cid(), shape, p, g, {"reduction": red}))
        out.append(case(cid(), shape, p, g, {"reduction": red, "batch": True}))
    # smooths
    out.append(case(cid(), shape, p, g, {"smooth_nr": 0.0, "smooth_dr": 0.0}))
    out.append(case(cid(), shape, p, g, {"smooth_nr": 1.0, "smooth_dr": 1.0, "weight_type": "uniform"}))
    out.append(case(cid(), shape, p, g, {"smooth_nr": 0.0, "smooth_dr": 0.5}))
    # a class absent from one sample's target: its infinite weight becomes that sample's largest
    shape = [3, 3, 5]
    p = probs(r, shape)
    g = onehot(r, [1, 3, 5]) + onehot(r, [1, 3, 5], present=[0, 2]) + onehot(r, [1, 3, 5], present=[1])
    for params in ({}, {"weight_type": "simple"}, {"batch": True}, {"reduction": "none"}):
        out.append(case(cid(), shape, p, g, params))
    # a sample with an empty target (every class absent: all weights 0, term 1 − s_nr/s_dr)
    g = onehot(r, [1, 3, 5]) + [0.0] * 15 + onehot(r, [1, 3, 5])
    out.append(case(cid(), shape, p, g, {"reduction": "none"}))
    out.append(case(cid(), shape, p, g, {"smooth_nr": 0.0, "smooth_dr": 1e-3, "reduction": "none"}))
    # ... and with both smooths 0 an empty sample predicted empty is 0/0: coefficient 1
    p0 = list(p)
    for i in range(15, 30):
        p0[i] = 0.0
    out.append(case(cid(), shape, p0, g, {"smooth_nr": 0.0, "smooth_dr": 0.0, "reduction": "none"}))
    # soft targets
    shape = [2, 2, 6]
    out.append(case(cid(), shape, probs(r, shape), [r.random() for _ in range(24)]))
    out.append(case(cid(), shape, probs(r, shape), [r.random() for _ in range(24)], {"weight_type": "simple",
                                                                                      "batch": True}))
    # other ranks: [N, C] (one position), [N, C, D, H, W]
    shape = [4, 3]
    out.append(case(cid(), shape, probs(r, shape), onehot(r, shape), {"weight_type": "uniform"}))
    shape = [1, 2, 2, 3, 2]
    out.append(case(cid(), shape, probs(r, shape), onehot(r, shape)))
    # probabilities exactly 0 and 1 (a perfect prediction: loss s_nr, s_dr close to 0)
    shape = [2, 3, 4]
    g = onehot(r, shape)
    out.append(case(cid(), shape, list(g), g))
    # a larger batch
    shape = [2, 4, 8, 8]
    out.append(case(cid(), shape, probs(r, shape), onehot(r, shape, present=[0, 1, 3])))
    # float32 (the region sums of float32 data are float lanes, then float64: 2e-5 as the shared region cases)
    shape = [2, 3, 4, 4]
    p, g = probs(r, shape), onehot(r, shape)
    out.append(case(cid(), shape, p, g, dtype="float32", rtol=2e-5, atol=1e-6))
    out.append(case(cid(), shape, p, g, {"batch": True, "reduction": "none"}, dtype="float32", rtol=2e-5, atol=1e-6))
    # an empty batch: sum 0, none no terms (mean refused below)
    out.append(case(cid(), [0, 3, 4], [], [], {"reduction": "sum"}))
    out.append(case(cid(), [0, 3, 4], [], [], {"reduction": "none"}))
    # NaN in, NaN out
    shape = [2, 3, 4]
    p = probs(r, shape)
    p[2] = float("nan")
    out.append(case(cid(), shape, p, onehot(r, shape), grad=False))
    # refusals
    ok = lambda shape: {"input": tensor(probs(r, shape), shape), "target": tensor(onehot(r, shape), shape)}
    out.append(refusal(cid(), LOSS, {}, {"input": tensor(probs(r, [2, 3, 4]), [2, 3, 4]),
                                         "target": tensor(onehot(r, [2, 3, 5]), [2, 3, 5])}))
    bad = ok([2, 3, 4])
    bad["input"]["data"][3] = 1.25
    out.append(refusal(cid(), LOSS, {}, bad))
    bad = ok([2, 3, 4])
    bad["target"]["data"][10] = -0.5
    out.append(refusal(cid(), LOSS, {}, bad))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([0.2, 0.4, 0.6], [3]), "target": tensor([0.0, 1.0, 0.0], [3])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [0, 3, 4]), "target": tensor([], [0, 3, 4])}))
    out.append(refusal(cid(), LOSS, {"weight_type": "log"}, ok([2, 3, 4])))
    out.append(refusal(cid(), LOSS, {"smooth_nr": -1.0}, ok([2, 3, 4])))
    out.append(refusal(cid(), LOSS, {"smooth_dr": 2e15}, ok([2, 3, 4])))
    out.append(refusal(cid(), LOSS, {"reduction": "batchmean"}, ok([2, 3, 4])))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

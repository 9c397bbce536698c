#!/usr/bin/python3
"""Reference cases of dice's log option, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/dice.py
  writes core/src/test/resources/conformance/project/dice.jsonl (FORMAT.md). The shared
  segmentation.jsonl has dice's other cases (log false, the default).

Definition (CATALOG.md): the dice coefficient D of each group of `average` (global, class,
sample_class), (2Σpg + s)/(Σp + Σg + s) or with squared the denominator Σp² + Σg² + s, 0/0
counting as 1; with log the loss is the mean over the groups of −log(clamp_min(D, 1e-7)),
segmentation_models_pytorch's DiceLoss(log_loss=True) outer function
(segmentation_models_pytorch/losses/dice.py: `-torch.log(scores.clamp_min(self.eps))`, eps 1e-7).
PyTorch float64 (Debian's python3-torch 1.13), autograd for the gradient.
"""
import random

import torch

from common import counter, expectation, f32, refusal, tensor, write

LOSS = "dice"
EPS = 1e-7


def dice_log(p, g, average="global", smooth=1.0, squared=False):
    n, c = p.shape[0], p.shape[1]
    p3 = p.reshape(n, c, -1)
    g3 = g.reshape(n, c, -1)
    dims = {"global": (0, 1, 2), "class": (0, 2), "sample_class": (2,)}[average]
    inter = (p3 * g3).sum(dims)
    den = ((p3 * p3).sum(dims) + (g3 * g3).sum(dims)) if squared else (p3.sum(dims) + g3.sum(dims))
    num_ = 2 * inter + smooth
    den = den + smooth
    empty = (num_ == 0) & (den == 0)  # an empty mask predicted empty counts as D = 1 (CATALOG.md)
    d = torch.where(empty, torch.ones_like(num_), num_ / torch.where(empty, torch.ones_like(den), den))
    return (-torch.log(d.clamp_min(EPS))).mean()


def case(cid, shape, p, g, params, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = dict(params, log=True)
    if dtype == "float32":
        p, g = f32(p), f32(g)
    pt = torch.tensor(p, dtype=torch.float64).reshape(shape).requires_grad_(True)
    gt = torch.tensor(g, dtype=torch.float64).reshape(shape)
    v = dice_log(pt, gt, params.get("average", "global"), params.get("smooth", 1.0), params.get("squared", False))
    expect = expectation(v, pt, dtype, grad)
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(p, shape, dtype), "target": tensor(g, shape, dtype)},
            "expect": expect, "rtol": rtol, "atol": atol}


def uniform(r, n, lo=0.05, hi=0.95):
    return [r.uniform(lo, hi) for _ in range(n)]


def binary(r, n):
    return [float(r.random() < 0.4) for _ in range(n)]


def cases():
    r = random.Random(20261211)
    out = []
    cid = lambda k=counter("dice-log"): k()
    shape = [2, 3, 4, 4]
    p, g = uniform(r, 96), binary(r, 96)
    for avg in ("global", "class", "sample_class"):
        for sq in (False, True):
            out.append(case(cid(), shape, p, g, {"average": avg, "squared": sq}))
    for s in (0.0, 0.3):
        out.append(case(cid(), shape, p, g, {"smooth": s, "average": "sample_class"}))
    # soft targets, other ranks
    out.append(case(cid(), [3, 2, 5], uniform(r, 30), uniform(r, 30, 0, 1), {"average": "class"}))
    out.append(case(cid(), [4, 1], uniform(r, 4), binary(r, 4), {"average": "sample_class", "smooth": 0.5}))
    # a coefficient below 1e-7 (smooth 0, foreground predicted ~0): clamped, its gradient 0
    p = [1e-9, 0.9, 0.8, 0.7, 0.3, 0.6, 0.2, 0.9]
    g = [1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    out.append(case(cid(), [1, 2, 4], p, g, {"smooth": 0.0, "average": "class"}))
    out.append(case(cid(), [1, 2, 4], p, g, {"smooth": 0.0, "average": "class", "squared": True}))
    # D = 0 exactly (no overlap, smooth 0): −log(1e-7)
    out.append(case(cid(), [1, 1, 4], [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0], {"smooth": 0.0}))
    # an empty mask predicted empty with smooth 0: D = 1, loss 0 for that group
    p = [0.0, 0.0, 0.0, 0.0, 0.6, 0.3, 0.8, 0.1]
    g = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    out.append(case(cid(), [1, 2, 4], p, g, {"smooth": 0.0, "average": "class"}))
    # a perfect mask: loss 0
    g = binary(r, 12)
    out.append(case(cid(), [2, 2, 3], list(g), g, {"average": "sample_class"}))
    # float32 (float lanes in the region sums: 2e-5 as the shared region cases)
    p, g = uniform(r, 96), binary(r, 96)
    out.append(case(cid(), shape, p, g, {"average": "class"}, dtype="float32", rtol=2e-5, atol=1e-6))
    out.append(case(cid(), shape, p, g, {"squared": True}, dtype="float32", rtol=2e-5, atol=1e-6))
    # NaN in, NaN out
    p = uniform(r, 8)
    p[1] = float("nan")
    out.append(case(cid(), [1, 2, 4], p, binary(r, 8), {}, grad=False))
    # refusals
    ok = {"input": tensor(uniform(r, 8), [1, 2, 4]), "target": tensor(binary(r, 8), [1, 2, 4])}
    out.append(refusal(cid(), LOSS, {"log": "yes"}, ok))
    out.append(refusal(cid(), LOSS, {"log": 1.5}, ok))
    bad = {"input": tensor(uniform(r, 8), [1, 2, 4]), "target": tensor(binary(r, 8), [1, 2, 4])}
    bad["input"]["data"][2] = 1.5
    out.append(refusal(cid(), LOSS, {"log": True}, bad))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

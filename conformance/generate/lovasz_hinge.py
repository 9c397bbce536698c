#!/usr/bin/python3
"""Reference cases of lovasz_hinge, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/lovasz_hinge.py
  writes core/src/test/resources/conformance/project/lovasz_hinge.jsonl (FORMAT.md).

Definition (CATALOG.md): the authors' lovasz_hinge (Berman et al. 2018), per_image True by
default as there. Value and gradient: lovasz_reference.py (a transcription of the authors'
pytorch/lovasz_losses.py) in PyTorch float64 (Debian's python3-torch 1.13) with autograd.
Gradients are given only where no two errors tie (random logits); the cases with ties check
the value alone (it does not depend on the order of tied errors, the gradient does).
"""
import math
import random

import torch

from common import counter, expectation, f32, refusal, tensor, write
from lovasz_reference import lovasz_hinge

LOSS = "lovasz_hinge"


def case(cid, shape, x, y, params=None, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = params or {}
    if dtype == "float32":
        x, y = f32(x), f32(y)
    xt = torch.tensor(x, dtype=torch.float64).reshape(shape).requires_grad_(True)
    yt = torch.tensor(y, dtype=torch.float64).reshape(shape)
    n = shape[0] if len(shape) > 0 else 1
    # the reference reads dimension 0 as the images; [N] is N one-pixel images
    xv, yv = (xt.reshape(n, -1), yt.reshape(n, -1))
    v = lovasz_hinge(xv, yv, per_image=params.get("per_image", True))
    expect = expectation(v, xt, dtype, grad)
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(x, shape, dtype), "target": tensor(y, shape, dtype)},
            "expect": expect, "rtol": rtol, "atol": atol}


def gauss(r, n, s=2.0):
    return [r.gauss(0, s) for _ in range(n)]


def binary(r, n):
    return [float(r.random() < 0.5) for _ in range(n)]


def cases():
    r = random.Random(20261207)
    out = []
    cid = counter(LOSS)
    # defaults (per_image) and per_image false, several ranks
    for shape in ([2, 3, 4], [3, 7], [2, 2, 3, 2], [1, 5, 5]):
        size = math.prod(shape)
        x, y = gauss(r, size), binary(r, size)
        out.append(case(cid(), shape, x, y))
        out.append(case(cid(), shape, x, y, {"per_image": False}))
    # [N]: N one-pixel images (per_image) or one group of N pixels
    x, y = gauss(r, 6), binary(r, 6)
    out.append(case(cid(), [6], x, y))
    out.append(case(cid(), [6], x, y, {"per_image": False}))
    # an image with no foreground, one with only foreground, one mixed
    x = gauss(r, 30)
    y = [0.0] * 10 + [1.0] * 10 + binary(r, 10)
    out.append(case(cid(), [3, 10], x, y))
    out.append(case(cid(), [3, 10], x, y, {"per_image": False}))
    # every margin met (errors < 0): loss 0, gradient 0
    y = binary(r, 12)
    x = [(2 * g - 1) * (1.5 + r.random()) for g in y]
    out.append(case(cid(), [2, 6], x, y))
    # errors exactly 0 at some pixels (x = ±1 on the right side): relu's derivative is 0 there
    y = binary(r, 10)
    x = [(2 * g - 1) * 1.0 if i % 3 == 0 else r.gauss(0, 2) for i, g in enumerate(y)]
    out.append(case(cid(), [2, 5], x, y))
    out.append(case(cid(), [2, 5], x, y, {"per_image": False}))
    # large logits: ±1e4 and ±1e150 (the loss grows linearly)
    y = binary(r, 8)
    x = [s * m for s, m in zip([r.choice((-1, 1)) for _ in range(8)], [1e4, 2e4, 1e150, 3.5, -0.5, 1e4 + 1, 7e3, 2.0])]
    out.append(case(cid(), [2, 4], x, y))
    out.append(case(cid(), [2, 4], x, y, {"per_image": False}, rtol=1e-12, atol=0.0))
    # a larger image batch
    x, y = gauss(r, 3 * 16 * 16), binary(r, 3 * 16 * 16)
    out.append(case(cid(), [3, 16, 16], x, y))
    out.append(case(cid(), [3, 16, 16], x, y, {"per_image": False}))
    # float32
    x, y = gauss(r, 24), binary(r, 24)
    out.append(case(cid(), [2, 3, 4], x, y, dtype="float32", rtol=1e-6, atol=1e-7))
    out.append(case(cid(), [2, 3, 4], x, y, {"per_image": False}, dtype="float32", rtol=1e-6, atol=1e-7))
    # ties: equal logits (value only: any order of tied errors gives it)
    y = binary(r, 12)
    out.append(case(cid(), [2, 6], [0.5] * 12, y, grad=False))
    out.append(case(cid(), [2, 6], [0.25, -0.25] * 6, y, {"per_image": False}, grad=False))
    # NaN in, NaN out
    x = gauss(r, 8)
    x[3] = float("nan")
    out.append(case(cid(), [2, 4], x, binary(r, 8), grad=False))
    # refusals
    ok = lambda shape: {"input": tensor(gauss(r, math.prod(shape)), shape),
                        "target": tensor(binary(r, math.prod(shape)), shape)}
    bad_target = ok([2, 4])
    bad_target["target"]["data"][5] = 0.5
    out.append(refusal(cid(), LOSS, {}, bad_target))
    bad_target = ok([2, 4])
    bad_target["target"]["data"][0] = -1.0
    out.append(refusal(cid(), LOSS, {}, bad_target))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor(gauss(r, 8), [2, 4]), "target": tensor(binary(r, 8), [4, 2])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([0.5], []), "target": tensor([1.0], [])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [0, 3]), "target": tensor([], [0, 3])}))
    out.append(refusal(cid(), LOSS, {"per_image": "yes"}, ok([2, 3])))
    out.append(refusal(cid(), LOSS, {"reduction": "sum"}, ok([2, 3])))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

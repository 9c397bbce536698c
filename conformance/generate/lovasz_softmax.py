#!/usr/bin/python3
"""Reference cases of lovasz_softmax, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/lovasz_softmax.py
  writes core/src/test/resources/conformance/project/lovasz_softmax.jsonl (FORMAT.md).

Definition (CATALOG.md): the authors' lovasz_softmax (Berman et al. 2018) with its defaults
classes='present', per_image=False, ignore=None (here ignore_index). Value and gradient:
lovasz_reference.py (a transcription of the authors' pytorch/lovasz_losses.py) in PyTorch
float64 (Debian's python3-torch 1.13) with autograd. Probabilities are softmax outputs of
random logits, so no two errors of a class tie where a gradient is expected; the cases with
ties check the value alone.
"""
import math
import random

import torch

from common import counter, expectation, f32, refusal, tensor, write
from lovasz_reference import lovasz_softmax

LOSS = "lovasz_softmax"


def case(cid, shape, p, labels, params=None, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = params or {}
    if dtype == "float32":
        p = f32(p)
    lshape = [shape[0]] + shape[2:]
    pt = torch.tensor(p, dtype=torch.float64).reshape(shape).requires_grad_(True)
    lt = torch.tensor(labels, dtype=torch.int64).reshape(lshape)
    v = lovasz_softmax(pt, lt, classes=params.get("classes", "present"), per_image=params.get("per_image", False),
                       ignore=params.get("ignore_index"))
    expect = expectation(v, pt, dtype, grad)
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(p, shape, dtype), "target": tensor(labels, lshape, "int64")},
            "expect": expect, "rtol": rtol, "atol": atol}


def softmax(r, shape, scale=1.5):
    """Softmax over dimension 1 of random normal logits, flat row-major."""
    z = torch.tensor([r.gauss(0, scale) for _ in range(math.prod(shape))], dtype=torch.float64).reshape(shape)
    return torch.softmax(z, dim=1).reshape(-1).tolist()


def labels(r, n, c):
    return [r.randrange(c) for _ in range(n)]


def cases():
    r = random.Random(20261208)
    out = []
    cid = counter(LOSS)
    # every combination of classes and per_image on [2, 4, 3, 3]
    shape = [2, 4, 3, 3]
    p, y = softmax(r, shape), labels(r, 18, 4)
    for params in ({}, {"classes": "all"}, {"per_image": True}, {"per_image": True, "classes": "all"}):
        out.append(case(cid(), shape, p, y, params))
    # a class absent from the labels (present skips it, all counts it)
    shape = [2, 3, 2, 4]
    p = softmax(r, shape)
    y = [r.choice((0, 2)) for _ in range(16)]
    for params in ({}, {"classes": "all"}, {"per_image": True}, {"per_image": True, "classes": "all"}):
        out.append(case(cid(), shape, p, y, params))
    # other ranks: [N, C] (one pixel per image), [N, C, L], [N, C, D, H, W]; C = 2
    out.append(case(cid(), [5, 3], softmax(r, [5, 3]), labels(r, 5, 3)))
    out.append(case(cid(), [5, 3], softmax(r, [5, 3]), labels(r, 5, 3), {"per_image": True}))
    out.append(case(cid(), [3, 2, 7], softmax(r, [3, 2, 7]), labels(r, 21, 2)))
    out.append(case(cid(), [1, 3, 2, 2, 3], softmax(r, [1, 3, 2, 2, 3]), labels(r, 12, 3), {"classes": "all"}))
    # ignore_index: a few pixels left out; an image with every pixel ignored (value 0, still in the mean)
    shape = [3, 3, 2, 3]
    p = softmax(r, shape)
    y = labels(r, 18, 3)
    for i in (1, 4, 9, 10):
        y[i] = 255
    out.append(case(cid(), shape, p, y, {"ignore_index": 255}))
    out.append(case(cid(), shape, p, y, {"ignore_index": 255, "per_image": True}))
    y2 = list(y)
    for i in range(6, 12):
        y2[i] = -1
    out.append(case(cid(), shape, p, [v if v != 255 else 0 for v in y2], {"ignore_index": -1, "per_image": True}))
    out.append(case(cid(), shape, p, [v if v != 255 else 0 for v in y2], {"ignore_index": -1, "classes": "all"}))
    # every pixel ignored: 0 with gradient 0
    out.append(case(cid(), [2, 2, 2], softmax(r, [2, 2, 2]), [7] * 4, {"ignore_index": 7}))
    # a perfect one-hot prediction: every error 0, loss 0, gradient 0 (|·|' = 0 at 0)
    y = labels(r, 8, 3)
    onehot = [1.0 if y[(i // (3 * 4)) * 4 + i % 4] == (i // 4) % 3 else 0.0 for i in range(2 * 3 * 4)]
    out.append(case(cid(), [2, 3, 4], onehot, y))
    # probabilities at exactly 0 and 1 for some pixels, soft elsewhere
    shape = [2, 3, 4]
    p = softmax(r, shape)
    y = labels(r, 8, 3)
    for q in (0, 5):  # pixel q of its image: one-hot at its label
        i, s = divmod(q, 4)
        for c in range(3):
            p[(i * 3 + c) * 4 + s] = 1.0 if c == y[q] else 0.0
    out.append(case(cid(), shape, p, y))
    # a larger image batch
    shape = [2, 5, 8, 8]
    p, y = softmax(r, shape, 2.5), labels(r, 128, 5)
    out.append(case(cid(), shape, p, y))
    out.append(case(cid(), shape, p, y, {"per_image": True}))
    # float32
    shape = [2, 3, 3, 3]
    p, y = softmax(r, shape), labels(r, 18, 3)
    out.append(case(cid(), shape, p, y, dtype="float32", rtol=1e-6, atol=1e-7))
    out.append(case(cid(), shape, p, y, {"per_image": True, "classes": "all"}, dtype="float32", rtol=1e-6,
                    atol=1e-7))
    # ties: uniform probabilities (value only)
    out.append(case(cid(), [2, 4, 3], [0.25] * 24, labels(r, 6, 4), grad=False))
    out.append(case(cid(), [2, 4, 3], [0.25] * 24, labels(r, 6, 4), {"per_image": True, "classes": "all"}, grad=False))
    # NaN in, NaN out
    p = softmax(r, [2, 3, 4])
    p[5] = float("nan")
    out.append(case(cid(), [2, 3, 4], p, labels(r, 8, 3), grad=False))
    # refusals
    ok_p = lambda shape: tensor(softmax(r, shape), shape)
    out.append(refusal(cid(), LOSS, {}, {"input": ok_p([2, 3, 4]), "target": tensor([0, 1, 2, 3, 0, 1, 2, 0], [2, 4],
                                                                                     "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": ok_p([2, 3, 4]), "target": tensor([0, 1, -1, 2, 0, 1, 2, 0], [2, 4],
                                                                                     "int64")}))
    out.append(refusal(cid(), LOSS, {"ignore_index": 255},
                       {"input": ok_p([2, 3, 4]), "target": tensor([0, 1, 255, 254, 0, 1, 2, 0], [2, 4], "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": ok_p([2, 3, 4]), "target": tensor([0] * 8, [2, 2, 2], "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": ok_p([2, 3, 4]), "target": tensor([0] * 12, [3, 4], "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([1.0] * 8, [2, 1, 4]), "target": tensor([0] * 8, [2, 4],
                                                                                                  "int64")}))
    bad = ok_p([2, 3, 4])
    bad["data"][7] = 1.5
    out.append(refusal(cid(), LOSS, {}, {"input": bad, "target": tensor(labels(r, 8, 3), [2, 4], "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": ok_p([2, 3, 4]), "target": tensor([0.0] * 8, [2, 4])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([0.5], [1]), "target": tensor([0], [], "int64")}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [0, 3, 2]), "target": tensor([], [0, 2], "int64")}))
    out.append(refusal(cid(), LOSS, {"classes": [0, 1]}, {"input": ok_p([2, 3, 4]),
                                                          "target": tensor(labels(r, 8, 3), [2, 4], "int64")}))
    out.append(refusal(cid(), LOSS, {"ignore_index": 1.5}, {"input": ok_p([2, 3, 4]),
                                                            "target": tensor(labels(r, 8, 3), [2, 4], "int64")}))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

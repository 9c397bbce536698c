#!/usr/bin/python3
"""Reference cases of psnr, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/psnr.py
  writes core/src/test/resources/conformance/project/psnr.jsonl (FORMAT.md).

Definition (CATALOG.md): kornia's psnr_loss / PSNRLoss, −kornia.metrics.psnr, i.e.
−10·log10(max_val² / mse(image, target, reduction="mean")) with the MSE over the whole tensor
(kornia/losses/psnr.py, kornia/metrics/psnr.py), transcribed below in PyTorch float64
(Debian's python3-torch 1.13) with autograd for the gradient. Where input equals target kornia
returns −inf; the catalog refuses that call (a refusal case below).

Every case is also evaluated with mpmath (Debian's python3-mpmath) at 60 digits, the value by
the same formula and each gradient element by mpmath's numerical differentiation (mpmath.diff)
of it; the two must agree where float64 autograd is finite. Autograd of the formula as written
overflows where mse² underflows (residuals near 1e-150: d(L²/mse)/dmse = −L²/mse²) and
underflows to 0 where mse² overflows (residuals near 1e150): only there is mpmath's gradient
taken.
"""
import math
import random

import mpmath
import torch

from common import counter, f32, num, refusal, tensor, write

LOSS = "psnr"


def kornia_psnr_loss(image, target, max_val):
    mse = torch.mean((image - target) ** 2)
    return -1.0 * (10.0 * torch.log10(max_val ** 2 / mse))


mpmath.mp.dps = 60


def mp_value(x, y, max_val, at=None):
    """−10·log10(L²/mean (x − y)²) in mpmath; element `at` of x replaced by the mpf `at[1]`."""
    xs = [mpmath.mpf(v) for v in x]
    if at is not None:
        xs[at[0]] = at[1]
    mse = mpmath.fsum((a - mpmath.mpf(b)) ** 2 for a, b in zip(xs, y)) / len(xs)
    return -10 * mpmath.log10(mpmath.mpf(max_val) ** 2 / mse)


def mp_grad(x, y, max_val):
    """Each ∂/∂x_i by mpmath.diff, with a step relative to the residuals' scale."""
    scale = max(abs(mpmath.mpf(a) - mpmath.mpf(b)) for a, b in zip(x, y))
    return [float(mpmath.diff(lambda t: mp_value(x, y, max_val, (i, t)), mpmath.mpf(x[i]), h=scale * mpmath.mpf(10) ** -20))
            for i in range(len(x))]


def case(cid, shape, x, y, params=None, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = params or {}
    if dtype == "float32":
        x, y = f32(x), f32(y)
    xt = torch.tensor(x, dtype=torch.float64).reshape(shape).requires_grad_(True)
    yt = torch.tensor(y, dtype=torch.float64).reshape(shape)
    mv = params.get("max_val", 1.0)
    v = kornia_psnr_loss(xt, yt, mv)
    expect = {"value": num(v)}
    if grad:
        v.backward()
        g = xt.grad.reshape(-1).tolist()
        mg = mp_grad(x, y, mv)
        if not all(math.isfinite(a) and abs(a - b) <= 1e-9 * abs(b) for a, b in zip(g, mg)):
            mse = float(torch.mean((xt - yt) ** 2))
            assert mse < 1e-150 or mse > 1e150, (cid, g, mg)
            g = mg
        assert abs(float(v) - mp_value(x, y, mv)) <= 1e-12 * abs(float(v)), cid
        expect["grad"] = {"input": tensor(g, shape, dtype)}
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(x, shape, dtype), "target": tensor(y, shape, dtype)},
            "expect": expect, "rtol": rtol, "atol": atol}


def uniform(r, n, lo=0.0, hi=1.0):
    return [r.uniform(lo, hi) for _ in range(n)]


def cases():
    r = random.Random(20261210)
    out = []
    cid = counter(LOSS)
    # kornia's docstring example: psnr_loss(ones, 1.2 * ones, 2.) = −20
    out.append(case(cid(), [1], [1.0], [1.2], {"max_val": 2.0}))
    # images in [0, 1]: the default max_val, several shapes (the MSE is over the whole tensor)
    for shape in ([2, 3, 4, 4], [5], [3, 7], [1, 1, 2, 2], []):
        size = math.prod(shape)
        out.append(case(cid(), shape, uniform(r, size), uniform(r, size)))
    # a noisy copy of an image (PSNR about 30 dB)
    y = uniform(r, 48)
    out.append(case(cid(), [1, 3, 4, 4], [v + r.gauss(0, 0.03) for v in y], y))
    # 8-bit range with max_val 255, and other max_val
    y = [float(r.randrange(256)) for _ in range(32)]
    out.append(case(cid(), [2, 1, 4, 4], [min(255.0, max(0.0, v + r.gauss(0, 5))) for v in y], y, {"max_val": 255.0}))
    for mv in (2.0, 1e-3, 1e6):
        out.append(case(cid(), [2, 5], uniform(r, 10), uniform(r, 10), {"max_val": mv}))
    # one element differs, the others equal
    y = uniform(r, 12)
    x = list(y)
    x[7] += 0.5
    out.append(case(cid(), [3, 4], x, y))
    # tiny and huge differences: 1e-6 (PSNR 120 dB), 1e-150 residuals, 1e150 residuals
    y = uniform(r, 6)
    out.append(case(cid(), [6], [v + 1e-6 * r.choice((-1, 1)) for v in y], y))
    out.append(case(cid(), [3], [1e-150, -2e-150, 3e-150], [0.0, 0.0, 0.0]))
    out.append(case(cid(), [3], [1e150, -2e150, 0.5], [0.0, 0.0, 0.5]))
    # float32
    y = uniform(r, 24)
    out.append(case(cid(), [2, 3, 4], [v + r.gauss(0, 0.1) for v in y], y, dtype="float32", rtol=1e-6, atol=1e-7))
    out.append(case(cid(), [2, 3, 4], uniform(r, 24, 0, 255), uniform(r, 24, 0, 255), {"max_val": 255.0},
                    dtype="float32", rtol=1e-6, atol=1e-7))
    # NaN in, NaN out
    out.append(case(cid(), [3], [0.5, float("nan"), 0.1], [0.2, 0.3, 0.4], grad=False))
    # refusals: input equals target (MSE 0: kornia's −inf), shapes, empty, max_val
    y = uniform(r, 8)
    out.append(refusal(cid(), LOSS, {}, {"input": tensor(y, [2, 4]), "target": tensor(y, [2, 4])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor(uniform(r, 8), [2, 4]), "target": tensor(uniform(r, 8), [4, 2])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [0, 3]), "target": tensor([], [0, 3])}))
    ok = {"input": tensor(uniform(r, 4), [4]), "target": tensor(uniform(r, 4), [4])}
    out.append(refusal(cid(), LOSS, {"max_val": 0.0}, ok))
    out.append(refusal(cid(), LOSS, {"max_val": -1.0}, ok))
    out.append(refusal(cid(), LOSS, {"reduction": "mean"}, ok))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

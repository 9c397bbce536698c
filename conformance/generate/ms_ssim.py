#!/usr/bin/python3
"""Reference cases of ms_ssim, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/ms_ssim.py
  writes core/src/test/resources/conformance/project/ms_ssim.jsonl (FORMAT.md).

Definition (CATALOG.md): kornia's MS_SSIMLoss (kornia/losses/ms_ssim.py, kornia at
b4f5a78a of 2026-08-18, itself "based on https://github.com/psyrocloud/MS-SSIM_L1_LOSS"),
its __init__ and forward transcribed below in PyTorch float64 (Debian's python3-torch 1.13)
with autograd for the gradient: the same grouped F.conv2d calls, so the channel/σ pairing of
kornia's 3·len(sigmas) masks under groups=C is PyTorch's own, not re-derived here. One
documented departure, marked "CATALOG:":
  - kornia builds its Gaussian masks once in float32 (torch.zeros's default dtype; a float64
    call needs module.double(), which widens those float32 values); here they are computed in
    float64. Every value case is also evaluated with kornia's float32 masks widened to float64
    and must agree to 1e-5 relative (checked below; the float32 masks are off by ~1e-7).
The options are named as losses4j names them: kornia's K = (k1, k2) tuple is k1 and k2 (as
ssim's), the others keep kornia's names (sigmas, data_range, alpha, compensation, reduction).
"""
import random

import torch
import torch.nn.functional as F

from common import counter, f32, from_torch, num, refusal, tensor, write

LOSS = "ms_ssim"
DEFAULTS = {"sigmas": (0.5, 1.0, 2.0, 4.0, 8.0), "data_range": 1.0, "k1": 0.01, "k2": 0.03, "alpha": 0.025,
            "compensation": 200.0, "reduction": "mean"}


def fspecial_gauss_1d(size, sigma, dtype):
    # kornia's _fspecial_gauss_1d: integer coordinates centred on size // 2 (for an even size the window is
    # one tap longer on the left), exp(−d²/(2σ²)) normalised to sum 1
    coords = torch.arange(size)
    coords -= size // 2
    g = torch.exp(-(coords ** 2).to(dtype) / (2 * sigma ** 2))
    g /= g.sum()
    return g.reshape(-1)


def g_masks_of(sigmas, float32_masks=False):
    # kornia's __init__: 3 copies of the 2-D mask of each σ, in the order of sigmas, all of the size of the
    # LAST σ (not the largest): filter_size = int(4σ_last + 1), padding int(2σ_last)
    filter_size = int(4 * sigmas[-1] + 1)
    dtype = torch.float32 if float32_masks else torch.float64  # CATALOG: float64 masks (kornia: float32)
    g_masks = torch.zeros((3 * len(sigmas), 1, filter_size, filter_size), dtype=dtype)
    for idx, sigma in enumerate(sigmas):
        g = fspecial_gauss_1d(filter_size, sigma, dtype)
        for k in range(3):
            g_masks[3 * idx + k, 0, :, :] = torch.outer(g, g)
    return g_masks.to(torch.float64)


def kornia_ms_ssim_loss(img1, img2, p, float32_masks=False):
    sigmas = tuple(p["sigmas"])
    DR = p["data_range"]
    C1 = (p["k1"] * DR) ** 2
    C2 = (p["k2"] * DR) ** 2
    pad = int(2 * sigmas[-1])
    g_masks = g_masks_of(sigmas, float32_masks)
    CH = img1.shape[-3]
    mux = F.conv2d(img1, g_masks, groups=CH, padding=pad)
    muy = F.conv2d(img2, g_masks, groups=CH, padding=pad)
    mux2 = mux * mux
    muy2 = muy * muy
    muxy = mux * muy
    sigmax2 = F.conv2d(img1 * img1, g_masks, groups=CH, padding=pad) - mux2
    sigmay2 = F.conv2d(img2 * img2, g_masks, groups=CH, padding=pad) - muy2
    sigmaxy = F.conv2d(img1 * img2, g_masks, groups=CH, padding=pad) - muxy
    lc = (2 * muxy + C1) / (mux2 + muy2 + C1)
    cs = (2 * sigmaxy + C2) / (sigmax2 + sigmay2 + C2)
    lM = lc[:, -1, :, :] * lc[:, -2, :, :] * lc[:, -3, :, :]
    PIcs = cs.prod(dim=1)
    loss_ms_ssim = 1 - lM * PIcs
    loss_l1 = F.l1_loss(img1, img2, reduction="none")
    gaussian_l1 = F.conv2d(loss_l1, g_masks[-CH:], groups=CH, padding=pad).mean(1)
    loss = p["alpha"] * loss_ms_ssim + (1 - p["alpha"]) * gaussian_l1 / DR
    loss = p["compensation"] * loss
    if p["reduction"] == "mean":
        return torch.mean(loss)
    if p["reduction"] == "sum":
        return torch.sum(loss)
    return loss


def full(params):
    p = dict(DEFAULTS)
    p.update(params)
    return p


def case(cid, shape, x, y, params=None, dtype="float64", grad=True, rtol=1e-9, atol=1e-12):
    params = params or {}
    if dtype == "float32":
        x, y = f32(x), f32(y)
    p = full(params)
    xt = torch.tensor(x, dtype=torch.float64).reshape(shape).requires_grad_(True)
    yt = torch.tensor(y, dtype=torch.float64).reshape(shape)
    out = kornia_ms_ssim_loss(xt, yt, p)
    unreduced = p["reduction"] == "none"
    value = from_torch(out, dtype) if unreduced else num(out.item())
    # kornia's own float32 masks give the same values to ~1e-7 (the one departure, see the module comment)
    with torch.no_grad():
        k32 = kornia_ms_ssim_loss(xt, yt, p, float32_masks=True)
        both = torch.isfinite(out) & torch.isfinite(k32)
        assert torch.all(torch.isnan(out) == torch.isnan(k32)), cid
        assert torch.allclose(out[both], k32[both], rtol=1e-5, atol=1e-9), (cid, out, k32)
    expect = {"value": value}
    if grad:
        (out.sum() if unreduced else out).backward()
        expect["grad"] = {"input": from_torch(xt.grad, dtype)}
    return {"id": cid, "loss": LOSS, "params": params,
            "inputs": {"input": tensor(x, shape, dtype), "target": tensor(y, shape, dtype)},
            "expect": expect, "rtol": rtol, "atol": atol}


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def uniform(r, n, lo=0.0, hi=1.0):
    return [r.uniform(lo, hi) for _ in range(n)]


def noisy(r, y, scale, lo=0.0, hi=1.0):
    """A degraded copy of y: Gaussian noise of the given scale, clipped to [lo, hi]."""
    return [min(hi, max(lo, v + r.gauss(0, scale))) for v in y]


def pair(r, shape, noise=0.1, lo=0.0, hi=1.0):
    y = uniform(r, size(shape), lo, hi)
    return noisy(r, y, noise * (hi - lo), lo, hi), y


def cases():
    r = random.Random(20261207)
    out = []
    cid = counter(LOSS)
    # kornia's defaults: RGB images (C = 3 divides the 15 masks), a grey image (C = 1: each σ three times)
    for shape in ([1, 3, 8, 9], [2, 1, 7, 9], [2, 3, 12, 10]):
        out.append(case(cid(), shape, *pair(r, shape)))
    # the reductions: sum, and none ([N, H, W]: one term per output position)
    shape = [2, 3, 6, 5]
    out.append(case(cid(), shape, *pair(r, shape), {"reduction": "sum"}))
    shape = [2, 3, 7, 9]
    out.append(case(cid(), shape, *pair(r, shape), {"reduction": "none"}))
    # other σ lists: three scales (window 9, padding 4), one σ (window 7), an even window (σ 1.3: int(6.2) = 6
    # taps, padding 2: the output is one row and one column smaller, [1, 6, 8]), unsorted σ (the window and the
    # luminance come from the last σ, 1.0: window 5, so σ 2.0 is truncated)
    out.append(case(cid(), [1, 3, 10, 11], *pair(r, [1, 3, 10, 11]), {"sigmas": [0.5, 1.0, 2.0]}))
    out.append(case(cid(), [2, 3, 9, 8], *pair(r, [2, 3, 9, 8]), {"sigmas": [1.5]}))
    out.append(case(cid(), [1, 1, 7, 9], *pair(r, [1, 1, 7, 9]), {"sigmas": [1.3], "reduction": "none"}))
    out.append(case(cid(), [1, 3, 7, 7], *pair(r, [1, 3, 7, 7]), {"sigmas": [2.0, 0.5, 1.0]}))
    # five and fifteen channels (15 % C = 0): kornia's grouped convolution pairs channels and σ unevenly
    out.append(case(cid(), [1, 5, 6, 6], *pair(r, [1, 5, 6, 6])))
    out.append(case(cid(), [1, 15, 5, 4], *pair(r, [1, 15, 5, 4])))
    # two σ and two channels (6 masks, 3 per channel: channel 0 has σ0 thrice, channel 1 σ1 thrice)
    out.append(case(cid(), [2, 2, 6, 7], *pair(r, [2, 2, 6, 7]), {"sigmas": [0.8, 2.5]}))
    # 8-bit images with data_range 255
    y = [float(r.randrange(256)) for _ in range(3 * 64)]
    out.append(case(cid(), [1, 3, 8, 8], noisy(r, y, 20.0, 0.0, 255.0), y, {"data_range": 255.0}))
    # k1, k2; alpha 0 (Gaussian-weighted L1 alone), 1 (MS-SSIM alone), 0.84 (Zhao et al.'s); compensation 1
    out.append(case(cid(), [1, 3, 6, 7], *pair(r, [1, 3, 6, 7]), {"k1": 0.05, "k2": 0.1}))
    for a in (0.0, 1.0, 0.84):
        out.append(case(cid(), [2, 1, 6, 6], *pair(r, [2, 1, 6, 6]), {"alpha": a}))
    out.append(case(cid(), [1, 3, 5, 6], *pair(r, [1, 3, 5, 6]), {"compensation": 1.0, "reduction": "sum"}))
    # odd sizes: a 1×1 image (only the centre tap of each window), 1×7, a 40×33 image (larger than the window)
    out.append(case(cid(), [2, 3, 1, 1], *pair(r, [2, 3, 1, 1])))
    out.append(case(cid(), [1, 1, 1, 7], *pair(r, [1, 1, 1, 7]), {"reduction": "none"}))
    out.append(case(cid(), [1, 1, 40, 33], *pair(r, [1, 1, 40, 33], 0.05)))
    # input = target: the MS-SSIM part is 0 (every ratio exactly 1), the L1 part 0, and the gradient 0
    y = uniform(r, 3 * 30)
    # (the exact gradient is 0; autograd's is rounding of ~1e-12 of the cancelling ratio derivatives: atol 1e-10)
    out.append(case(cid(), [1, 3, 5, 6], list(y), y, {"alpha": 1.0}, atol=1e-10))
    out.append(case(cid(), [1, 3, 5, 6], list(y), y, atol=1e-10))
    # constant images: σ ≈ 0 (cs ≈ 1), but the zero padding makes μ fall towards the borders
    out.append(case(cid(), [1, 1, 6, 6], [0.3] * 36, [0.7] * 36))
    out.append(case(cid(), [1, 3, 4, 5], [0.5] * 60, [0.5] * 60, {"reduction": "sum"}, atol=1e-10))
    # float32
    out.append(case(cid(), [2, 3, 6, 7], *pair(r, [2, 3, 6, 7]), dtype="float32", rtol=1e-5, atol=1e-6))
    out.append(case(cid(), [1, 1, 9, 8], *pair(r, [1, 1, 9, 8]), {"reduction": "none", "sigmas": [0.5, 1.0]},
                    dtype="float32", rtol=1e-5, atol=1e-6))
    # extremes: a large range (values up to 1e6 with data_range 1e6), tiny values (1e-6) at data_range 1,
    # values far outside the data range (±1e4 with data_range 1), a tiny σ (each window one pixel)
    out.append(case(cid(), [1, 3, 5, 5], *pair(r, [1, 3, 5, 5], 0.1, 0.0, 1e6), {"data_range": 1e6}))
    out.append(case(cid(), [1, 1, 5, 6], *pair(r, [1, 1, 5, 6], 0.1, 0.0, 1e-6)))
    out.append(case(cid(), [1, 1, 4, 5], uniform(r, 20, -1e4, 1e4), uniform(r, 20, -1e4, 1e4)))
    out.append(case(cid(), [1, 3, 4, 4], *pair(r, [1, 3, 4, 4]), {"sigmas": [1e-3, 0.25]}))
    # NaN in, NaN out (every position's window reaches the NaN pixel with the default 33-tap window)
    x, y = pair(r, [1, 1, 4, 4])
    x[5] = float("nan")
    out.append(case(cid(), [1, 1, 4, 4], x, y, grad=False))
    # refusals
    ok = lambda shape: {"input": tensor(uniform(r, size(shape)), shape), "target": tensor(uniform(r, size(shape)), shape)}
    # C = 2 does not divide the 15 masks (kornia: conv2d refuses groups=2 for 15 output channels)
    out.append(refusal(cid(), LOSS, {}, ok([1, 2, 6, 6])))
    out.append(refusal(cid(), LOSS, {"sigmas": [0.5, 1.0]}, ok([1, 4, 6, 6])))
    # rank 3, shapes that differ, an empty image dimension, a mean over an empty batch
    out.append(refusal(cid(), LOSS, {}, ok([3, 6, 6])))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor(uniform(r, 108), [1, 3, 6, 6]),
                                         "target": tensor(uniform(r, 126), [1, 3, 6, 7])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [1, 3, 0, 5]), "target": tensor([], [1, 3, 0, 5])}))
    out.append(refusal(cid(), LOSS, {}, {"input": tensor([], [0, 3, 5, 5]), "target": tensor([], [0, 3, 5, 5])}))
    # an even window (σ 1.3: 6 taps, padding 2) on an image one pixel high: no output position (kornia: conv2d
    # refuses the kernel larger than the padded input)
    out.append(refusal(cid(), LOSS, {"sigmas": [1.3]}, ok([1, 3, 1, 8])))
    # options: no σ (kornia: sigmas[-1] raises), σ 0 or negative (kornia: NaN), a window larger than 40001 taps,
    # data_range 0 (kornia: division by 0), alpha outside [0, 1], negative compensation, k1 = 0, a reduction
    # kornia does not have
    for bad in ({"sigmas": []}, {"sigmas": [0.5, 0.0]}, {"sigmas": [-1.0]}, {"sigmas": [2e4]},
                {"data_range": 0.0}, {"alpha": 1.5}, {"alpha": -0.1}, {"compensation": -1.0}, {"k1": 0.0},
                {"reduction": "batchmean"}):
        out.append(refusal(cid(), LOSS, bad, ok([1, 3, 5, 5])))
    return out


if __name__ == "__main__":
    write(LOSS, cases())

#!/usr/bin/python3
"""Writes the TorchScript modules that LibtorchPeer runs in libtorch 2.7 through DJL: each is
the torch.nn.functional call of torch_baseline.py for one loss (the same function PyTorch users
call, so libtorch runs its own fused kernels, forward and backward), scripted, not traced.

DJL's NDArray API has no loss functions (no mse_loss, huber_loss, ctc_loss ...): a TorchScript
module is how DJL runs them. Scripted with Debian's PyTorch 1.13 (apt-get install python3-torch);
libtorch 2.7 loads these archives (TorchScript files are forward compatible in that direction).
Options (delta, alpha, ...) are 0-d tensors: DJL runs a module with autograd on only when its
inputs are an NDList of tensors.

    /usr/bin/python3 bench/scripts/torchscript_losses.py bench/src/main/resources/org/losses4j/bench/libtorch
"""
import os, sys
import torch
import torch.nn.functional as F
from torch import Tensor


class Mse(torch.nn.Module):
    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        return F.mse_loss(x, y)


class Huber(torch.nn.Module):
    def forward(self, x: Tensor, y: Tensor, delta: Tensor) -> Tensor:
        return F.huber_loss(x, y, delta=float(delta))


class BceLogits(torch.nn.Module):
    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(x, y)


class Focal(torch.nn.Module):
    """torchvision.ops.sigmoid_focal_loss (0.14), reduction mean."""
    def forward(self, x: Tensor, y: Tensor, alpha_: Tensor, gamma_: Tensor) -> Tensor:
        alpha = float(alpha_)
        gamma = float(gamma_)
        p = torch.sigmoid(x)
        ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
        p_t = p * y + (1 - p) * (1 - y)
        loss = ce * ((1 - p_t) ** gamma)
        alpha_t = alpha * y + (1 - alpha) * (1 - y)
        return (alpha_t * loss).mean()


class CrossEntropy(torch.nn.Module):
    def forward(self, z: Tensor, t: Tensor) -> Tensor:
        return F.cross_entropy(z, t)


class Ctc(torch.nn.Module):
    def forward(self, lp: Tensor, tg: Tensor, il: Tensor, tl: Tensor, blank: Tensor) -> Tensor:
        return F.ctc_loss(lp, tg, il, tl, blank=int(blank))


class Dice(torch.nn.Module):
    """torch_baseline.py's dice: smooth 1, one global ratio."""
    def forward(self, a: Tensor, m: Tensor, smooth_: Tensor) -> Tensor:
        smooth = float(smooth_)
        i = (a * m).sum()
        return 1 - (2 * i + smooth) / (a.sum() + m.sum() + smooth)


class Triplet(torch.nn.Module):
    def forward(self, a: Tensor, p: Tensor, n: Tensor, margin: Tensor) -> Tensor:
        return F.triplet_margin_loss(a, p, n, margin=float(margin), eps=0.0)


MODULES = {"mse": Mse, "huber": Huber, "bce_with_logits": BceLogits, "focal": Focal,
           "cross_entropy": CrossEntropy, "ctc": Ctc, "dice": Dice, "triplet": Triplet}

if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, cls in MODULES.items():
        torch.jit.script(cls()).save(os.path.join(out, name + ".pt"))
        print(name, os.path.getsize(os.path.join(out, name + ".pt")), "bytes")

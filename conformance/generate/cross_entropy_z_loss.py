#!/usr/bin/python3
"""Reference cases of cross_entropy's z_loss option, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/cross_entropy_z_loss.py
  writes core/src/test/resources/conformance/project/cross_entropy_z_loss.jsonl (FORMAT.md).

Definition (CATALOG.md): cross_entropy as PyTorch 1.13's torch.nn.functional.cross_entropy
(weight, ignore_index, label_smoothing, reduction), plus, per non-ignored term, c·w_y·(log Z)²
for an index target (w_y = 1 without class weights) and c·(log Z)² for a probability target,
log Z = logsumexp of that row's logits over the class dimension; `mean` keeps cross_entropy's
divisor (Σ w_y over non-ignored index targets, the number of terms for probability targets).
PaLM (Chowdhery et al. 2022) and T5X add c·log²Z to each token's loss before its weight.

The value is torch's own F.cross_entropy plus the z term written in torch float64; the
gradients are autograd's. Nothing here comes from losses4j.
"""
import torch
import torch.nn.functional as F

from caselib import rounded_to_float32, torch_case, torch_refusal, write


def reference(x, target, params, weight):
    """(value tensor, d value / d x), torch float64."""
    c = params.get("z_loss", 0.0)
    red = params.get("reduction", "mean")
    ign = params.get("ignore_index", -100)
    eps = params.get("label_smoothing", 0.0)
    x = x.clone().requires_grad_(True)
    cdim = 0 if x.dim() == 1 else 1
    ce = F.cross_entropy(x, target, weight=weight, ignore_index=ign, label_smoothing=eps, reduction="none")
    lz = torch.logsumexp(x, dim=cdim)
    if target.dtype == torch.int64:
        keep = target != ign
        safe = torch.where(keep, target, torch.zeros_like(target))
        wy = weight[safe] if weight is not None else torch.ones_like(lz)
        wy = torch.where(keep, wy, torch.zeros_like(wy))
        z = c * wy * lz * lz
        divisor = wy.sum()
    else:
        z = c * lz * lz
        divisor = torch.tensor(float(ce.numel()), dtype=torch.float64)
    terms = ce + z
    if red == "none":
        value = terms
    elif red == "sum":
        value = terms.sum()
    else:
        value = terms.sum() / divisor
    value.sum().backward()
    return value.detach(), x.grad.detach()


def case(cid, x, target, params, weight=None, dtype="float64", rtol=1e-9, atol=1e-12):
    if dtype == "float32":
        x, target, weight = rounded_to_float32(x, target, weight)
    value, grad = reference(x, target, params, weight)
    return torch_case(cid, "cross_entropy", params, {"input": x, "target": target, "weight": weight}, value, grad,
                      dtype, rtol, atol)


def refusal(cid, params, x, target):
    return torch_refusal(cid, "cross_entropy", params, {"input": x, "target": target})


def cases():
    g = torch.Generator().manual_seed(20261207)
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "cross_entropy_z_loss-%03d" % next(k)
    logits = lambda *s, scale=2.0: torch.randn(*s, generator=g, dtype=torch.float64) * scale
    labels = lambda n, c: torch.randint(0, c, (n,), generator=g)
    # index targets, every reduction, PaLM's coefficient and larger ones
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), logits(6, 5), labels(6, 5), {"z_loss": 1e-4, "reduction": red}))
    out.append(case(cid(), logits(7, 4, scale=5.0), labels(7, 4), {"z_loss": 0.5}))
    out.append(case(cid(), logits(3, 3), labels(3, 3), {"z_loss": 0.0}))
    # with class weights, ignored rows and label smoothing (mean divides by Σ w_y of the kept rows)
    w = torch.tensor([0.5, 2.0, 1.0, 3.0], dtype=torch.float64)
    t = torch.tensor([0, 3, -100, 1, 2, -100, 3])
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), logits(7, 4), t, {"z_loss": 0.2, "label_smoothing": 0.1, "reduction": red}, weight=w))
    out.append(case(cid(), logits(5, 4), torch.tensor([1, 7, 7, 0, 3]), {"z_loss": 0.3, "ignore_index": 7}))
    # [N, C, d] (classes on dim 1) and a single row [C]
    out.append(case(cid(), logits(2, 3, 4), torch.randint(0, 3, (2, 4), generator=g),
                    {"z_loss": 0.1, "reduction": "none"}))
    out.append(case(cid(), logits(2, 3, 4), torch.randint(0, 3, (2, 4), generator=g), {"z_loss": 0.1}, weight=w[:3]))
    out.append(case(cid(), logits(5), torch.tensor(2), {"z_loss": 0.25}))
    # probability targets (no class weight on the z term)
    p = torch.softmax(logits(4, 3), dim=1)
    out.append(case(cid(), logits(4, 3), p, {"z_loss": 0.05}))
    out.append(case(cid(), logits(4, 3), p, {"z_loss": 0.05, "label_smoothing": 0.2, "reduction": "none"},
                    weight=w[:3]))
    # float32
    out.append(case(cid(), logits(8, 6), labels(8, 6), {"z_loss": 1e-3}, dtype="float32", rtol=2e-6, atol=1e-7))
    out.append(case(cid(), logits(4, 5), labels(4, 5), {"z_loss": 0.1, "reduction": "none"}, dtype="float32",
                    rtol=2e-6, atol=1e-7))
    # extremes: logits ±1e4 (log Z ≈ 1e4: the z term dominates) and a −inf logit
    x = torch.tensor([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [3.0, float("-inf"), 1.0]], dtype=torch.float64)
    out.append(case(cid(), x, torch.tensor([0, 1, 2]), {"z_loss": 1e-4, "reduction": "none"}))
    out.append(case(cid(), x[:2], torch.tensor([2, 0]), {"z_loss": 1e-4, "reduction": "sum"}))
    # refusals: a negative, a too large coefficient
    out.append(refusal(cid(), {"z_loss": -1e-4}, logits(2, 3), torch.tensor([0, 1])))
    out.append(refusal(cid(), {"z_loss": 2e15}, logits(2, 3), torch.tensor([0, 1])))
    out.append(refusal(cid(), {"z_loss": "big"}, logits(2, 3), torch.tensor([0, 1])))
    return out


def main():
    write("cross_entropy_z_loss", cases())


if __name__ == "__main__":
    main()

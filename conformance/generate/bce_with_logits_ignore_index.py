#!/usr/bin/python3
"""Reference cases of bce_with_logits' ignore_index option, independent of losses4j (issue 17).

usage: /usr/bin/python3 conformance/generate/bce_with_logits_ignore_index.py
  writes core/src/test/resources/conformance/project/bce_with_logits_ignore_index.jsonl (FORMAT.md).

Definition (CATALOG.md), segmentation_models_pytorch's SoftBCEWithLogitsLoss: PyTorch 1.13's
F.binary_cross_entropy_with_logits(reduction="none") with weight and pos_weight, on the
smoothed targets y(1 − ε) + ε/2, multiplied by the mask (target != ignore_index), then mean
(over all elements, the ignored ones included) or sum. Ignored targets are replaced by 0 before
torch sees them (their term is masked out, and torch refuses no target, so any value works).
Gradients are autograd's; nothing here comes from losses4j.
"""

import torch
import torch.nn.functional as F

from caselib import rounded_to_float32, torch_case, torch_refusal, write


def reference(x, y, params, weight, pos_weight):
    ign = params["ignore_index"]
    eps = params.get("label_smoothing", 0.0)
    red = params.get("reduction", "mean")
    keep = y != ign
    ys = torch.where(keep, y, torch.zeros_like(y)) * (1 - eps) + eps / 2
    x = x.clone().requires_grad_(True)
    terms = F.binary_cross_entropy_with_logits(x, ys, weight=weight, pos_weight=pos_weight, reduction="none")
    terms = terms * keep.to(terms.dtype)
    value = terms if red == "none" else (terms.sum() if red == "sum" else terms.mean())
    value.sum().backward()
    return value.detach(), x.grad.detach()


def case(cid, x, y, params, weight=None, pos_weight=None, dtype="float64", rtol=1e-10, atol=1e-13):
    if dtype == "float32":
        x, y, weight, pos_weight = rounded_to_float32(x, y, weight, pos_weight)
    value, grad = reference(x, y, params, weight, pos_weight)
    return torch_case(cid, "bce_with_logits", params, {"input": x, "target": y, "weight": weight,
                                                       "pos_weight": pos_weight}, value, grad, dtype, rtol, atol)


def refusal(cid, params, x, y):
    return torch_refusal(cid, "bce_with_logits", params, {"input": x, "target": y})


def cases():
    g = torch.Generator().manual_seed(20261207)
    out = []
    k = iter(range(1, 1000))
    cid = lambda: "bce_with_logits_ignore_index-%03d" % next(k)
    rnd = lambda *s, scale=2.0: torch.randn(*s, generator=g, dtype=torch.float64) * scale
    uni = lambda *s: torch.rand(*s, generator=g, dtype=torch.float64)

    def targets(shape, ign, every=3):
        y = uni(*shape).reshape(-1)
        y[1::every] = ign
        return y.reshape(shape)

    for red in ("mean", "sum", "none"):
        out.append(case(cid(), rnd(3, 4), targets((3, 4), -1.0), {"ignore_index": -1.0, "reduction": red}))
    # the ignored value may be a valid label (0) or a mask code (255); smoothing; weights; pos_weight
    out.append(case(cid(), rnd(2, 5), targets((2, 5), 0.0, 2), {"ignore_index": 0.0}))
    out.append(case(cid(), rnd(2, 5), targets((2, 5), 255.0), {"ignore_index": 255.0, "label_smoothing": 0.2}))
    out.append(case(cid(), rnd(2, 3, 4), targets((2, 3, 4), -1.0), {"ignore_index": -1.0, "reduction": "none"},
                    weight=uni(2, 3, 4) + 0.5))
    out.append(case(cid(), rnd(4, 3), targets((4, 3), -1.0), {"ignore_index": -1.0, "reduction": "sum"},
                    pos_weight=uni(3) * 3))
    out.append(case(cid(), rnd(4, 3), targets((4, 3), -1.0), {"ignore_index": -1.0, "label_smoothing": 0.1},
                    weight=uni(4, 3) + 0.5, pos_weight=uni(3) * 3))
    # every element ignored: 0 (mean still divides by the element count, as SMP)
    out.append(case(cid(), rnd(5), torch.full((5,), -1.0, dtype=torch.float64), {"ignore_index": -1.0}))
    # no element ignored: plain bce_with_logits
    out.append(case(cid(), rnd(6), uni(6), {"ignore_index": -1.0}))
    # a single element, 0-dim
    out.append(case(cid(), torch.tensor(0.7, dtype=torch.float64), torch.tensor(-1.0, dtype=torch.float64), {"ignore_index": -1.0}))
    # float32
    out.append(case(cid(), rnd(4, 4), targets((4, 4), -1.0), {"ignore_index": -1.0}, dtype="float32",
                    rtol=2e-6, atol=1e-7))
    out.append(case(cid(), rnd(3, 2), targets((3, 2), 255.0), {"ignore_index": 255.0, "reduction": "none"},
                    weight=uni(3, 2) + 0.5, dtype="float32", rtol=2e-6, atol=1e-7))
    # extremes: logits ±1e4 kept and ignored
    x = torch.tensor([1e4, -1e4, 1e4, -1e4, 0.0, 3.0], dtype=torch.float64)
    y = torch.tensor([0.0, 1.0, -1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    out.append(case(cid(), x, y, {"ignore_index": -1.0, "reduction": "none"}))
    out.append(case(cid(), x, y, {"ignore_index": -1.0, "reduction": "sum"}))

    # refusals: a target outside [0, 1] that is not the ignored value; a non-number option
    out.append(refusal(cid(), {"ignore_index": -1.0}, rnd(3), torch.tensor([-1.0, 2.0, 0.5], dtype=torch.float64)))
    out.append(refusal(cid(), {"ignore_index": 255.0}, rnd(3), torch.tensor([-1.0, 0.0, 0.5], dtype=torch.float64)))
    out.append(refusal(cid(), {"ignore_index": "x"}, rnd(2), torch.tensor([0.0, 1.0], dtype=torch.float64)))
    return out


def main():
    write("bce_with_logits_ignore_index", cases())


if __name__ == "__main__":
    main()

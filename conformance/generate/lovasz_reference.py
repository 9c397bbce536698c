"""The Lovász losses as the authors' reference code computes them, in torch float64.

A transcription of github.com/bermanmaxim/LovaszSoftmax, pytorch/lovasz_losses.py (commit
7d48792, 2019): lovasz_grad, lovasz_hinge(_flat), lovasz_softmax(_flat), flatten_*, mean.
Only what that file does with deprecated or version-specific torch is written for torch 1.13
(no Variable; `classes == 'present'` instead of `is`), and three of its accidents are
replaced by what its comments say it means, each marked "REFERENCE:" below:
  - flatten_probas handles [B, C, H, W] only: here any [N, C, *] (the pixels in the same
    order, image by image, position by position);
  - selecting the valid pixels with `valid.nonzero().squeeze()` drops the pixel dimension
    when one pixel is left: here a boolean mask;
  - a group with only ignored pixels returns `probas * 0.` (an empty tensor, which the mean
    over images cannot add): here 0 ("only void pixels, the gradients should be 0").
Autograd through torch.sort gives the gradient: the sorted order is constant around the
inputs, so the gradient is lovasz_grad permuted back. These scripts use inputs without tied
errors wherever a gradient is expected (ties: value-only cases).
"""
import torch
import torch.nn.functional as F


def lovasz_grad(gt_sorted):
    """Gradient of the Lovasz extension w.r.t sorted errors (Alg. 1 in the paper)."""
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.double().cumsum(0)
    union = gts + (1 - gt_sorted).double().cumsum(0)
    jaccard = 1. - intersection / union
    if p > 1:  # cover 1-pixel case
        jaccard[1:p] = jaccard[1:p] - jaccard[0:-1]
    return jaccard


def mean(values, empty=0):
    """nanmean compatible with generators (ignore_nan=False)."""
    values = list(values)
    if not values:
        return empty
    acc = values[0]
    for v in values[1:]:
        acc = acc + v
    return acc / len(values) if len(values) > 1 else acc


def lovasz_hinge_flat(logits, labels):
    if len(labels) == 0:
        return logits.sum() * 0.
    signs = 2. * labels.double() - 1.
    errors = (1. - logits * signs)
    errors_sorted, perm = torch.sort(errors, dim=0, descending=True)
    gt_sorted = labels[perm]
    grad = lovasz_grad(gt_sorted)
    return torch.dot(F.relu(errors_sorted), grad)


def lovasz_hinge(logits, labels, per_image=True):
    """logits [B, *], labels [B, *] in {0, 1}."""
    if per_image:
        return mean(lovasz_hinge_flat(log.reshape(-1), lab.reshape(-1)) for log, lab in zip(logits, labels))
    return lovasz_hinge_flat(logits.reshape(-1), labels.reshape(-1))


def flatten_probas(probas, labels, ignore=None):
    # REFERENCE: [B, C, H, W] only there; [N, C, *] here, pixels in the same order
    c = probas.size(1)
    probas = probas.reshape(probas.size(0), c, -1).permute(0, 2, 1).reshape(-1, c)  # N·S, C
    labels = labels.reshape(-1)
    if ignore is None:
        return probas, labels
    valid = labels != ignore
    # REFERENCE: probas[valid.nonzero().squeeze()] there (loses a dimension for one valid pixel)
    return probas[valid], labels[valid]


def lovasz_softmax_flat(probas, labels, classes='present'):
    if probas.numel() == 0:
        # REFERENCE: `probas * 0.` there, an empty tensor; "only void pixels, the gradients should be 0"
        return probas.sum() * 0.
    c_count = probas.size(1)
    losses = []
    for c in range(c_count):
        fg = (labels == c).double()
        if classes == 'present' and fg.sum() == 0:
            continue
        class_pred = probas[:, c]
        errors = (fg - class_pred).abs()
        errors_sorted, perm = torch.sort(errors, 0, descending=True)
        fg_sorted = fg[perm]
        losses.append(torch.dot(errors_sorted, lovasz_grad(fg_sorted)))
    return mean(losses)


def lovasz_softmax(probas, labels, classes='present', per_image=False, ignore=None):
    """probas [N, C, *], labels [N, *]."""
    if per_image:
        return mean(lovasz_softmax_flat(*flatten_probas(prob.unsqueeze(0), lab.unsqueeze(0), ignore),
                                        classes=classes) for prob, lab in zip(probas, labels))
    return lovasz_softmax_flat(*flatten_probas(probas, labels, ignore), classes=classes)

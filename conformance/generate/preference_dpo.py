#!/usr/bin/python3
"""Reference cases of dpo's loss types (issue 18), independent of losses4j.

usage: /usr/bin/python3 conformance/generate/preference_dpo.py
  writes core/src/test/resources/conformance/project/preference_dpo.jsonl (FORMAT.md).

Definition (CATALOG.md, dpo): Hugging Face TRL's DPOTrainer loss code, transcribed into PyTorch
float64 (Debian's python3-torch 1.13) with autograd for the gradients: TRL 0.19's dpo_loss (the
last version whose sigmoid takes label_smoothing, whose exo_pair replaces a label_smoothing of 0
by 1e-3 and whose bco_pair subtracts a reward reference point δ, here the option bco_delta; TRL
keeps a running mean of the rewards there, newer TRL has δ = 0) for every type. aot and
aot_unpaired sort with torch.sort(stable=True) (TRL's torch.sort is not asked to be stable; the
values do not depend on it, the gradients at ties do, and the catalog says ties keep the samples'
order).
"""
import random

import torch
import torch.nn.functional as F

from _cases import case, refusal, reduce

LOSS = "dpo"
NAMES = ("policy_chosen_logps", "policy_rejected_logps", "reference_chosen_logps", "reference_rejected_logps")
GRADS = NAMES[:2]
TYPES = ("sigmoid", "hinge", "ipo", "exo_pair", "nca_pair", "robust", "bco_pair", "sppo_hard", "aot",
         "aot_unpaired", "apo_zero", "apo_down")
# the types that read label_smoothing (the others ignore it, as TRL, which warns)
SMOOTHED = ("sigmoid", "exo_pair", "robust", "aot", "aot_unpaired")


def trl_losses(pc, pr, rc, rr, beta, ls, loss_type, delta):
    """TRL's per-pair losses (a tensor [N]), as dpo_loss writes them."""
    chosen_logratios = pc - rc
    rejected_logratios = pr - rr
    logits = (pc - pr) - (rc - rr)
    if loss_type == "sigmoid":
        return -F.logsigmoid(beta * logits) * (1 - ls) - F.logsigmoid(-beta * logits) * ls
    if loss_type == "robust":
        return (-F.logsigmoid(beta * logits) * (1 - ls) + F.logsigmoid(-beta * logits) * ls) / (1 - 2 * ls)
    if loss_type == "exo_pair":
        import math
        if ls == 0:
            ls = 1e-3
        return (beta * logits).sigmoid() * (F.logsigmoid(beta * logits) - math.log(1 - ls)) + \
            (-beta * logits).sigmoid() * (F.logsigmoid(-beta * logits) - math.log(ls))
    if loss_type == "hinge":
        return torch.relu(1 - beta * logits)
    if loss_type == "ipo":
        return (logits - 1 / (2 * beta)) ** 2
    if loss_type == "bco_pair":
        return -F.logsigmoid((beta * chosen_logratios) - delta) - F.logsigmoid(-(beta * rejected_logratios - delta))
    if loss_type == "sppo_hard":
        return (chosen_logratios - 0.5 / beta) ** 2 + (rejected_logratios + 0.5 / beta) ** 2
    if loss_type == "nca_pair":
        cr = chosen_logratios * beta
        rr_ = rejected_logratios * beta
        return -F.logsigmoid(cr) - 0.5 * F.logsigmoid(-cr) - 0.5 * F.logsigmoid(-rr_)
    if loss_type in ("aot", "aot_unpaired"):
        if loss_type == "aot":
            a, b = pc - pr, rc - rr
        else:
            a, b = chosen_logratios, rejected_logratios
        a_sorted, _ = torch.sort(a, dim=0, stable=True)
        b_sorted, _ = torch.sort(b, dim=0, stable=True)
        d = a_sorted - b_sorted
        return -F.logsigmoid(beta * d) * (1 - ls) - F.logsigmoid(-beta * d) * ls
    if loss_type == "apo_zero":
        return (1 - torch.sigmoid(beta * chosen_logratios)) + torch.sigmoid(beta * rejected_logratios)
    if loss_type == "apo_down":
        return torch.sigmoid(beta * chosen_logratios) + (1 - torch.sigmoid(beta * logits))
    raise ValueError(loss_type)


def reference(ts, p):
    losses = trl_losses(*(ts[k] for k in NAMES), p.get("beta", 0.1), p.get("label_smoothing", 0.0),
                        p.get("loss_type", "sigmoid"), p.get("bco_delta", 0.0))
    if "sample_weight" in ts:
        losses = losses * ts["sample_weight"]
    return reduce(losses, p.get("reduction", "mean"))


def batch(r, n, spread=2.0, shift=-8.0):
    return [[shift + r.gauss(0, spread) for _ in range(n)] for _ in NAMES]


def inputs_of(cols, dtype="float64", n=None):
    n = len(cols[0]) if n is None else n
    return {k: (c, [n], dtype) for k, c in zip(NAMES, cols)}


def type_cases(r, t):
    """At least 15 cases of loss_type t: every option, N = 1, odd N, float32, ±1e4 margins, NaN, refusals."""
    out = []
    k = iter(range(1, 100))
    cid = lambda: "dpo-%s-%02d" % (t, next(k))
    base = {"loss_type": t}

    def add(cols, params, dtype="float64", rtol=1e-9, atol=1e-12):
        p = dict(base, **params)
        out.append(case(cid(), LOSS, inputs_of(cols, dtype), p, reference, grads=GRADS, rtol=rtol, atol=atol))

    add(batch(r, 4), {})
    add(batch(r, 5), {"reduction": "sum"})
    add(batch(r, 3), {"reduction": "none"})
    add(batch(r, 1), {})
    add(batch(r, 1), {"reduction": "none"})
    add(batch(r, 7), {"beta": 0.5})
    add(batch(r, 6, 4.0), {"beta": 2.0, "reduction": "sum"})
    add(batch(r, 9, 20.0), {"beta": 1e-3})
    add(batch(r, 5), {"label_smoothing": 0.1})
    add(batch(r, 5), {"label_smoothing": 0.3, "beta": 0.7, "reduction": "none"})
    add(batch(r, 33, 3.0), {"beta": 0.25})
    add(batch(r, 5), {}, dtype="float32", rtol=2e-5, atol=1e-6)
    add(batch(r, 9), {"beta": 1.5, "reduction": "sum", "label_smoothing": 0.2}, dtype="float32", rtol=2e-5,
        atol=1e-6)
    # ±1e4 log-ratios (β = 1): every form stays finite (softplus, stable sigmoid), the squares are exact
    big = [[1e4, -1e4, 0.5, -3.0], [-1e4, 1e4, 1e4, -3.0], [-2.0, 3.0, -1.0, 1e4], [4.0, -2.0, 1.0, -1e4]]
    add(big, {"beta": 1.0, "reduction": "none"}, atol=1e-9)
    add([list(c) for c in big], {"beta": 1.0, "label_smoothing": 0.25}, atol=1e-9)
    # NaN in, NaN out (the value; the other pairs keep finite gradients)
    nan = batch(r, 3)
    nan[0][1] = float("nan")
    add(nan, {"reduction": "sum"})
    # policy = reference: every log-ratio 0
    same = batch(r, 4)
    same[2], same[3] = list(same[0]), list(same[1])
    add(same, {"beta": 0.3})
    # refusals: shapes, rank, empty mean, options
    cols = batch(r, 4)
    out.append(refusal(cid(), LOSS, dict(inputs_of(cols), policy_rejected_logps=(cols[1][:3], [3], "float64")),
                       dict(base)))
    out.append(refusal(cid(), LOSS, {kk: (c, [2, 2], "float64") for kk, c in zip(NAMES, cols)}, dict(base)))
    out.append(refusal(cid(), LOSS, inputs_of([[], [], [], []], n=0), dict(base)))
    out.append(refusal(cid(), LOSS, inputs_of(cols), dict(base, beta=0.0)))
    out.append(refusal(cid(), LOSS, inputs_of(cols), dict(base, label_smoothing=1.5)))
    return out


def specific_cases(r):
    out = []
    k = iter(range(1, 100))
    cid = lambda: "dpo-more-%02d" % next(k)

    def add(cols, params, **kw):
        out.append(case(cid(), LOSS, inputs_of(cols), params, reference, grads=GRADS, **kw))

    # bco_pair's reward reference point δ
    for delta in (0.3, -1.2, 5.0):
        add(batch(r, 6), {"loss_type": "bco_pair", "bco_delta": delta})
    add(batch(r, 5), {"loss_type": "bco_pair", "bco_delta": 0.7, "beta": 2.0, "reduction": "none"})
    # exo_pair: label_smoothing 0 is ε = 1e-3, small and large ε
    add(batch(r, 5), {"loss_type": "exo_pair", "label_smoothing": 1e-3})
    add(batch(r, 5), {"loss_type": "exo_pair", "label_smoothing": 0.9, "reduction": "sum"})
    # robust near its bound 0.5
    add(batch(r, 5), {"loss_type": "robust", "label_smoothing": 0.45, "reduction": "none"})
    # aot and aot_unpaired: tied log-ratios (stable order), and already sorted input
    for t in ("aot", "aot_unpaired"):
        cols = batch(r, 5)
        cols[0][3] = cols[0][1]
        cols[1][3] = cols[1][1]
        add(cols, {"loss_type": t, "reduction": "none"})
        cols = batch(r, 6)
        order = sorted(range(6), key=lambda i: cols[0][i] - cols[1][i])
        add([[c[i] for i in order] for c in cols], {"loss_type": t, "reduction": "sum"})
    # refusals specific to a type
    cols = batch(r, 4)
    out.append(refusal(cid(), LOSS, inputs_of(cols), {"loss_type": "robust", "label_smoothing": 0.5}))
    out.append(refusal(cid(), LOSS, inputs_of(cols), {"loss_type": "exo_pair", "label_smoothing": 1.0}))
    out.append(refusal(cid(), LOSS, inputs_of(cols), {"loss_type": "kto_pair"}))
    out.append(refusal(cid(), LOSS, inputs_of(cols), {"loss_type": "bco_pair", "bco_delta": 2e15}))
    for t in ("aot", "aot_unpaired"):
        with_w = dict(inputs_of(cols), sample_weight=([1.0, 2.0, 0.5, 1.0], [4], "float64"))
        out.append(refusal(cid(), LOSS, with_w, {"loss_type": t, "reduction": "sum"}))
    # the per-sample types take sample_weight (rows of the gradients weighted)
    for t in ("nca_pair", "bco_pair", "sppo_hard", "apo_down"):
        inputs = dict(inputs_of(batch(r, 4)), sample_weight=([1.0, 2.0, 0.5, 0.0], [4], "float64"))
        out.append(case(cid(), LOSS, inputs, {"loss_type": t, "reduction": "sum"}, reference, grads=GRADS))
    return out


def cases():
    r = random.Random(20261218)
    out = []
    for t in TYPES[3:]:
        out += type_cases(r, t)
    out += specific_cases(r)
    return out


if __name__ == "__main__":
    from caselib import write
    write("preference_dpo", cases())

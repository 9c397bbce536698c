#!/usr/bin/python3
"""Reference cases of simpo and cpo (issue 18), independent of losses4j.

usage: /usr/bin/python3 conformance/generate/simpo_cpo.py
  writes core/src/test/resources/conformance/project/simpo_cpo.jsonl (FORMAT.md).

Definition (CATALOG.md): Hugging Face TRL's CPOTrainer.cpo_loss transcribed into PyTorch float64
(Debian's python3-torch 1.13) with autograd for the gradients (alpha = 0: no AlphaPO reward
transform). simpo is loss_type "simpo" with cpo_alpha 0: logits = πc − πr − γ/β, then
−(1 − ls)·log σ(β·logits) − ls·log σ(−β·logits), on the average per-token log-probabilities the
caller passes. cpo adds cpo_alpha × the chosen NLL; TRL adds it once to the batch mean (one token
mean over the batch), here one NLL per pair is an input, so a pair's term is its loss plus
cpo_alpha·chosen_nll_i (the mean of the terms is TRL's value when chosen_nll_i is the batch's token
mean). TRL leaves the NLL out when cpo_alpha is 0.
"""
import random

import torch.nn.functional as F
import torch

from _cases import case, refusal, reduce

PAIR = ("policy_chosen_logps", "policy_rejected_logps")


def trl_cpo_losses(pc, pr, beta, ls, loss_type, gamma):
    logits = pc - pr
    if loss_type == "simpo":
        gamma_logratios = gamma / beta
        logits = logits - gamma_logratios
        return -F.logsigmoid(beta * logits) * (1 - ls) - F.logsigmoid(-beta * logits) * ls
    if loss_type == "sigmoid":
        return -F.logsigmoid(beta * logits) * (1 - ls) - F.logsigmoid(-beta * logits) * ls
    if loss_type == "hinge":
        return torch.relu(1 - beta * logits)
    if loss_type == "ipo":
        return (logits - 1 / (2 * beta)) ** 2
    raise ValueError(loss_type)


def simpo_reference(ts, p):
    losses = trl_cpo_losses(ts[PAIR[0]], ts[PAIR[1]], p.get("beta", 0.1), p.get("label_smoothing", 0.0), "simpo",
                            p.get("gamma", 0.5))
    if "sample_weight" in ts:
        losses = losses * ts["sample_weight"]
    return reduce(losses, p.get("reduction", "mean"))


def cpo_reference(ts, p):
    losses = trl_cpo_losses(ts[PAIR[0]], ts[PAIR[1]], p.get("beta", 0.1), p.get("label_smoothing", 0.0),
                            p.get("loss_type", "sigmoid"), p.get("simpo_gamma", 0.5))
    alpha = p.get("cpo_alpha", 1.0)
    if alpha != 0:
        losses = losses + alpha * ts["chosen_nll"]
    if "sample_weight" in ts:
        losses = losses * ts["sample_weight"]
    return reduce(losses, p.get("reduction", "mean"))


def cols(r, n, lo, hi):
    return [r.uniform(lo, hi) for _ in range(n)]


def simpo_inputs(r, n, dtype="float64", lo=-3.0, hi=-0.1):
    return {PAIR[0]: (cols(r, n, lo, hi), [n], dtype), PAIR[1]: (cols(r, n, lo, hi), [n], dtype)}


def cpo_inputs(r, n, dtype="float64", lo=-12.0, hi=-1.0):
    return {PAIR[0]: (cols(r, n, lo, hi), [n], dtype), PAIR[1]: (cols(r, n, lo, hi), [n], dtype),
            "chosen_nll": (cols(r, n, 0.1, 3.0), [n], dtype)}


def simpo_cases(r):
    out = []
    k = iter(range(1, 100))
    cid = lambda: "simpo-%03d" % next(k)

    def add(inputs, params, rtol=1e-9, atol=1e-12):
        out.append(case(cid(), "simpo", inputs, params, simpo_reference, grads=PAIR, rtol=rtol, atol=atol))

    add(simpo_inputs(r, 4), {})
    add(simpo_inputs(r, 5), {"reduction": "sum"})
    add(simpo_inputs(r, 3), {"reduction": "none"})
    add(simpo_inputs(r, 1), {})
    add(simpo_inputs(r, 7), {"beta": 2.0, "gamma": 1.0})                  # the SimPO paper's scale
    add(simpo_inputs(r, 6), {"beta": 2.5, "gamma": 1.375, "reduction": "none"})
    add(simpo_inputs(r, 5), {"gamma": 0.0})
    add(simpo_inputs(r, 5), {"label_smoothing": 0.1, "beta": 2.0})
    add(simpo_inputs(r, 5), {"label_smoothing": 1.0, "reduction": "sum"})
    add(simpo_inputs(r, 33), {"beta": 10.0, "gamma": 3.0})
    add(simpo_inputs(r, 5, "float32"), {"beta": 2.0}, rtol=2e-5, atol=1e-6)
    add(simpo_inputs(r, 9, "float32"), {"beta": 2.0, "label_smoothing": 0.2, "reduction": "sum"}, rtol=2e-5,
        atol=1e-6)
    # ±1e4 margins: β·(πc − πr) − γ = ±1e4 and beyond
    big = {PAIR[0]: ([1e4, -1e4, -0.5, -2e4], [4], "float64"), PAIR[1]: ([-1e4, 1e4, -1e4, 0.0], [4], "float64")}
    add(big, {"beta": 1.0, "reduction": "none"}, atol=1e-9)
    add(big, {"beta": 1.0, "label_smoothing": 0.25, "gamma": 2.0}, atol=1e-9)
    nan = simpo_inputs(r, 3)
    nan[PAIR[1]][0][2] = float("nan")
    add(nan, {"reduction": "sum"})
    w = dict(simpo_inputs(r, 4), sample_weight=([1.0, 0.5, 2.0, 0.0], [4], "float64"))
    add(w, {"reduction": "sum", "beta": 2.0})
    inp = simpo_inputs(r, 4)
    out.append(refusal(cid(), "simpo", dict(inp, policy_rejected_logps=([-1.0, -2.0], [2], "float64")), {}))
    out.append(refusal(cid(), "simpo", {k2: (v[0], [2, 2], v[2]) for k2, v in inp.items()}, {}))
    out.append(refusal(cid(), "simpo", {k2: ([], [0], "float64") for k2 in PAIR}, {}))
    out.append(refusal(cid(), "simpo", inp, {"beta": 0.0}))
    out.append(refusal(cid(), "simpo", inp, {"gamma": -0.5}))
    out.append(refusal(cid(), "simpo", inp, {"label_smoothing": 1.5}))
    out.append(refusal(cid(), "simpo", inp, {"loss_type": "sigmoid"}))
    return out


def cpo_cases(r):
    out = []
    k = iter(range(1, 100))
    cid = lambda: "cpo-%03d" % next(k)
    grads = PAIR + ("chosen_nll",)

    def add(inputs, params, rtol=1e-9, atol=1e-12):
        if params.get("loss_type") == "hinge":  # away from the kink βm = 1
            beta = params.get("beta", 0.1)
            a, b = inputs[PAIR[0]][0], inputs[PAIR[1]][0]
            for i in range(len(a)):
                if abs(beta * (a[i] - b[i]) - 1) < 0.05:
                    a[i] += 0.5 / beta
        out.append(case(cid(), "cpo", inputs, params, cpo_reference, grads=grads, rtol=rtol, atol=atol))

    for t in ("sigmoid", "hinge", "ipo", "simpo"):
        add(cpo_inputs(r, 4), {"loss_type": t})
        add(cpo_inputs(r, 5), {"loss_type": t, "reduction": "sum", "beta": 0.5})
        add(cpo_inputs(r, 3), {"loss_type": t, "reduction": "none", "cpo_alpha": 0.0})
        add(cpo_inputs(r, 1), {"loss_type": t, "cpo_alpha": 2.5})
        add(cpo_inputs(r, 7), {"loss_type": t, "label_smoothing": 0.2, "beta": 1.5})
        add(cpo_inputs(r, 5, "float32"), {"loss_type": t, "reduction": "sum"}, rtol=2e-5, atol=1e-6)
    add(cpo_inputs(r, 6, lo=-3.0, hi=-0.1), {"loss_type": "simpo", "beta": 2.0, "simpo_gamma": 1.0})
    add(cpo_inputs(r, 6, lo=-3.0, hi=-0.1), {"loss_type": "simpo", "simpo_gamma": 0.0, "label_smoothing": 0.3})
    add(cpo_inputs(r, 6, lo=-3.0, hi=-0.1), {"loss_type": "ipo", "simpo_gamma": 3.0})   # γ only enters simpo
    add(cpo_inputs(r, 33), {"cpo_alpha": 0.1, "beta": 0.25})
    big = {PAIR[0]: ([1e4, -1e4, -0.5], [3], "float64"), PAIR[1]: ([-1e4, 1e4, -1e4], [3], "float64"),
           "chosen_nll": ([0.5, 1e4, 2.0], [3], "float64")}
    for t in ("sigmoid", "hinge", "ipo", "simpo"):
        add({kk: (list(v[0]), v[1], v[2]) for kk, v in big.items()}, {"loss_type": t, "beta": 1.0,
                                                                     "reduction": "none"}, atol=1e-9)
    nan = cpo_inputs(r, 3)
    nan["chosen_nll"][0][1] = float("nan")
    add(nan, {"reduction": "sum"})
    w = dict(cpo_inputs(r, 4), sample_weight=([1.0, 0.5, 2.0, 0.0], [4], "float64"))
    add(w, {"reduction": "sum"})
    inp = cpo_inputs(r, 4)
    out.append(refusal(cid(), "cpo", dict(inp, chosen_nll=([1.0, 2.0, 3.0], [3], "float64")), {}))
    out.append(refusal(cid(), "cpo", {k2: (v[0], [2, 2], v[2]) for k2, v in inp.items()}, {}))
    out.append(refusal(cid(), "cpo", {k2: ([], [0], "float64") for k2 in grads}, {}))
    out.append(refusal(cid(), "cpo", {k2: inp[k2] for k2 in PAIR}, {}))          # no chosen_nll
    out.append(refusal(cid(), "cpo", inp, {"beta": 0.0}))
    out.append(refusal(cid(), "cpo", inp, {"cpo_alpha": -1.0}))
    out.append(refusal(cid(), "cpo", inp, {"simpo_gamma": -0.1, "loss_type": "simpo"}))
    out.append(refusal(cid(), "cpo", inp, {"loss_type": "alphapo"}))
    return out


def cases():
    r = random.Random(20261219)
    return simpo_cases(r) + cpo_cases(r)


if __name__ == "__main__":
    from caselib import write
    write("simpo_cpo", cases())

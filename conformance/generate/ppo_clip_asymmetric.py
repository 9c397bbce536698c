#!/usr/bin/python3
"""Reference cases of ppo_clip's asymmetric clipping (epsilon_low, epsilon_high; issue 18),
independent of losses4j.

usage: /usr/bin/python3 conformance/generate/ppo_clip_asymmetric.py
  writes core/src/test/resources/conformance/project/ppo_clip_asymmetric.jsonl (FORMAT.md).

Definition (CATALOG.md, ppo_clip): r = exp(logp − old_logp),
−mean min(r·A, clamp(r, 1 − ε_low, 1 + ε_high)·A), ε_low and ε_high the options epsilon_low and
epsilon_high, each epsilon when not given (null), as TRL's GRPOTrainer writes its clipped term
(coef_1 = exp(logp − old), coef_2 = clamp(coef_1, 1 − epsilon_low, 1 + epsilon_high),
−min(coef_1·A, coef_2·A)). PyTorch float64 (Debian's python3-torch 1.13) with autograd for the
gradient with respect to logp: torch.min of two tensors gives each half the gradient where they
are equal, clamp passes it on its bounds; the cases keep the ratios away from the clip points
except the ones that test them (r = 1).
"""
import math
import random

import torch

from _cases import case, refusal

NAMES = ("logp", "old_logp", "advantages")


def reference(ts, p):
    eps = p.get("epsilon", 0.2)
    lo = p.get("epsilon_low")
    hi = p.get("epsilon_high")
    lo = eps if lo is None else lo
    hi = eps if hi is None else hi
    coef_1 = torch.exp(ts["logp"] - ts["old_logp"])
    coef_2 = torch.clamp(coef_1, 1 - lo, 1 + hi)
    a = ts["advantages"]
    return -torch.min(coef_1 * a, coef_2 * a).mean()


def batch(r, n, lo, hi, dtype="float64"):
    """Log-ratios whose ratios stay 0.01 away from the clip points 1 − lo and 1 + hi."""
    old = [r.uniform(-3, -0.2) for _ in range(n)]
    logp = []
    for o in old:
        while True:
            d = r.gauss(0, 0.4)
            if abs(math.exp(d) - (1 + hi)) > 0.01 and abs(math.exp(d) - (1 - lo)) > 0.01:
                break
        logp.append(o + d)
    adv = [r.gauss(0, 1) for _ in range(n)]
    return {"logp": (logp, [n], dtype), "old_logp": (old, [n], dtype), "advantages": (adv, [n], dtype)}


def cases():
    r = random.Random(20261220)
    out = []
    k = iter(range(1, 100))
    cid = lambda: "ppo_clip-asym-%03d" % next(k)

    def add(n, params, dtype="float64", rtol=1e-9, atol=1e-12):
        e = params.get("epsilon", 0.2)
        lo = params.get("epsilon_low")
        hi = params.get("epsilon_high")
        inputs = batch(r, n, e if lo is None else lo, e if hi is None else hi, dtype)
        out.append(case(cid(), "ppo_clip", inputs, params, reference, grads=("logp",), rtol=rtol, atol=atol))

    add(6, {"epsilon_low": 0.2, "epsilon_high": 0.28})            # DAPO's clip-higher
    add(6, {"epsilon_high": 0.28})                                  # low = epsilon
    add(6, {"epsilon_low": 0.1})                                    # high = epsilon
    add(5, {"epsilon": 0.3, "epsilon_low": 0.05})
    add(5, {"epsilon": 0.1, "epsilon_high": 0.5})
    add(7, {"epsilon_low": 0.2, "epsilon_high": 0.2})              # = epsilon: the symmetric clip
    add(7, {"epsilon": 0.2, "epsilon_low": None, "epsilon_high": None})
    add(1, {"epsilon_low": 0.2, "epsilon_high": 0.28})
    add(9, {"epsilon_low": 0.0, "epsilon_high": 0.3})
    add(9, {"epsilon_low": 0.3, "epsilon_high": 0.0})
    add(33, {"epsilon_low": 0.15, "epsilon_high": 0.35})
    add(5, {"epsilon_low": 1.5, "epsilon_high": 3.0})               # 1 − ε_low < 0: no lower clip
    add(8, {"epsilon_low": 0.2, "epsilon_high": 0.28}, dtype="float32", rtol=2e-5, atol=1e-6)
    add(5, {"epsilon_high": 10.0}, dtype="float32", rtol=2e-5, atol=1e-6)
    # ratio exactly 1 (a tie of the branches) and extreme ratios (e^±30)
    inputs = {"logp": ([-1.0, -31.0, -5.0, -3.5, -2.0], [5], "float64"),
              "old_logp": ([-1.0, -1.0, -35.0, -3.0, -2.5], [5], "float64"),
              "advantages": ([0.7, 1.0, -0.5, 2.0, -1.0], [5], "float64")}
    out.append(case(cid(), "ppo_clip", inputs, {"epsilon_low": 0.1, "epsilon_high": 0.3}, reference, grads=("logp",),
                    rtol=1e-9, atol=1e-12))
    # NaN in, NaN out
    nan = batch(r, 3, 0.2, 0.28)
    nan["advantages"][0][1] = float("nan")
    out.append(case(cid(), "ppo_clip", nan, {"epsilon_high": 0.28}, reference, grads=("logp",), check_grad=False))
    inp = batch(r, 4, 0.2, 0.2)
    out.append(refusal(cid(), "ppo_clip", inp, {"epsilon_low": -0.1}))
    out.append(refusal(cid(), "ppo_clip", inp, {"epsilon_high": -0.01}))
    out.append(refusal(cid(), "ppo_clip", inp, {"epsilon_high": "Infinity"}))
    out.append(refusal(cid(), "ppo_clip", dict(inp, advantages=([1.0, 2.0], [2], "float64")), {"epsilon_high": 0.3}))
    out.append(refusal(cid(), "ppo_clip", {kk: ([], [0], "float64") for kk in NAMES}, {"epsilon_high": 0.3}))
    return out


if __name__ == "__main__":
    from caselib import write
    write("ppo_clip_asymmetric", cases())

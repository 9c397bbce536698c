#!/usr/bin/python3
"""Reference cases of the learning-to-rank losses, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/ranking.py [--hessian]
  writes core/src/test/resources/conformance/project/<loss>.jsonl (FORMAT.md) for pairwise_logistic,
  pairwise_hinge, lambda_rank, listnet, listmle, approx_ndcg and bpr; --hessian prints instead the
  diagonal Hessians of lambda_rank that LambdaRankTest embeds.

Definitions (CATALOG.md): scores s and relevance y [Q, L], an optional mask [Q, L] (1 = present);
each list's term uses its present items only; mean divides by the number of lists with an item
present, none gives [Q]. bpr: positive [N], negative [N] or [N, K]; mean over the pairs.

Each loss is written out in PyTorch float64 (Debian's python3-torch 1.13) with autograd for the
gradient, in the dense form of its peer: pairwise losses over the L×L matrix of score differences
and the indicator y_i > y_j (TF-Ranking's _pairwise_comparison), listnet as −Σ y·log_softmax
(Optax ranking_softmax_loss), listmle with torch.logcumsumexp over the relevance-sorted scores
(torch.sort stable), approx_ndcg with TF-Ranking's approx_ranks (the L×L sigmoid matrix plus 0.5),
bpr as −logsigmoid(p − q). lambda_rank transcribes XGBoost 3.0's CalcLambdaForGroup / LambdaGrad /
DeltaNDCG loops (rank:ndcg, pair method topk) for the pair weights, which are plain floats (held
constant), and lets autograd differentiate ν·Σ w·softplus(−d): its gradient is XGBoost's λ. Its
Hessian (--hessian) is 2 × torch.autograd.functional.hessian's diagonal of that value, XGBoost's
2·σ(1 − σ)·w per pair (the 1e-16 floor is not reached by these cases).
"""
import math
import random
import sys

import torch
import torch.nn.functional as F

import _cases as C

NAN = float("nan")


# ---------------------------------------------------------------- the per-list references

def pairwise(f):
    def term(s, y, params):
        d = s[:, None] - s[None, :]                        # d[i, j] = s_i − s_j
        p = (y[:, None] > y[None, :]).to(torch.float64)    # pairs with y_i > y_j
        t = (f(d, params) * p).sum()
        if params.get("mean_over_pairs", True) and p.sum() > 0:
            t = t / p.sum()
        return t
    return term


pairwise_logistic = pairwise(lambda d, params: -F.logsigmoid(d))
pairwise_hinge = pairwise(lambda d, params: torch.relu(params.get("margin", 1.0) - d))


def listnet(s, y, params):
    total = y.sum()
    if total.item() == 0:
        return (s * 0).sum()
    w = y / total if params.get("normalize_labels", False) else y
    return -(w * torch.log_softmax(s, 0)).sum()


def listmle(s, y, params):
    order = torch.sort(y, descending=True, stable=True).indices
    sp = s[order]
    lse = torch.logcumsumexp(sp.flip(0), 0).flip(0)       # log Σ_{m ≥ k} exp(s_π(m))
    return (lse - sp).sum()


def dcg_discount(p):
    return 1.0 / math.log2(p + 2.0)


def approx_ndcg(s, y, params):
    t = params.get("temperature", 0.1)
    gains = torch.pow(2.0, y) - 1
    ideal = torch.sort(gains, descending=True).values
    idcg = sum(ideal[p].item() * dcg_discount(p) for p in range(len(ideal)))
    if idcg == 0:
        return (s * 0).sum()
    x = s / t
    ranks = torch.sigmoid(x[None, :] - x[:, None]).sum(1) + 0.5   # TF-Ranking approx_ranks
    return -(gains / torch.log2(1 + ranks)).sum() / idcg


def lambda_weights(s, y, params):
    """XGBoost's pairs (hi, lo) and weights w (floats), and ν, for one group's scores and labels."""
    k = params.get("truncation", 32)
    exp_gain = params.get("exp_gain", True)
    sv, yv = s.tolist(), y.tolist()
    n = len(sv)
    gain = [(2.0 ** v - 1) if exp_gain else v for v in yv]
    ideal = sorted(gain, reverse=True)
    idcg = sum(ideal[p] * dcg_discount(p) for p in range(min(n, k)))
    inv = 0.0 if idcg == 0 else 1.0 / idcg
    rank = sorted(range(n), key=lambda i: -sv[i])           # stable: ties keep list order
    best, worst = sv[rank[0]], sv[rank[-1]]
    pairs = []
    lam = 0.0
    for i in range(min(n, k)):
        for j in range(i + 1, n):
            a, b = rank[i], rank[j]
            if yv[a] == yv[b]:
                continue
            hi, lo, rh, rl = (a, b, i, j) if yv[a] > yv[b] else (b, a, j, i)
            original = gain[hi] * dcg_discount(rh) + gain[lo] * dcg_discount(rl)
            changed = gain[lo] * dcg_discount(rh) + gain[hi] * dcg_discount(rl)
            w = abs((original - changed) * inv)
            if params.get("score_normalization", True) and best != worst:
                w /= abs(sv[hi] - sv[lo]) + 0.01
            sig = torch.sigmoid(torch.tensor(sv[hi] - sv[lo], dtype=torch.float64)).item()
            lam += -2.0 * (sig - 1.0) * w
            pairs.append((hi, lo, w))
    nu = 1.0
    if params.get("normalization", True) and lam > 0:
        nu = math.log2(1 + lam) / lam
    return pairs, nu


def lambda_rank(s, y, params):
    pairs, nu = lambda_weights(s.detach(), y, params)
    t = (s * 0).sum()
    for hi, lo, w in pairs:
        t = t + w * -F.logsigmoid(s[hi] - s[lo])
    return nu * t


LIST_LOSSES = {"pairwise_logistic": pairwise_logistic, "pairwise_hinge": pairwise_hinge, "lambda_rank": lambda_rank,
               "listnet": listnet, "listmle": listmle, "approx_ndcg": approx_ndcg}


def list_reference(term):
    def reference(ts, params):
        s, y = ts["scores"], ts["relevance"]
        m = ts["mask"] if "mask" in ts else torch.ones_like(y)
        terms = []
        lists = 0
        for q in range(s.shape[0]):
            present = m[q] != 0
            if present.any():
                lists += 1
                terms.append(term(s[q][present], y[q][present], params))
            else:
                terms.append((s[q] * 0).sum())
        out = torch.stack(terms) if terms else s.sum(1)
        red = params.get("reduction", "mean")
        if red == "none":
            return out
        return out.sum() if red == "sum" else out.sum() / lists
    return reference


def bpr(ts, params):
    p, q = ts["positive_scores"], ts["negative_scores"]
    t = -F.logsigmoid((p[:, None] if q.dim() == 2 else p) - q)
    return C.reduce(t, params.get("reduction", "mean"))


# ---------------------------------------------------------------- cases

def lists(r, q, l, levels=4, ragged=True, sd=1.0):
    """Scores, relevance and a mask for q lists of l items (list i has l − i mod 3 items if ragged)."""
    s = [r.gauss(0, sd) for _ in range(q * l)]
    y = [float(r.randrange(levels)) for _ in range(q * l)]
    m = [1.0 if (not ragged or j < l - (i % 3)) else 0.0 for i in range(q) for j in range(l)]
    return s, y, m


def list_case(cid, loss, s, y, shape, params=None, mask=None, dtype="float64", **kw):
    inputs = {"scores": (s, shape, dtype), "relevance": (y, shape, dtype)}
    if mask is not None:
        inputs["mask"] = (mask, shape, dtype)
    return C.case(cid, loss, inputs, params or {}, list_reference(LIST_LOSSES[loss]), grads=("scores",), **kw)


def list_refusal(cid, loss, s, y, shape, params=None, mask=None, yshape=None, mshape=None):
    inputs = {"scores": (s, shape, "float64"), "relevance": (y, yshape or shape, "float64")}
    if mask is not None:
        inputs["mask"] = (mask, mshape or shape, "float64")
    return C.refusal(cid, loss, inputs, params or {})


OPTIONS = {
    "pairwise_logistic": [{"mean_over_pairs": False}],
    "pairwise_hinge": [{"mean_over_pairs": False}, {"margin": 0.5}, {"margin": -0.25, "mean_over_pairs": False}],
    "lambda_rank": [{"truncation": 2}, {"score_normalization": False}, {"normalization": False},
                    {"exp_gain": False}, {"truncation": 1, "score_normalization": False, "normalization": False}],
    "listnet": [{"normalize_labels": True}],
    "listmle": [],
    "approx_ndcg": [{"temperature": 1.0}, {"temperature": 0.01}],
}

BAD_OPTIONS = {
    "pairwise_logistic": {"mean_over_pairs": "yes"},
    "pairwise_hinge": {"margin": 2e15},
    "lambda_rank": {"truncation": 0},
    "listnet": {"normalize_labels": 2},
    "listmle": {"reduction": "batchmean"},
    "approx_ndcg": {"temperature": 0.0},
}


def list_cases(loss):
    r = random.Random(sum(map(ord, loss)) + 20261208)
    cid = C.ids(loss)
    out = []
    s, y, m = lists(r, 4, 6)
    out.append(list_case(cid(), loss, s, y, [4, 6], mask=m))                       # defaults, ragged lists
    for red in ("sum", "none"):
        out.append(list_case(cid(), loss, s, y, [4, 6], {"reduction": red}, mask=m))
    for opts in OPTIONS[loss]:
        s2, y2, m2 = lists(r, 3, 7, levels=5)
        out.append(list_case(cid(), loss, s2, y2, [3, 7], dict(opts), mask=m2))
        out.append(list_case(cid(), loss, s2, y2, [3, 7], dict(opts, reduction="none"), mask=m2))
    s, y, _ = lists(r, 5, 4, ragged=False)
    out.append(list_case(cid(), loss, s, y, [5, 4]))                                # no mask
    out.append(list_case(cid(), loss, [0.3], [2.0], [1, 1]))                        # a list of one item
    out.append(list_case(cid(), loss, [0.3, -0.2, 1.0, 0.5, 0.0, 0.7], [0.0] * 6, [2, 3],
                         {"reduction": "sum"}))                                     # no relevant item
    out.append(list_case(cid(), loss, [0.5, 0.5, 0.5, -1.0, 0.25, 0.25], [2.0, 1.0, 1.0, 0.0, 3.0, 3.0],
                         [2, 3], {"reduction": "sum"}))                             # ties in scores and labels
    # a fully masked list is excluded from the mean; padding holds junk that is never read
    out.append(list_case(cid(), loss, [0.1, 0.9, -0.4, 99.0, -99.0, 5.0, 1.5, 0.2, -0.3],
                         [1.0, 0.0, 2.0, 7.0, 1e300, 0.0, 0.0, 1.0, 3.0], [3, 3],
                         mask=[1, 1, 1, 0, 0, 0, 1, 1, 1]))
    # graded relevance that is not an integer
    out.append(list_case(cid(), loss, [0.2, -0.1, 0.4, 1.1], [0.5, 2.25, 0.0, 1.75], [1, 4]))
    # extremes: ±1e4 scores
    out.append(list_case(cid(), loss, [1e4, -1e4, 0.0, 1e4, -1e4, 3.0, -1e4, 1e4], [0.0, 2.0, 1.0, 3.0,
                         1.0, 0.0, 2.0, 1.0], [2, 4], {"reduction": "sum"}, atol=1e-9))
    # float32
    s, y, m = lists(r, 3, 5)
    out.append(list_case(cid(), loss, s, y, [3, 5], mask=m, dtype="float32", rtol=1e-5, atol=1e-6))
    out.append(list_case(cid(), loss, s, y, [3, 5], {"reduction": "none"}, mask=m, dtype="float32",
                         rtol=1e-5, atol=1e-6))
    # a longer list (lambda_rank: beyond the truncation of 32)
    s, y, _ = lists(r, 2, 40, levels=5, ragged=False)
    out.append(list_case(cid(), loss, s, y, [2, 40], {"reduction": "sum"}, rtol=1e-8, atol=1e-11))
    # NaN in a present score gives NaN; NaN in padding is never read
    out.append(list_case(cid(), loss, [NAN, 0.5, 1.0, 0.2], [1.0, 0.0, 2.0, 1.0], [1, 4], check_grad=False))
    out.append(list_case(cid(), loss, [0.1, 0.5, NAN, 0.2], [1.0, 0.0, NAN, 2.0], [1, 4], {"reduction": "sum"},
                         mask=[1, 1, 0, 1]))
    # refusals
    out.append(list_refusal(cid(), loss, [0.1, 0.2, 0.3], [1.0, -1.0, 0.0], [1, 3]))            # y < 0
    out.append(list_refusal(cid(), loss, [0.1, 0.2, 0.3], [1.0, 0.0, 0.0], [1, 3], mask=[1, 0.5, 1]))
    out.append(list_refusal(cid(), loss, [0.1, 0.2, 0.3, 0.4], [1.0, 0.0, 0.0], [2, 2], yshape=[1, 3]))
    out.append(list_refusal(cid(), loss, [0.1, 0.2, 0.3], [1.0, 0.0, 0.0], [3]))               # not [Q, L]
    out.append(list_refusal(cid(), loss, [0.1, 0.2], [1.0, 0.0], [1, 2], mask=[1, 1, 1], mshape=[1, 3]))
    out.append(list_refusal(cid(), loss, [], [], [0, 3]))                                       # mean of nothing
    out.append(list_refusal(cid(), loss, [0.1, 0.2], [1.0, 0.0], [1, 2], BAD_OPTIONS[loss]))
    return out


def bpr_case(cid, p, q, qshape, params=None, dtype="float64", **kw):
    inputs = {"positive_scores": (p, [len(p)], dtype), "negative_scores": (q, qshape, dtype)}
    return C.case(cid, "bpr", inputs, params or {}, bpr, grads=("positive_scores", "negative_scores"), **kw)


def bpr_refusal(cid, p, pshape, q, qshape, params=None):
    return C.refusal(cid, "bpr", {"positive_scores": (p, pshape, "float64"),
                                  "negative_scores": (q, qshape, "float64")}, params or {})


def bpr_cases():
    r = random.Random(20261209)
    cid = C.ids("bpr")
    g = lambda n: [r.gauss(0, 1.5) for _ in range(n)]
    out = [bpr_case(cid(), g(6), g(6), [6])]
    for red in ("sum", "none"):
        out.append(bpr_case(cid(), g(5), g(5), [5], {"reduction": red}))
    out.append(bpr_case(cid(), g(4), g(12), [4, 3]))
    for red in ("sum", "none"):
        out.append(bpr_case(cid(), g(3), g(15), [3, 5], {"reduction": red}))
    out.append(bpr_case(cid(), [0.5], [0.5], [1]))
    out.append(bpr_case(cid(), [0.5], [0.1, 2.0, -3.0], [1, 3]))
    out.append(bpr_case(cid(), g(3), [], [3, 0], {"reduction": "sum"}))
    out.append(bpr_case(cid(), [1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, 1e4, 1e4 - 1], [4], {"reduction": "sum"}))
    out.append(bpr_case(cid(), [40.0, -40.0, 700.0], [0.0, 0.0, -700.0], [3], {"reduction": "none"}))
    out.append(bpr_case(cid(), g(8), g(8), [8], dtype="float32", rtol=1e-5, atol=1e-6))
    out.append(bpr_case(cid(), g(2), g(6), [2, 3], {"reduction": "none"}, dtype="float32", rtol=1e-5, atol=1e-6))
    out.append(bpr_case(cid(), [NAN, 0.5], [0.1, 0.2], [2], {"reduction": "none"}))
    out.append(bpr_case(cid(), [0.3, 0.5], [0.1, NAN, 0.2, 0.0], [2, 2], check_grad=False))
    out.append(bpr_refusal(cid(), [0.1, 0.2], [2, 1], [0.1, 0.2], [2, 1]))
    out.append(bpr_refusal(cid(), [0.1, 0.2], [2], [0.1, 0.2, 0.3], [3]))
    out.append(bpr_refusal(cid(), [0.1, 0.2], [2], [0.1, 0.2], [2, 1, 1]))
    out.append(bpr_refusal(cid(), [], [0], [], [0]))
    out.append(bpr_refusal(cid(), [0.1], [1], [0.2], [1], {"reduction": "batchmean"}))
    return out


# ---------------------------------------------------------------- lambda_rank's Hessians

# (scores, relevance, options): one list each, reduction sum
HESSIAN_CASES = [
    ([0.3, -1.2, 0.8, 0.1, 2.0], [1.0, 0.0, 3.0, 2.0, 0.0], {}),
    ([0.5, 0.4, -0.3, 1.1, -2.0, 0.0], [2.0, 2.0, 0.0, 1.0, 3.0, 0.0], {"truncation": 2}),
    ([1.0, -1.0, 0.5, 0.25], [1.0, 2.0, 0.0, 4.0], {"score_normalization": False, "normalization": False}),
    ([0.2, 0.1, -0.4, 0.3], [0.0, 1.0, 1.0, 2.0], {"exp_gain": False}),
]


def hessians():
    for s, y, opts in HESSIAN_CASES:
        x = torch.tensor(s, dtype=torch.float64)
        yt = torch.tensor(y, dtype=torch.float64)
        pairs, nu = lambda_weights(x, yt, opts)

        def value(v):
            t = (v * 0).sum()
            for hi, lo, w in pairs:
                t = t + w * -F.logsigmoid(v[hi] - v[lo])
            return nu * t
        h = torch.autograd.functional.hessian(value, x)
        print("            {%s}," % ", ".join(repr(2 * h[i, i].item()) for i in range(len(s))))


if __name__ == "__main__":
    if "--hessian" in sys.argv:
        hessians()
    else:
        for name in LIST_LOSSES:
            C.write(name, list_cases(name))
        C.write("bpr", bpr_cases())

#!/usr/bin/python3
"""Reference cases of the label-based pair losses supcon, infonce, multi_similarity, circle and
lifted_structure, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/pair_metric.py
  writes core/src/test/resources/conformance/project/{supcon,infonce,multi_similarity,circle,
  lifted_structure}.jsonl (FORMAT.md).

Definitions (CATALOG.md): pytorch-metric-learning's SupConLoss, NTXentLoss (= infonce),
MultiSimilarityLoss on MultiSimilarityMiner's pairs, CircleLoss and LiftedStructureLoss with their
default distances and reducers. Each reference below is PML's forward transcribed into PyTorch
float64 (Debian's python3-torch 1.13): F.normalize, the similarity matrix u·uᵀ (distances from
differences for lifted_structure), the label masks of get_all_pairs_indices, PML's masked
logsumexp, the miner's sort-free rule written per anchor, the reducers. The gradient is torch's
autograd of that forward (circle's weights α detached, as PML).

Where the catalog departs from PML, the reference follows the catalog, and says so here:
- mean divides by the catalog's count (supcon, circle: anchors with a positive and a negative;
  PML's AvgNonZeroReducer counts terms > 0, the same in every case here); a mean with nothing to
  divide by is a refusal (PML returns 0);
- infonce takes log of the exact ratio (PML adds finfo.tiny inside the log, which changes nothing
  in these cases but caps a term at 708);
- circle's softplus is exact (torch.logaddexp(z, 0); PML's Softplus is linear above 20);
- multi_similarity: PML's GenericPairLoss returns 0 when the mined tuple holds at most one positive
  and one negative pair; the catalog does not (the cases here mine more pairs than that anyway).
"""
import random

import torch

import _cases as C


def normalise(e):
    return torch.nn.functional.normalize(e, p=2, dim=1, eps=1e-12)


def masks(y):
    same = (y.unsqueeze(0) == y.unsqueeze(1))
    eye = torch.eye(len(y), dtype=torch.bool)
    return same & ~eye, ~same


def pml_lse(x, keep, add_one=False):
    """lmu.logsumexp over dim 1: masked entries to finfo.min, optional extra 0, rows with nothing kept give 0."""
    x = x.masked_fill(~keep, torch.finfo(x.dtype).min)
    if add_one:
        x = torch.cat([x, torch.zeros(x.shape[0], 1, dtype=x.dtype)], dim=1)
    out = torch.logsumexp(x, dim=1)
    return out.masked_fill(~keep.any(dim=1), 0)


def reduce(terms, count, red):
    if red == "none":
        return terms
    if red == "sum":
        return terms.sum()
    return terms.sum() / count


# ---------------------------------------------------------------- the five references

def supcon(ts, params):
    e, y = ts["embeddings"], ts["labels"]
    tau = params.get("temperature", 0.1)
    pos, neg = masks(y)
    mat = normalise(e) @ normalise(e).t()
    mat = mat / tau
    mat = mat - mat.max(dim=1, keepdim=True)[0].detach()
    denom = pml_lse(mat, pos | neg)
    log_prob = mat - denom.unsqueeze(1)
    npos = pos.sum(dim=1)
    valid = (npos > 0) & (neg.sum(dim=1) > 0)
    mean_log_prob_pos = (pos * log_prob).sum(dim=1) / npos.clamp(min=1)
    terms = torch.where(valid, -mean_log_prob_pos, torch.zeros_like(mean_log_prob_pos))
    return reduce(terms, valid.sum(), params.get("reduction", "mean"))


def infonce(ts, params):
    e, y = ts["embeddings"], ts["labels"]
    tau = params.get("temperature", 0.07)
    pos, neg = masks(y)
    mat = normalise(e) @ normalise(e).t() / tau
    a1, p = torch.where(pos)
    terms = []
    for a, q in zip(a1.tolist(), p.tolist()):
        negs = mat[a][neg[a]]
        # −log(exp(s_ap) / (exp(s_ap) + Σ exp(s_an))) = logsumexp([s_ap, s_an...]) − s_ap
        terms.append(torch.logsumexp(torch.cat([mat[a, q:q + 1], negs]), 0) - mat[a, q])
    terms = torch.stack(terms) if terms else torch.zeros(0, dtype=e.dtype) + 0 * e.sum()
    return reduce(terms, len(terms), params.get("reduction", "mean"))


def mined(mat, pos, neg, eps):
    """MultiSimilarityMiner's pairs (cosine: inverted), per anchor: pos kept if s − ε < max neg, neg if s + ε > min pos."""
    m = mat.detach()
    n = m.shape[0]
    kp = torch.zeros_like(pos)
    kn = torch.zeros_like(neg)
    if not pos.any() or not neg.any():
        return kp, kn
    for i in range(n):
        if not pos[i].any() or not neg[i].any():
            continue
        hardest_neg = m[i][neg[i]].max()
        hardest_pos = m[i][pos[i]].min()
        kp[i] = pos[i] & (m[i] - eps < hardest_neg)
        kn[i] = neg[i] & (m[i] + eps > hardest_pos)
    return kp, kn


def multi_similarity(ts, params):
    e, y = ts["embeddings"], ts["labels"]
    alpha, beta, base = params.get("alpha", 2.0), params.get("beta", 50.0), params.get("base", 0.5)
    eps = params.get("epsilon", 0.1)
    pos, neg = masks(y)
    mat = normalise(e) @ normalise(e).t()
    if eps is not None:
        pos, neg = mined(mat, pos, neg, eps)
    pos_loss = (1.0 / alpha) * pml_lse(alpha * (base - mat), pos, add_one=True)
    neg_loss = (1.0 / beta) * pml_lse(beta * (mat - base), neg, add_one=True)
    terms = pos_loss + neg_loss
    return reduce(terms, len(terms), params.get("reduction", "mean"))


def circle(ts, params):
    e, y = ts["embeddings"], ts["labels"]
    m, gamma = params.get("m", 0.4), params.get("gamma", 80.0)
    pos, neg = masks(y)
    mat = normalise(e) @ normalise(e).t()
    sd = mat.detach()
    logit_p = -gamma * torch.relu(1 + m - sd) * (mat - (1 - m))
    logit_n = gamma * torch.relu(sd + m) * (mat - m)
    new = torch.where(pos, logit_p, torch.where(neg, logit_n, torch.zeros_like(mat)))
    z = pml_lse(new, pos) + pml_lse(new, neg)
    valid = pos.any(dim=1) & neg.any(dim=1)
    terms = torch.where(valid, torch.logaddexp(z, torch.zeros_like(z)), torch.zeros_like(z))
    return reduce(terms, valid.sum(), params.get("reduction", "mean"))


def pairwise_distances(u):
    """‖u_i − u_j‖ from the differences (torch.cdist's non-mm path; its backward is 0 at distance 0)."""
    return torch.cdist(u, u, p=2, compute_mode="donot_use_mm_for_euclid_dist")


def lifted_structure(ts, params):
    e, y = ts["embeddings"], ts["labels"]
    neg_margin, pos_margin = params.get("neg_margin", 1.0), params.get("pos_margin", 0.0)
    pos, neg = masks(y)
    mat = pairwise_distances(normalise(e))
    a1, p = torch.where(pos)
    a2, nn = torch.where(neg)
    if len(a1) == 0:
        terms = torch.zeros(0, dtype=e.dtype) + 0 * e.sum()
    elif len(a2) == 0:
        terms = torch.zeros(len(a1), dtype=e.dtype) + 0 * e.sum()
    else:
        pos_pairs = mat[a1, p].unsqueeze(1)
        neg_pairs = mat[a2, nn]
        n_per_p = (a2.unsqueeze(0) == a1.unsqueeze(1)) | (a2.unsqueeze(0) == p.unsqueeze(1))
        rem_neg = (neg_margin - neg_pairs).unsqueeze(0).expand(len(a1), -1)
        neg_loss = pml_lse(rem_neg, n_per_p)
        terms = torch.relu(neg_loss + (pos_pairs.squeeze(1) - pos_margin)) ** 2 / 2
    return reduce(terms, len(terms), params.get("reduction", "mean"))


REFERENCES = {"supcon": supcon, "infonce": infonce, "multi_similarity": multi_similarity, "circle": circle,
              "lifted_structure": lifted_structure}


# ---------------------------------------------------------------- cases

def gauss(r, n, s=1.0):
    return [r.gauss(0, s) for _ in range(n)]


def case(cid, loss, e, n, d, y, params=None, dtype="float64", **kw):
    inputs = {"embeddings": (e, [n, d], dtype), "labels": (y, [n], "int64")}
    if dtype == "float32":
        kw.setdefault("rtol", 2e-6)
        kw.setdefault("atol", 1e-7)
    return C.case(cid, loss, inputs, params or {}, REFERENCES[loss], grads=("embeddings",), **kw)


def refusal(cid, loss, e, eshape, y, yshape, params=None, ydtype="int64"):
    return C.refusal(cid, loss, {"embeddings": (e, eshape, "float64"), "labels": (y, yshape, ydtype)}, params or {})


def labels(r, n, classes):
    y = [i % classes for i in range(n)]
    r.shuffle(y)
    return y


OPTIONS = {
    "supcon": [{"temperature": 0.5}, {"temperature": 1.0}, {"temperature": 0.05}],
    "infonce": [{"temperature": 0.5}, {"temperature": 0.2}, {"temperature": 1.0}],
    "multi_similarity": [{"alpha": 1.0, "beta": 10.0}, {"base": 0.2}, {"epsilon": None}, {"epsilon": 0.3},
                         {"epsilon": 0.0}, {"alpha": 4.0, "beta": 20.0, "base": 0.0, "epsilon": None}],
    "circle": [{"m": 0.25, "gamma": 256.0}, {"m": 0.25, "gamma": 128.0}, {"gamma": 1.0}, {"m": 0.0, "gamma": 10.0},
               {"m": -0.2, "gamma": 32.0}],
    "lifted_structure": [{"neg_margin": 0.5}, {"pos_margin": 0.3}, {"neg_margin": 2.0, "pos_margin": 0.1},
                         {"neg_margin": -1.0}],
}

# where a mean has nothing to divide by: infonce and lifted_structure need a positive pair, supcon and
# circle an anchor with a positive and a negative; multi_similarity divides by N
NEEDS_NEGATIVES = {"supcon", "circle"}


def cases_of(loss):
    r = random.Random(sum(map(ord, loss)) + 20261218)
    cid = C.ids(loss)
    out = []
    # defaults, three reductions
    y = labels(r, 8, 3)
    e = gauss(r, 8 * 4)
    out.append(case(cid(), loss, e, 8, 4, y))
    for red in ("sum", "none"):
        out.append(case(cid(), loss, e, 8, 4, y, {"reduction": red}))
    # each option
    for opts in OPTIONS[loss]:
        out.append(case(cid(), loss, gauss(r, 10 * 3), 10, 3, labels(r, 10, 4), opts))
        out.append(case(cid(), loss, gauss(r, 7 * 5), 7, 5, labels(r, 7, 2), dict(opts, reduction="none")))
    # classes with one member (anchors without positives), odd D, unusual label values
    out.append(case(cid(), loss, gauss(r, 6 * 7), 6, 7, [5, 5, -3, 9, 5, 1 << 40], {"reduction": "none"}))
    out.append(case(cid(), loss, gauss(r, 9 * 1), 9, 1, labels(r, 9, 3)))
    out.append(case(cid(), loss, gauss(r, 12 * 2), 12, 2, labels(r, 12, 5), {"reduction": "sum"}))
    # N = 2 (one positive pair, or a negative pair) and N = 1
    if loss in NEEDS_NEGATIVES:
        out.append(case(cid(), loss, gauss(r, 2 * 3), 2, 3, [4, 4], {"reduction": "none"}))
        out.append(case(cid(), loss, gauss(r, 3 * 3), 3, 3, [4, 4, 0]))
    else:
        out.append(case(cid(), loss, gauss(r, 2 * 3), 2, 3, [4, 4]))
    out.append(case(cid(), loss, gauss(r, 2 * 3), 2, 3, [0, 1], {"reduction": "sum"}))
    out.append(case(cid(), loss, gauss(r, 1 * 3), 1, 3, [0], {"reduction": "none"}))
    # all one class (no negatives), all labels distinct (no positives)
    out.append(case(cid(), loss, gauss(r, 5 * 3), 5, 3, [2] * 5, {"reduction": "sum"}))
    out.append(case(cid(), loss, gauss(r, 5 * 3), 5, 3, [0, 1, 2, 3, 4], {"reduction": "none"}))
    # a larger batch
    out.append(case(cid(), loss, gauss(r, 30 * 6), 30, 6, labels(r, 30, 6), rtol=1e-8))
    # scale of the embeddings does not matter (normalised): huge and tiny rows
    e = gauss(r, 8 * 3)
    big = [v * 1e150 if i < 12 else v * 1e-150 for i, v in enumerate(e)]
    out.append(case(cid(), loss, big, 8, 3, labels(r, 8, 2)))
    # a zero embedding (normalised to 0, similarity 0)
    e = gauss(r, 6 * 3)
    e[3:6] = [0.0, 0.0, 0.0]
    out.append(case(cid(), loss, e, 6, 3, [0, 1, 0, 1, 0, 1], {"reduction": "sum"}))
    # two identical embeddings (distance 0, similarity 1) of one class
    e = gauss(r, 6 * 3)
    e[3:6] = e[0:3]
    out.append(case(cid(), loss, e, 6, 3, [0, 0, 1, 1, 2, 2], {"reduction": "sum"}))
    # sharp settings: log-sum-exp stability
    sharp = {"supcon": {"temperature": 0.001}, "infonce": {"temperature": 0.001},
             "multi_similarity": {"alpha": 500.0, "beta": 1000.0, "epsilon": None},
             "circle": {"gamma": 10000.0}, "lifted_structure": {"neg_margin": 300.0}}[loss]
    out.append(case(cid(), loss, gauss(r, 8 * 3), 8, 3, labels(r, 8, 2), sharp, rtol=1e-8, atol=1e-10))
    # float32
    out.append(case(cid(), loss, gauss(r, 10 * 4), 10, 4, labels(r, 10, 3), dtype="float32"))
    out.append(case(cid(), loss, gauss(r, 6 * 3), 6, 3, labels(r, 6, 2), {"reduction": "none"}, dtype="float32"))
    # refusals: label count, label dtype and rank, embeddings rank, options, a mean over nothing
    e = gauss(r, 4 * 3)
    out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0], [3]))
    out.append(refusal(cid(), loss, e, [4, 3], [0.0, 1.0, 0.0, 1.0], [4], ydtype="float64"))
    out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [2, 2]))
    out.append(refusal(cid(), loss, e, [12], [0] * 12, [12]))
    out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], {"reduction": "batchmean"}))
    out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], {"margin": 1.0}))
    bad = {"supcon": {"temperature": 0.0}, "infonce": {"temperature": -1.0}, "multi_similarity": {"alpha": 0.0},
           "circle": {"gamma": 0.0}, "lifted_structure": {"neg_margin": 2e15}}[loss]
    out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], bad))
    if loss == "multi_similarity":
        out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], {"epsilon": -0.1}))
        out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], {"beta": 2e300, "base": 1e300}))
    if loss == "circle":
        out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 0, 1], [4], {"m": 1.5}))
    if loss in NEEDS_NEGATIVES:
        out.append(refusal(cid(), loss, e, [4, 3], [7, 7, 7, 7], [4]))
    if loss != "multi_similarity":
        out.append(refusal(cid(), loss, e, [4, 3], [0, 1, 2, 3], [4]))
    out.append(refusal(cid(), loss, [], [0, 3], [], [0]))
    return out


def main():
    for loss in REFERENCES:
        C.write(loss, cases_of(loss))


if __name__ == "__main__":
    main()

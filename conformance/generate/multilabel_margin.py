#!/usr/bin/python3
"""Reference cases of multilabel_margin, independent of losses4j.

usage: /usr/bin/python3 conformance/generate/multilabel_margin.py
  writes core/src/test/resources/conformance/project/multilabel_margin.jsonl (FORMAT.md).

Definition (CATALOG.md; PyTorch MultiLabelMarginLoss): per row Σ_{j∈T} Σ_{i∉T} max(0, 1 − (x[y_j] − x[i])) / C,
T the target's indices before the first −1; mean divides by N.

Value and gradient: torch.nn.functional.multilabel_margin_loss itself in float64, its autograd gradient
(Debian's python3-torch 1.13). Its backward is 0 at the kink 1 − x[y_j] + x[i] = 0, the catalog's
subgradient. A NaN score is value-only (PyTorch gives 0 for a row without pairs; the catalog NaN), and
the rows it makes NaN are checked against the catalog's NaN there.
"""
import random

import torch

import _cases as C

LOSS = "multilabel_margin"


def reference(ts, params):
    return torch.nn.functional.multilabel_margin_loss(ts["input"], ts["target"],
                                                       reduction=params.get("reduction", "mean"))


def case(cid, x, shape, y, params=None, dtype="float64", **kw):
    inputs = {"input": (x, shape, dtype), "target": (y, shape, "int64")}
    return C.case(cid, LOSS, inputs, params or {}, reference, **kw)


def targets(r, n, c, pad=-1, dup=False):
    """n rows: a random set of positive classes (possibly empty or all), −1, then padding."""
    out = []
    for _ in range(n):
        k = r.randint(0, c)
        row = r.sample(range(c), k)
        if dup and row and k < c - 1:
            row.append(row[0])
        row = row[:c]
        if len(row) < c:
            row.append(-1)
        while len(row) < c:
            row.append(pad if pad != "any" else r.randint(-1, c - 1))
        out.extend(row)
    return out


def scores(r, n, scale=1.0):
    return [r.gauss(0, scale) for _ in range(n)]


def cases():
    r = random.Random(20261217)
    cid = C.ids(LOSS)
    out = []
    out.append(case(cid(), scores(r, 20), [4, 5], targets(r, 4, 5)))
    for red in ("mean", "sum", "none"):
        out.append(case(cid(), scores(r, 42), [6, 7], targets(r, 6, 7), {"reduction": red}))
    # a single row [C]: reduction none is a number
    out.append(case(cid(), scores(r, 6), [6], [4, 0, -1, 2, 3, 1]))
    out.append(case(cid(), scores(r, 6), [6], [5, 2, 1, -1, -1, -1], {"reduction": "none"}))
    # entries after the terminator are ignored, whatever class they name
    out.append(case(cid(), scores(r, 35), [5, 7], targets(r, 5, 7, pad="any"), {"reduction": "none"}))
    # repeated indices count twice (PyTorch's loop over the list)
    out.append(case(cid(), scores(r, 24), [4, 6], targets(r, 4, 6, dup=True), {"reduction": "none"}))
    # rows with no listed class (term 0), every class listed (no negatives: 0), one class
    out.append(case(cid(), scores(r, 12), [3, 4], [-1, 0, 1, 2, 0, 1, 2, 3, 2, -1, -1, -1], {"reduction": "none"}))
    out.append(case(cid(), scores(r, 3), [3, 1], [0, -1, 0], {"reduction": "sum"}))
    # wide margins: scores far apart (no violation) and far wrong
    out.append(case(cid(), [5.0, -5.0, -5.0, -6.0, 5.0, -5.0], [2, 3], [0, -1, -1, 1, -1, -1], {"reduction": "none"}))
    # the kink: 1 − x[y_j] + x[i] = 0 exactly (term 0, subgradient 0)
    out.append(case(cid(), [1.0, 0.0, -2.0, 0.5, -0.5, 3.0], [2, 3], [0, -1, -1, 0, -1, -1], {"reduction": "none"}))
    # extremes ±1e4 and 1e300
    out.append(case(cid(), [1e4, -1e4, 0.0, -1e4, 1e4, 0.5], [2, 3], [0, -1, -1, 0, 2, -1], {"reduction": "none"}))
    out.append(case(cid(), [1e300, -1e300, 0.0, 1.0], [2, 2], [1, -1, 0, -1], {"reduction": "sum"}, rtol=1e-12))
    # float32
    out.append(case(cid(), scores(r, 30), [5, 6], targets(r, 5, 6), dtype="float32", rtol=1e-6))
    out.append(case(cid(), scores(r, 21), [3, 7], targets(r, 3, 7), {"reduction": "none"}, dtype="float32",
                    rtol=1e-6))
    # NaN in: value only (see the docstring)
    def nan_rows(value, grads):
        # PyTorch's max(0, NaN) is 0 (its test z > 0 fails); the catalog's row 0 is NaN, row 1 PyTorch's
        return [float("nan")] + value[1:], grads

    out.append(case(cid(), [float("nan"), 0.5, 0.1, 0.2, 0.3, 0.4], [2, 3], [1, -1, -1, 0, -1, -1],
                    {"reduction": "none"}, check_grad=False, fix=nan_rows))
    # refusals: an index outside [−1, C), before or after the terminator; shapes; dtype; options
    x = scores(r, 12)
    f = "float64"
    ok = [0, -1, -1, 2, 1, -1, -1, -1, 3, -1, -1, -1]
    for bad in ([0, 4, -1, -1], [0, -1, 7, -1], [-2, -1, -1, -1]):
        out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (ok[:8] + bad, [3, 4], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (ok, [4, 3], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (ok[:8], [2, 4], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": ([float(v) for v in ok], [3, 4], f)}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 2, 2], f), "target": (ok, [3, 2, 2], "int64")}, {}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (ok, [3, 4], "int64")}, {"margin": 1.0}))
    out.append(C.refusal(cid(), LOSS, {"input": (x, [3, 4], f), "target": (ok, [3, 4], "int64")},
                         {"reduction": "batchmean"}))
    return out


if __name__ == "__main__":
    C.write(LOSS, cases())

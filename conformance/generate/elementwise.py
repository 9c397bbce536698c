"""Shared machinery of the generators of elementwise losses (tweedie.py, gamma.py, expectile.py,
mape.py, fair.py; pseudo_huber.py predates it and keeps its own copy). Not a generator itself.

A loss script gives a Spec: the term as PyTorch float64 operations (autograd differentiates
it, double backward gives the second derivative) and the same term in mpmath. For every
element the two are compared: where float64 evaluates the formula as written accurately,
torch's term and derivative are the reference and must agree with mpmath's (its value, and
mpmath.diff's numerical derivative of it), which checks both; where the spec says float64
cannot (an exponential that overflows although the product does not, a cancellation), the
element's reference is mpmath's instead, and only there. At a kink (spec.kink) the catalog's
subgradient is the reference, and torch's must equal it. Weights multiply the term and its
derivatives; mean divides by the number of elements, as CATALOG.md says.

Written with Debian's python3-torch 1.13 and python3-mpmath; never with losses4j.
"""
import math
import random

import mpmath
import torch

import caselib
from caselib import f32, num, tensor  # noqa: F401 (the generators import them from here)

mpmath.mp.dps = 60


class Spec:
    """One loss: name, defaults, the term in torch and in mpmath, and where float64 is not enough.

    torch_term(x, y, params) -> tensor of terms (x, y float64 tensors, x requiring grad)
    mp_term(x, y, params)    -> mpf term of one element (x an mpf, y a float)
    float64_fails(x, y, params, what) -> True where the formula as written cannot be evaluated in
        float64 (what is "term", "grad" or "hess"): only there is mpmath's value taken
    kink(x, y, params)       -> the catalog's subgradient (and second derivative) at a kink, as a
        pair (grad, hess), or None away from kinks
    digits(x, y, params)     -> mpmath working digits for this element (default 60)
    step(x, y, params)       -> the scale of x for mpmath.diff's step (default max(|x|, |y|, 1))
    magnitude(x, y, params, what) -> the size torch's rounding is relative to where the value is a
        difference of larger parts (a gradient that vanishes at the optimum); default 0 (|value|)
    """

    def __init__(self, name, defaults, torch_term, mp_term, float64_fails=None, kink=None, digits=None,
                 step=None, magnitude=None):
        self.name = name
        self.defaults = defaults
        self.torch_term = torch_term
        self.mp_term = mp_term
        self.float64_fails = float64_fails or (lambda x, y, p, what: False)
        self.kink = kink or (lambda x, y, p: None)
        self.digits = digits or (lambda x, y, p: 60)
        # the step of mpmath.diff: relative to the element's own scale
        self.step = step or (lambda x, y, p: max(abs(x), abs(y), 1.0))
        self.magnitude = magnitude or (lambda x, y, p, what: 0.0)

    def params(self, given):
        p = dict(self.defaults)
        p.update({k: v for k, v in given.items() if k != "reduction"})
        return p


def close(a, b, rtol):
    if math.isinf(b) or math.isinf(a):
        return a == b
    return abs(a - b) <= rtol * abs(b) or a == b


def torch_derivatives(spec, x, y, p):
    """Terms, first and second derivatives by autograd (float64, the formula as written)."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = torch.tensor(y, dtype=torch.float64)
    t = spec.torch_term(xt, yt, p)
    (g,) = torch.autograd.grad(t.sum(), xt, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), xt, allow_unused=True) if g.requires_grad else (None,)
    if h is None:
        h = torch.zeros_like(xt)
    # + 0: sign's backward gives a zero tensor without storage (abs's second derivative)
    return t.detach().tolist(), g.detach().tolist(), (h.detach() + 0).tolist()


def mp_at(spec, x, y, p, order):
    """mpmath's term (order 0) or its numerical derivative, and a bound on that derivative's rounding noise."""
    dps = spec.digits(x, y, p)
    with mpmath.workdps(dps):
        f = lambda v: spec.mp_term(v, y, p)
        t = f(mpmath.mpf(x))
        if order == 0:
            return t, 0.0
        rel = 20 if order == 1 else 12
        s = mpmath.mpf(spec.step(x, y, p))
        h = s * mpmath.mpf(10) ** -rel
        d = mpmath.diff(f, mpmath.mpf(x), order, h=h)
        # rounding: about 10^-dps·|f| / h^order, |f| the largest value the difference reads;
        # bounded with a margin of 10^(30 - rel·order)
        big = max(abs(t), abs(f(mpmath.mpf(x) + h)), abs(f(mpmath.mpf(x) - h)))
        noise = mpmath.mpf(10) ** (30 - dps) * big / s ** order
        return d, float(noise)


def reference(spec, x, y, p, rtol=1e-10):
    """Per element: (term, d term/dx, d² term/dx²) in float64."""
    tt, tg, th = torch_derivatives(spec, x, y, p)
    out = []
    for xi, yi, ti, gi, hi in zip(x, y, tt, tg, th):
        if math.isnan(xi) or math.isnan(yi):
            # NaN in, NaN out (CATALOG.md): torch's term is NaN; its gradient too except through abs,
            # whose backward gives sign(NaN) = 0 in torch 1.13, where the catalog's NaN is the reference
            assert math.isnan(ti), f"{spec.name}: NaN in must be NaN out at x={xi} y={yi}"
            out.append((ti, math.nan, math.nan))
            continue
        got = []
        k = spec.kink(xi, yi, p)
        for what, tv, order in (("term", ti, 0), ("grad", gi, 1), ("hess", hi, 2)):
            if what != "term" and k is not None:
                want = k[0] if what == "grad" else k[1]
                assert abs(tv - want) <= 1e-15 * abs(want), \
                    f"{spec.name}: torch's {what} {tv} at the kink x={xi} y={yi} is not {want}"
                got.append(want)
                continue
            m, noise = mp_at(spec, xi, yi, p, order)
            m = float(m)
            near = abs(tv - m) <= noise + rtol * spec.magnitude(xi, yi, p, what)
            if tv == m or math.isfinite(tv) and (close(tv, m, rtol) or near):
                got.append(tv)
            else:
                assert spec.float64_fails(xi, yi, p, what), \
                    f"{spec.name}: {what}: torch {tv} and mpmath {m} disagree at x={xi} y={yi} {p}"
                assert noise <= 1e-13 * abs(m) or math.isinf(m), \
                    f"{spec.name}: {what}: mpmath's {m} is not accurate enough at x={xi} y={yi} {p}: more digits"
                got.append(m)
        out.append(tuple(got))
    return out


def case(spec, cid, shape, x, y, params=None, weight=None, dtype="float64", rtol=1e-9, atol=1e-12):
    params = params or {}
    p = spec.params(params)
    if dtype == "float32":
        x, y = [f32(v) for v in x], [f32(v) for v in y]
        weight = None if weight is None else [f32(v) for v in weight]
    ref = reference(spec, x, y, p)
    return assemble(spec.name, cid, shape, x, y, [r[0] for r in ref], [r[1] for r in ref], params, weight, dtype,
                    rtol, atol)


def assemble(loss, cid, shape, x, y, terms, grads, params, weight, dtype, rtol, atol):
    """The case of an elementwise loss from its unweighted reference terms and derivatives: weighted,
    reduced (mean over the number of elements, the sum exact by mpmath.fsum), in FORMAT.md's form."""
    red = params.get("reduction", "mean")
    w = weight if weight is not None else [1.0] * len(x)
    terms = [wi * t for wi, t in zip(w, terms)]
    grads = [wi * g for wi, g in zip(w, grads)]
    n = len(x)
    if red == "none":
        value = tensor(terms, shape, dtype)
        scale = 1.0
    else:
        s = float(mpmath.fsum(terms)) if all(math.isfinite(t) for t in terms) else sum(terms)
        value = num(s / n if red == "mean" else s)
        scale = 1.0 / n if red == "mean" else 1.0
    inputs = {"input": tensor(x, shape, dtype), "target": tensor(y, shape, dtype)}
    if weight is not None:
        inputs["weight"] = tensor(weight, shape, dtype)
    return {"id": cid, "loss": loss, "params": params, "inputs": inputs,
            "expect": {"value": value, "grad": {"input": tensor([g * scale for g in grads], shape, dtype)}},
            "rtol": rtol, "atol": atol}


def shaped_refusal(loss, cid, params, xshape, yshape, wshape=None):
    """A case that must be refused (invalid_argument), with Gaussian data of the given shapes."""
    r = random.Random(cid)
    inputs = {"input": tensor([r.gauss(0, 1) for _ in range(math.prod(xshape))], xshape),
              "target": tensor([r.gauss(0, 1) for _ in range(math.prod(yshape))], yshape)}
    if wshape is not None:
        inputs["weight"] = tensor([r.uniform(0.5, 2) for _ in range(math.prod(wshape))], wshape)
    return {"id": cid, "loss": loss, "params": params, "inputs": inputs, "expect": {"error": "invalid_argument"}}


def refusal(spec, cid, params, x, y, wshape=None):
    """A case that must be refused (invalid_argument); x and y are the data or, as lists of ints, shapes."""
    r = random.Random(cid)
    if all(isinstance(v, int) for v in x) and all(isinstance(v, int) for v in y):
        xs, ys = list(x), list(y)
        x = [r.uniform(0.5, 2) for _ in range(math.prod(xs))]
        y = [r.uniform(0.5, 2) for _ in range(math.prod(ys))]
    else:
        xs, ys = [len(x)], [len(y)]
    inputs = {"input": tensor(x, xs), "target": tensor(y, ys)}
    if wshape is not None:
        inputs["weight"] = tensor([r.uniform(0.5, 2) for _ in range(math.prod(wshape))], wshape)
    return {"id": cid, "loss": spec.name, "params": params, "inputs": inputs, "expect": {"error": "invalid_argument"}}


def ids(name):
    k = iter(range(1, 1000))
    return lambda: "%s-%03d" % (name, next(k))


def common_cases(spec, c, r, data, options):
    """The cases every elementwise loss has: defaults, each reduction, odd shapes, per-element weights
    and float32. data(n) gives (input, target) of n elements; options are the non-default ones to use."""
    out = [c([6], *data(6))]
    for red in ("mean", "sum", "none"):
        out.append(c([3, 5], *data(15), {"reduction": red}))
    out.append(c([], *data(1)))
    out.append(c([1], *data(1), {"reduction": "sum"}))
    out.append(c([2, 3, 4], *data(24), dict(options, reduction="none")))
    for red in ("mean", "sum", "none"):
        out.append(c([3, 4], *data(12), dict(options, reduction=red), weight=[r.uniform(0, 3) for _ in range(12)]))
    out.append(c([4, 3], *data(12), dict(options), dtype="float32", rtol=1e-6))
    out.append(c([2, 3], *data(6), {"reduction": "none"}, weight=[r.uniform(0.5, 2) for _ in range(6)],
                 dtype="float32", rtol=1e-6))
    return out


def nan_cases(c, x, y):
    """NaN in, NaN out (only where it is): x[0] and y[1] NaN, unreduced and under mean."""
    nan = float("nan")
    return [c([3], [nan] + x[1:], [y[0], nan] + y[2:], {"reduction": "none"}),
            c([3], [nan] + x[1:], list(y))]


def common_refusals(spec, cid):
    """Refusals every elementwise loss has: shapes, the weight's shape, an unknown reduction."""
    return [refusal(spec, cid(), {}, [3, 4], [4, 3]),
            refusal(spec, cid(), {}, [5], [6]),
            refusal(spec, cid(), {"reduction": "sum"}, [2, 3], [2, 3], wshape=[3]),
            refusal(spec, cid(), {"reduction": "avg"}, [4], [4])]


def main(spec, cases, hessian_points):
    """A generator's command line: write the cases, or with --hessian print the second derivatives."""
    import sys
    if "--hessian" in sys.argv:
        print_hessians(spec, hessian_points)
    else:
        write(spec, cases())


def write(spec, cases):
    caselib.write(spec.name, cases)


def print_hessians(spec, points):
    """(x, y, params, d²term/dx²) rows for a loss's test class: torch's double backward, checked against mpmath."""
    for x, y, given in points:
        p = spec.params(given)
        (_, _, h), = reference(spec, [x], [y], p)
        row = [x, y] + [p[k] for k in sorted(p)] + [h]
        print("            {%s}," % ", ".join(repr(float(v)) for v in row))

#!/usr/bin/env python3
"""Joins torch_baseline.py and `losses bench --json` output (one or more runs of each, JSON
lines) by workload and prints the markdown table of docs/performance.md.

    table.py --torch t1.jsonl t2.jsonl --losses l1.jsonl l2.jsonl [--nd4j nd4j.tsv]

Per workload: the median over the runs of each run's median_ms (and the per-run ratios, so
the spread shows). nd4j.tsv: lines "workload<TAB>ms" (from bench/run Nd4jBench), optional.
"""
import argparse, json, statistics

def load(paths):
    runs = []
    for p in paths:
        d = {}
        for line in open(p):
            line = line.strip()
            if line.startswith('{'):
                o = json.loads(line)
                d[o['workload']] = o
        runs.append(d)
    return runs

ap = argparse.ArgumentParser()
ap.add_argument('--torch', nargs='+', required=True)
ap.add_argument('--losses', nargs='+', required=True)
ap.add_argument('--nd4j')
a = ap.parse_args()
tr, lr = load(a.torch), load(a.losses)
nd = {}
if a.nd4j:
    for line in open(a.nd4j):
        w, ms = line.split()
        nd[w] = float(ms)
names = [w for w in tr[0] if w != 'triad_f32']
print('| workload | PyTorch ms | ND4J ms | losses4j ms | losses4j / PyTorch (per run) | bytes | limit ms | fraction of limit |')
print('|---|---|---|---|---|---|---|---|')
for w in names:
    t = [r[w]['median_ms'] for r in tr if w in r]
    l = [r[w]['median_ms'] for r in lr if w in r]
    if not t or not l:
        continue
    tm, lm = statistics.median(t), statistics.median(l)
    per = ', '.join('%.3f' % (y / x) for x, y in zip(t, l))
    o = [r[w] for r in lr if w in r]
    b = o[0].get('bytes')
    lim = [x['limit_ms'] for x in o if 'limit_ms' in x]
    frac = [x['fraction_of_limit'] for x in o if 'fraction_of_limit' in x]
    print('| `%s` | %.1f | %s | %.1f | **%.3f** (%s) | %s | %s | %s |' % (
        w, tm, ('%.1f' % nd[w]) if w in nd else 'not measured', lm, lm / tm, per,
        ('%.0f MB' % (b / 1e6)) if b and b > 0 else 'compute-bound',
        ('%.1f' % statistics.median(lim)) if lim else '–',
        ('%.2f' % statistics.median(frac)) if frac else '–'))
tri = [r['triad_f32'] for r in lr if 'triad_f32' in r]
if tri:
    print()
    print('triad bandwidth (losses bench, per run): ' + ', '.join('%.1f GB/s' % x['gb_per_s'] for x in tri))

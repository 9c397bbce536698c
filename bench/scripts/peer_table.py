#!/usr/bin/env python3
"""The docs/performance.md table of losses4j against libtorch 2.7 (from `losses bench --peer
libtorch --json` runs, 1 thread and all threads) and PyTorch 1.13 (torch_baseline.py runs).

    peer_table.py --one p1.jsonl p2.jsonl --all p2t.jsonl [--w256 p256.jsonl] [--torch t1.jsonl t2.jsonl]

Per workload: the median over the runs of each run's median_ms; ratios are losses4j / peer per
run (each --peer run times both in the same JVM, alternating), with the runs' spread in brackets;
fraction of limit = bytes / the triad interleaved with it / losses4j's median (512 = the CPU's
preferred width, 256 = LOSSES4J_VECTOR_BITS=256).
"""
import argparse, json, statistics


def load(paths):
    runs = []
    for p in paths or []:
        d = {}
        for line in open(p):
            line = line.strip()
            if not line.startswith('{'):
                continue
            o = json.loads(line)
            d.setdefault(o['workload'], {})[o.get('impl', 'losses4j')] = o
        runs.append(d)
    return runs


def med(xs):
    return statistics.median(xs) if xs else None


def cell(xs, fmt):
    if not xs:
        return '–'
    m = fmt % med(xs)
    if len(xs) > 1:
        m += ' (' + ', '.join(fmt % x for x in xs) + ')'
    return m


ap = argparse.ArgumentParser()
ap.add_argument('--one', nargs='+', required=True)
ap.add_argument('--all', nargs='*')
ap.add_argument('--w256', nargs='*')
ap.add_argument('--torch', nargs='*')
a = ap.parse_args()
one, allt, w256, torch = load(a.one), load(a.all), load(a.w256), load(a.torch)
names = [w for w in one[0] if w != 'triad_f32']
print('| workload | libtorch 2.7, 1 thread ms | losses4j 1 thread ms | losses4j / libtorch, 1 thread | '
      'libtorch, all threads ms | losses4j all threads ms | losses4j / libtorch, all threads | '
      'PyTorch 1.13 ms | losses4j / PyTorch 1.13 | fraction of limit, 512 / 256 bits |')
print('|---|---|---|---|---|---|---|---|---|---|')
for w in names:
    def get(runs, impl, key):
        return [r[w][impl][key] for r in runs if w in r and impl in r[w] and key in r[w][impl]]
    lt1, l1, r1 = get(one, 'libtorch', 'median_ms'), get(one, 'losses4j', 'median_ms'), get(one, 'losses4j', 'ratio')
    lta, la, ra = get(allt, 'libtorch', 'median_ms'), get(allt, 'losses4j', 'median_ms'), get(allt, 'losses4j', 'ratio')
    t = [r[w]['losses4j']['median_ms'] for r in torch if w in r]
    vs = '–'
    if t and l1:
        vs = '%.3f' % (med(l1) / med(t))
    f512 = get(one, 'losses4j', 'fraction_of_limit')
    f256 = get(w256, 'losses4j', 'fraction_of_limit')
    frac = '–' if not f512 else cell(f512, '%.2f') + ' / ' + cell(f256, '%.2f')
    print('| `%s` | %s | %s | **%s** | %s | %s | **%s** | %s | %s | %s |' % (
        w, cell(lt1, '%.1f'), cell(l1, '%.1f'), cell(r1, '%.3f'), cell(lta, '%.1f'), cell(la, '%.1f'),
        cell(ra, '%.3f'), cell(t, '%.1f'), vs, frac))
for label, runs in (('1 thread', one), ('all threads', allt), ('256 bits', w256)):
    tri = [r['triad_f32']['losses4j']['gb_per_s'] for r in runs if 'triad_f32' in r]
    if tri:
        print()
        print('triad (%s, per run): ' % label + ', '.join('%.1f GB/s' % x for x in tri))

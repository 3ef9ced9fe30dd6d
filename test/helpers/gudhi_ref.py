#!/usr/bin/python3
"""Reference 0-dimensional superlevel persistence and landscapes, from GUDHI and numpy.

Run with the Debian python (/usr/bin/python3, which has python3-gudhi and python3-numpy).
One process handles every sequence, so tens of thousands take seconds.

stdin: JSON {"sequences": [[x0, x1, ...], ...], "landscape": {"k", "points", "lo", "hi"}}
stdout: JSON {"gudhi": version, "diagrams": [[[birth, death], ...], ...], "landscapes": [[...], ...]}

Diagram: gudhi.CubicalComplex(top_dimensional_cells=-x), dimension-0 intervals of persistence()
with its default min_persistence (zero-length pairs dropped). The superlevel filtration of x is
the sublevel filtration of -x, so every interval (a, b) becomes the pair (birth, death) = (-a, -b);
the essential interval (a, inf) becomes (-a, min(x)), as the analysis spec pairs it.
Landscapes: numpy, straight from the spec's formula on those pairs: the tent of (b, d) at t is
max(0, min(t - d, b - t)); lambda_j(t) is the j-th largest tent; t_i = lo + i * ((hi - lo) / points).
Output per sequence: lambda_1 at every point, then lambda_2, ... (k * points values).

With --bench SECONDS it instead times diagrams + landscapes over all the given sequences, pass
after pass for about SECONDS (I/O and start-up excluded), and prints the best pass:
{"gudhi": version, "sequences": count, "seconds": best pass}.
"""
import json
import sys
import time

import gudhi
import numpy as np


def diagram(x):
    cc = gudhi.CubicalComplex(top_dimensional_cells=-x)
    pairs = []
    for dim, (a, b) in cc.persistence():
        if dim != 0:
            continue
        death = float(x.min()) if np.isinf(b) else -b
        pairs.append((-a + 0.0, death + 0.0))  # + 0.0 turns GUDHI's -0.0 into 0.0
    return pairs


def landscapes(pairs, t, k):
    out = np.zeros((k, t.size))
    if pairs:
        p = np.asarray(pairs, dtype=np.float64)
        tents = np.maximum(0.0, np.minimum(t[None, :] - p[:, 1:2], p[:, 0:1] - t[None, :]))
        tents = -np.sort(-tents, axis=0)  # descending per t
        m = min(k, tents.shape[0])
        out[:m] = tents[:m]
    return out.reshape(-1)


def main():
    bench = None
    if len(sys.argv) == 3 and sys.argv[1] == '--bench':
        bench = float(sys.argv[2])
    elif len(sys.argv) != 1:
        sys.exit('usage: gudhi_ref.py [--bench SECONDS] < request.json')
    request = json.load(sys.stdin)
    params = request['landscape']
    k, points, lo, hi = int(params['k']), int(params['points']), float(params['lo']), float(params['hi'])
    t = lo + np.arange(points, dtype=np.float64) * ((hi - lo) / points)
    sequences = [np.asarray(s, dtype=np.float64) for s in request['sequences']]

    if bench is not None:
        # Best pass over all sequences, as the TypeScript side reports its best run.
        best = float('inf')
        until = time.perf_counter() + bench
        while True:
            start = time.perf_counter()
            for x in sequences:
                landscapes(diagram(x), t, k)
            best = min(best, time.perf_counter() - start)
            if time.perf_counter() >= until:
                break
        json.dump({'gudhi': gudhi.__version__, 'sequences': len(sequences), 'seconds': best}, sys.stdout)
        return

    diagrams = []
    lands = []
    for x in sequences:
        if x.size == 0:
            diagrams.append([])
            lands.append([0.0] * (k * points))
            continue
        pairs = diagram(x)
        diagrams.append(pairs)
        lands.append(landscapes(pairs, t, k).tolist())
    json.dump({'gudhi': gudhi.__version__, 'diagrams': diagrams, 'landscapes': lands}, sys.stdout)


if __name__ == '__main__':
    main()

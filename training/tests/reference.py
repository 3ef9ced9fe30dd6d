"""Independent references for the landscape layer: GUDHI diagrams and a plain-loop landscape."""
from __future__ import annotations

import gudhi
import numpy as np


def gudhi_superlevel_diagram(x: np.ndarray) -> list[tuple[float, float]]:
    """0-dim superlevel-set diagram of x on a path graph, as (birth, death) with birth >= death.

    GUDHI filters by sublevel sets, so the values are negated going in and coming out; the
    essential class (death = inf in GUDHI) is paired with the minimum, as the spec says.
    """
    st = gudhi.SimplexTree()
    n = len(x)
    for i in range(n):
        st.insert([i], filtration=float(-x[i]))
    for i in range(n - 1):
        st.insert([i, i + 1], filtration=float(max(-x[i], -x[i + 1])))
    st.make_filtration_non_decreasing()
    pairs = []
    for dim, (b, d) in st.persistence(min_persistence=-1.0):
        if dim != 0:
            continue
        birth = -b
        death = float(np.min(x)) if np.isinf(d) else -d
        pairs.append((birth, death))
    return pairs


def loop_landscapes(pairs, k: int, points: int, lo: float, hi: float) -> np.ndarray:
    """lambda_j(t_i) by definition: the j-th largest tent at t_i, tents max(0, min(t - d, b - t))."""
    out = np.zeros((k, points))
    for i in range(points):
        t = lo + i * (hi - lo) / points
        tents = sorted((max(0.0, min(t - d, b - t)) for b, d in pairs), reverse=True)
        for j in range(min(k, len(tents))):
            out[j, i] = tents[j]
    return out

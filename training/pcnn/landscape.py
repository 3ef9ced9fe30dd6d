"""The persistence-landscape layer, vectorised over every (batch, segment, channel) sequence.

DESIGN.md "The analysis spec (version 1)": per segment and channel, the 0-dimensional persistence
diagram of the superlevel-set filtration of the segment's values on a path graph (elder rule, the
essential class paired with the segment's minimum), then the first k landscapes sampled at
t_i = lo + i * (hi - lo) / points, i = 0 .. points - 1.

Why a closed form instead of a union-find: on a path graph, the vertex i that is born at x[i]
dies at

    death(i) = max over j ranked above i of  min(x[i..j])        (the best saddle to a higher peak)

and the top-ranked vertex (the essential class) dies at min(x). A vertex that is not a peak
gets death == birth (a zero-length pair, whose tent is zero everywhere), so every vertex can be
treated alike and the whole diagram is a few masked min/max reductions over an n x n table: no
data-dependent control flow, one batched tensor expression for ~4,000 sequences.

Ranking (the tie rule): vertex a ranks above vertex b when x[a] > x[b], or x[a] == x[b] and a < b
(the earlier sample is the elder). Ties do not change the diagram as a multiset of non-zero
pairs, only which activation a gradient flows into.

Differentiability: births and deaths are activations chosen by min/max (like max-pooling's
argmax), and each landscape value is piecewise linear in them; autograd handles the rest.

Output layout (channel-major, matching src-main/features/landscape-batch.ts): for each channel c,
lambda_1[0..points-1], lambda_2[0..points-1], ..., lambda_k[...], i.e. index c*k*points + j*points + i.
"""
from __future__ import annotations

import torch


def rank_above(x: torch.Tensor) -> torch.Tensor:
    """above[..., i, j] is True when vertex j ranks above vertex i (the tie rule in the header)."""
    n = x.shape[-1]
    xi = x.unsqueeze(-1)  # [..., n, 1]  -> vertex i
    xj = x.unsqueeze(-2)  # [..., 1, n]  -> vertex j
    idx = torch.arange(n, device=x.device)
    earlier = (idx.unsqueeze(0) < idx.unsqueeze(1))  # [i, j]: j < i
    return (xj > xi) | ((xj == xi) & earlier)


def path_min_table(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(values, where): values[..., i, j] = min(x[min(i,j) .. max(i,j)]) and where[..., i, j] is
    the index of that minimum; one cumulative min along each row."""
    n = x.shape[-1]
    idx = torch.arange(n, device=x.device)
    upper = idx.unsqueeze(0) >= idx.unsqueeze(1)  # [i, j]: j >= i
    big = torch.finfo(x.dtype).max
    rows = torch.where(upper, x.unsqueeze(-2), torch.full((), big, dtype=x.dtype, device=x.device))
    right = rows.cummin(dim=-1)  # min(x[i..j]) for j >= i
    values = torch.where(upper, right.values, right.values.transpose(-1, -2))
    where = torch.where(upper, right.indices, right.indices.transpose(-1, -2))
    return values, where


def death_index(x: torch.Tensor) -> torch.Tensor:
    """For each vertex i, the index of the activation at which its class dies: [..., n] (int64).

    Selection only (no gradient): the layer then gathers the activations at these indices, so
    backward is a scatter, exactly like max-pooling's argmax.
    """
    with torch.no_grad():
        above = rank_above(x)
        values, where = path_min_table(x)
        neg_inf = torch.finfo(x.dtype).min
        saddles = torch.where(above, values, torch.full((), neg_inf, dtype=x.dtype, device=x.device))
        best_j = saddles.argmax(dim=-1, keepdim=True)  # the higher peak reached over the highest saddle
        idx = where.gather(-1, best_j).squeeze(-1)
        essential = ~above.any(dim=-1)
        seg_argmin = x.argmin(dim=-1, keepdim=True).expand_as(idx)
        return torch.where(essential, seg_argmin, idx)


def diagram(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Births and deaths of the superlevel-set 0-dim diagram, one pair per vertex: [..., n] each.

    Births are x itself; death <= birth. Zero-length pairs (non-peaks) are kept so the shape is
    fixed; they contribute nothing to the landscapes.
    """
    return x, x.gather(-1, death_index(x))


def sample_points(lo: float, hi: float, points: int, device=None, dtype=torch.float32) -> torch.Tensor:
    return lo + torch.arange(points, device=device, dtype=dtype) * ((hi - lo) / points)


def landscapes(x: torch.Tensor, k: int, points: int, lo: float, hi: float) -> torch.Tensor:
    """Landscapes lambda_1..lambda_k of the diagram of each sequence x[..., n], sampled at
    `points` points over [lo, hi): shape [..., k, points]."""
    birth, death = diagram(x)
    t = sample_points(lo, hi, points, device=x.device, dtype=x.dtype)
    # Superlevel pair (b, d), b >= d: tent(t) = max(0, min(t - d, b - t)).
    tents = torch.minimum(t - death.unsqueeze(-1), birth.unsqueeze(-1) - t).clamp_min(0)  # [..., n, points]
    n = x.shape[-1]
    if k > n:
        pad = tents.new_zeros(tents.shape[:-2] + (k - n, points))
        tents = torch.cat([tents, pad], dim=-2)
    return tents.topk(k, dim=-2).values  # [..., k, points], sorted descending per t


def segment_landscapes(steps: torch.Tensor, segment: int, stride: int, k: int, points: int, lo: float, hi: float) -> torch.Tensor:
    """The persistence branch: steps [B, T, C] -> [B, S, C * k * points] (channel-major layout).

    Segments are steps[s*stride : s*stride + segment]; S = (T - segment) // stride + 1.
    """
    b, t, c = steps.shape
    seg = steps.unfold(1, segment, stride)  # [B, S, C, segment]
    lands = landscapes(seg, k, points, lo, hi)  # [B, S, C, k, points]
    return lands.reshape(b, seg.shape[1], c * k * points)

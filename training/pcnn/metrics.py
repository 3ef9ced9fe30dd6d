"""Masked per-tag ROC-AUC and PR-AUC (average precision), macro averages, per-tag thresholds.

Only rows where a tag is known (mask = 1: its category is labelled for the row, or the tag is
listed) take part in that tag's metric. A tag without both a positive and a negative among its
known rows has no metric (NaN) and is left out of the macro average, which says how many it used.
Implemented here (numpy) because scikit-learn is not installed; test_metrics.py checks them
against hand-computed values.
"""
from __future__ import annotations

import numpy as np


def _average_ranks(s: np.ndarray) -> np.ndarray:
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    """Mann-Whitney form: P(score of a positive > score of a negative), ties count one half."""
    y = y.astype(bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    r = _average_ranks(s.astype(np.float64))
    return float((r[y].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    """Sum over distinct thresholds of (recall step) x precision, as scikit-learn defines it."""
    y = y.astype(bool)
    pos = int(y.sum())
    if pos == 0 or pos == len(y):
        return float("nan")
    order = np.argsort(-s, kind="mergesort")
    ys, ss = y[order], s[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(~ys)
    last = np.r_[np.nonzero(np.diff(ss))[0], len(ss) - 1]  # last index of each distinct score
    precision = tp[last] / (tp[last] + fp[last])
    recall = tp[last] / pos
    prev = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - prev) * precision))


def per_tag(fn, y: np.ndarray, s: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.full(y.shape[1], np.nan)
    for t in range(y.shape[1]):
        m = mask[:, t].astype(bool)
        out[t] = fn(y[m, t], s[m, t])
    return out


def within_source_roc_auc(y: np.ndarray, s: np.ndarray, mask: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Per tag, P(a positive outscores a negative of the same source) over the masked rows, ties
    one half: the ROC-AUC of the pairs inside each source, pooled by pair count. NaN where no source
    holds both classes: the tag's score can then only be compared across sources, which may tell
    the sources apart rather than the tag (a recording style, a synthesiser's voice)."""
    out = np.full(y.shape[1], np.nan)
    for t in range(y.shape[1]):
        m = mask[:, t].astype(bool)
        good = pairs = 0.0
        for src in np.unique(sources[m]):
            sel = m & (sources == src)
            yt = y[sel, t].astype(bool)
            pos, neg = int(yt.sum()), int((~yt).sum())
            if pos and neg:
                good += roc_auc(yt, s[sel, t]) * pos * neg
                pairs += pos * neg
        if pairs:
            out[t] = good / pairs
    return out


def macro(values: np.ndarray) -> float:
    v = values[~np.isnan(values)]
    return float(v.mean()) if len(v) else float("nan")


def evaluate(y: np.ndarray, s: np.ndarray, mask: np.ndarray) -> dict:
    roc = per_tag(roc_auc, y, s, mask)
    pr = per_tag(average_precision, y, s, mask)
    return {"roc_auc": roc, "pr_auc": pr, "macro_roc_auc": macro(roc), "macro_pr_auc": macro(pr),
            "tags_scored": int((~np.isnan(roc)).sum())}


def best_f1_thresholds(y: np.ndarray, s: np.ndarray, mask: np.ndarray, default: float = 0.5,
                       floor: float = 0.0) -> np.ndarray:
    """Per tag, the threshold (midpoint between neighbouring scores) that maximises F1 on the
    masked rows among the thresholds at or above `floor` (the floor itself where none is);
    `default` where a tag has no positive."""
    out = np.full(y.shape[1], default)
    for t in range(y.shape[1]):
        m = mask[:, t].astype(bool)
        yt, st = y[m, t].astype(bool), s[m, t]
        if yt.sum() == 0:
            continue
        order = np.argsort(-st, kind="mergesort")
        ys, ss = yt[order], st[order]
        tp = np.cumsum(ys)
        k = np.arange(1, len(ys) + 1)
        f1 = 2 * tp / (k + yt.sum())
        last = np.r_[np.nonzero(np.diff(ss))[0], len(ss) - 1]  # cut only between distinct scores
        lower = np.r_[ss[1:], max(0.0, ss[-1] - 1e-3)][last]
        cuts = (ss[last] + lower) / 2.0
        allowed = cuts >= floor
        if not allowed.any():
            out[t] = floor
            continue
        best = int(np.argmax(np.where(allowed, f1[last], -1.0)))
        out[t] = float(cuts[best])
    return out


def precision_at(y: np.ndarray, s: np.ndarray, mask: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per tag, the precision on the masked rows of flagging every score at or above its threshold;
    NaN where no known row reaches it."""
    out = np.full(y.shape[1], np.nan)
    for t in range(y.shape[1]):
        m = mask[:, t].astype(bool)
        flagged = s[m, t] >= thresholds[t]
        if flagged.any():
            out[t] = float(y[m, t][flagged].mean())
    return out

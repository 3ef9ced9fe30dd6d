"""The chroma branch: per segment, key-invariant matches of learned pitch-class profiles.

Why: the log-mel's bands resolve semitones only above about 1 kHz, and `major`/`minor` stayed
near chance (test ROC-AUC 0.60) with it alone. A key-profile probe on the spec's log-chroma
(FEATURE_SPEC.chroma) separates the valid clips labelled for mode with ROC-AUC 0.85
(training/README.md). A mode is a profile up to transposition, so the branch learns profiles and
matches each in all 12 keys, keeping the best match: the output does not change when the music
is transposed.

m = the segment's mean chroma (standardised input), centred over the bins;
out[k] = relu(max over r of (sum_c w[k, c] m[(c + r) mod bins] + b[k])).
The segment's frames are the ones its front-end steps start from: s * F ... (s + 1) * F - 1,
F = segment steps * time pool. Mirrored by src-main/model/chroma-branch.ts.
"""
from __future__ import annotations

import torch


def rotations(bins: int) -> torch.Tensor:
    """[bins, bins] indices: row r is the chroma read r bins up, (c + r) mod bins."""
    r = torch.arange(bins).reshape(-1, 1)
    c = torch.arange(bins).reshape(1, -1)
    return (c + r) % bins


def segment_chroma(chroma: torch.Tensor, segments: int, segment_frames: int) -> torch.Tensor:
    """[B, frames, bins] -> [B, S, bins]: each segment's mean chroma, minus its mean over the bins."""
    b, _, bins = chroma.shape
    m = chroma[:, : segments * segment_frames].reshape(b, segments, segment_frames, bins).mean(dim=2)
    return m - m.mean(dim=-1, keepdim=True)


def chroma_profiles(m: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """[B, S, bins] -> [B, S, profiles]; weight [profiles, bins] (an nn.Linear's), bias [profiles]."""
    rolled = m[..., rotations(m.shape[-1]).to(m.device)]  # [B, S, rotation, bins]
    return torch.relu((rolled @ weight.T + bias).amax(dim=2))

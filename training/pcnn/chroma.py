"""The chroma branch: key-invariant matches of learned pitch-class profiles, per segment.

Why: the log-mel's bands resolve semitones only above about 1 kHz, and `major`/`minor` stayed
near chance (test ROC-AUC 0.60) with it alone. A key-profile probe on the spec's log-chroma
(FEATURE_SPEC.chroma) separates the valid clips labelled for mode with ROC-AUC 0.85
(training/README.md). A mode is a profile up to transposition, so the branch learns profiles and
matches each in all 12 keys, keeping the best match: the output does not change when the music
is transposed.

m = the segment's mean chroma (standardised input), centred over the bins; with the "window"
context (PCNN_CONFIG.chroma.context), the mean of the window's segments' m instead, the same for
each segment: a key shows over many chords, and one segment (4.1 s) often holds too few of them;
out[k] = relu(max over r of (sum_c w[k, c] m[(c + r) mod bins] + b[k])).
The segment's frames are the ones its front-end steps start from: s * F ... (s + 1) * F - 1,
F = segment steps * time pool. Mirrored by src-main/model/network.ts.
"""
from __future__ import annotations

import torch


# Krumhansl-Kessler probe-tone ratings, C first (training/mode_probe.py uses the same numbers).
KEY_PROFILES = {
    "major": (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88),
    "minor": (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17),
}
CHROMA_INITS = ("random", "key-profiles")
CHROMA_CONTEXTS = ("segment", "window")


@torch.no_grad()
def init_key_profiles(layer: torch.nn.Linear) -> None:
    """Starts the first two profiles as the centred, unit-norm major and minor key profiles (bias
    0), so the branch begins where the key-profile probe stands; the others keep their random
    start. Training is free to move them."""
    if layer.in_features != 12 or layer.out_features < 2:
        raise ValueError("key-profile initialisation needs 12 chroma bins and at least 2 profiles")
    for row, name in enumerate(("major", "minor")):
        p = torch.tensor(KEY_PROFILES[name])
        p = p - p.mean()
        layer.weight[row] = p / p.norm()
        layer.bias[row] = 0.0


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


def window_chroma(m: torch.Tensor) -> torch.Tensor:
    """[B, S, bins] segment chromas -> [B, S, bins], each row the window's mean chroma (the mean of
    its equally long segments), so every segment is matched against the whole window's key."""
    return m.mean(dim=1, keepdim=True).expand_as(m)


def chroma_profiles(m: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """[B, S, bins] -> [B, S, profiles]; weight [profiles, bins] (an nn.Linear's), bias [profiles]."""
    rolled = m[..., rotations(m.shape[-1]).to(m.device)]  # [B, S, rotation, bins]
    return torch.relu((rolled @ weight.T + bias).amax(dim=2))

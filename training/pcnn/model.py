"""The PCNN of DESIGN.md (and its FCN ablation) in PyTorch, shaped so the tfjs side can run it
exactly: every layer here has a one-to-one counterpart documented in training/EXPORT_FORMAT.md.

Input: standardised feature windows [batch, frames, bands + chroma bins] (the log-mel's bands,
then the chroma's bins; FEATURE_SPEC). Output: per-segment logits
[batch, segments, tags] and the per-segment 512-unit embedding; the window's prediction is the
mean over segments of the sigmoids (`window_probabilities`).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .chroma import CHROMA_CONTEXTS, chroma_profiles, segment_chroma, window_chroma
from .landscape import segment_landscapes
from .rhythm import segment_autocorrelation


@dataclass(frozen=True)
class LayerConfig:
    """The layer numbers, read from PCNN_CONFIG (src-main/model/config.ts) by pcnn.config."""

    bands: int
    front_filters: int
    front_frames: int
    front_pool: int
    segment: int
    segment_stride: int
    conv_branch: int
    landscape_k: int
    landscape_points: int
    landscape_lo: float
    landscape_hi: float
    head: tuple[int, ...]
    dropout: float
    rhythm_lags: int = 0
    chroma_bins: int = 0
    chroma_profiles: int = 0
    # What each profile is matched against (CHROMA_CONTEXTS): "segment", each segment's own mean
    # chroma, or "window", the mean over the whole window, the same for each of its segments.
    chroma_context: str = "segment"

    @property
    def input_bands(self) -> int:
        """Columns of an input frame: the mel bands, then the chroma bins."""
        return self.bands + self.chroma_bins

    @property
    def min_frames(self) -> int:
        """Frames needed for one segment: (segment steps * pool) + (filter span - 1)."""
        return self.segment * self.front_pool + self.front_frames - 1

    @property
    def rhythm_width(self) -> int:
        return self.front_filters * self.rhythm_lags

    @property
    def landscape_width(self) -> int:
        return self.front_filters * self.landscape_k * self.landscape_points


ARCHITECTURES = ("pcnn", "fcn")


class PCNN(nn.Module):
    """`batch_norm=True` adds batch normalisation before each ReLU for training only: in eval mode
    it is an affine map per channel, which `fold_batch_norm` merges into the preceding kernel and
    bias, so the exported network is exactly the paper's layers (no normalisation layer)."""

    def __init__(self, cfg: LayerConfig, tags: int, architecture: str = "pcnn", batch_norm: bool = False,
                 feature_dropout: float = 0.0):
        super().__init__()
        if architecture not in ARCHITECTURES:
            raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
        if not 0 <= feature_dropout < 1:
            raise ValueError(f"feature dropout must be in [0, 1), got {feature_dropout}")
        self.cfg = cfg
        self.architecture = architecture
        self.batch_norm = batch_norm
        # Conv over 8 frames x all bands == a 1-D conv with the bands as input channels.
        self.front = nn.Conv1d(cfg.bands, cfg.front_filters, cfg.front_frames)
        self.branch = nn.Conv1d(cfg.front_filters, cfg.conv_branch, 1)
        if cfg.chroma_profiles > 0 and cfg.chroma_bins == 0:
            raise ValueError("a chroma branch needs chroma bins in the input")
        if cfg.chroma_context not in CHROMA_CONTEXTS:
            raise ValueError(f"chroma context must be one of {CHROMA_CONTEXTS}, got {cfg.chroma_context!r}")
        self.chroma = nn.Linear(cfg.chroma_bins, cfg.chroma_profiles) if cfg.chroma_profiles > 0 else None
        width = (cfg.conv_branch + (cfg.landscape_width if architecture == "pcnn" else 0) + cfg.rhythm_width
                 + cfg.chroma_profiles)
        layers = []
        for units in cfg.head:
            layers.append(nn.Linear(width, units))
            width = units
        self.head = nn.ModuleList(layers)
        self.out = nn.Linear(width, tags)
        self.dropout = nn.Dropout(cfg.dropout)
        self.feature_dropout = nn.Dropout(feature_dropout)
        norm = nn.BatchNorm1d if batch_norm else (lambda _n: nn.Identity())
        self.front_norm = norm(cfg.front_filters)
        self.branch_norm = norm(cfg.conv_branch)
        self.head_norm = nn.ModuleList([norm(u) for u in cfg.head])

    def activations(self, x: torch.Tensor) -> torch.Tensor:
        """The front conv's ReLU output, frame by frame: [B, frames, input bands] -> [B, filters, T']
        (the conv sees the mel bands only)."""
        return F.relu(self.front_norm(self.front(x[..., : self.cfg.bands].transpose(1, 2))))

    def steps(self, x: torch.Tensor) -> torch.Tensor:
        """Front end: [B, frames, bands] -> [B, T, filters] (ReLU, max-pool along time)."""
        return F.max_pool1d(self.activations(x), self.cfg.front_pool).transpose(1, 2)

    def segment_features(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None, torch.Tensor | None]:
        """(conv branch [B, S, conv_branch], landscape branch [B, S, landscape_width] or None,
        rhythm branch [B, S, rhythm_width] or None, chroma branch [B, S, chroma_profiles] or None)."""
        cfg = self.cfg
        if x.shape[-1] != cfg.input_bands:
            raise ValueError(f"input has {x.shape[-1]} columns per frame, the network takes {cfg.input_bands}")
        frames = self.activations(x)
        steps = F.max_pool1d(frames, cfg.front_pool).transpose(1, 2)
        b, t, c = steps.shape
        if t < cfg.segment:
            raise ValueError(f"window too short: {x.shape[1]} frames < {cfg.min_frames} (one segment)")
        s = (t - cfg.segment) // cfg.segment_stride + 1
        if cfg.segment_stride != cfg.segment:
            raise ValueError("only segment stride == segment length is supported")
        used = steps[:, : s * cfg.segment]  # trailing steps that do not fill a segment are dropped
        conv = F.relu(self.branch_norm(self.branch(used.transpose(1, 2))))  # [B, conv_branch, S*segment]
        conv = conv.reshape(b, cfg.conv_branch, s, cfg.segment).amax(dim=-1).transpose(1, 2)
        land = None
        if self.architecture == "pcnn":
            land = segment_landscapes(used, cfg.segment, cfg.segment_stride, cfg.landscape_k,
                                      cfg.landscape_points, cfg.landscape_lo, cfg.landscape_hi)
        rhythm = None
        if cfg.rhythm_lags > 0:
            seg_frames = cfg.segment * cfg.front_pool
            rhythm = segment_autocorrelation(frames[..., : s * seg_frames], seg_frames, cfg.rhythm_lags)
        chroma = None
        if self.chroma is not None:
            m = segment_chroma(x[..., cfg.bands:], s, cfg.segment * cfg.front_pool)
            if cfg.chroma_context == "window":
                m = window_chroma(m)
            chroma = chroma_profiles(m, self.chroma.weight, self.chroma.bias)
        return conv, land, rhythm, chroma

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """-> (logits [B, S, tags], embedding [B, S, last head width])."""
        z = self.feature_dropout(torch.cat([f for f in self.segment_features(x) if f is not None], dim=-1))
        for layer, norm in zip(self.head, self.head_norm):
            h = layer(z)
            if self.batch_norm:
                h = norm(h.reshape(-1, h.shape[-1])).reshape(h.shape)
            z = self.dropout(F.relu(h))
        return self.out(z), z


@torch.no_grad()
def fold_batch_norm(model: PCNN) -> PCNN:
    """The same function in eval mode, without normalisation layers: each BatchNorm's
    gamma * (y - mean) / sqrt(var + eps) + beta is merged into the kernel and bias before it."""
    plain = PCNN(model.cfg, model.out.out_features, model.architecture, batch_norm=False)
    plain.load_state_dict({k: v for k, v in model.state_dict().items() if "_norm" not in k}, strict=True)
    if not model.batch_norm:
        plain.eval()
        return plain
    pairs = [(plain.front, model.front_norm), (plain.branch, model.branch_norm)]
    pairs += list(zip(plain.head, model.head_norm))
    for layer, bn in pairs:
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        shape = (-1,) + (1,) * (layer.weight.dim() - 1)
        layer.weight.mul_(scale.reshape(shape))
        layer.bias.copy_((layer.bias - bn.running_mean) * scale + bn.bias)
    plain.eval()
    return plain


def window_probabilities(logits: torch.Tensor) -> torch.Tensor:
    """The window's prediction: the mean over segments of the per-segment sigmoids."""
    return torch.sigmoid(logits).mean(dim=1)

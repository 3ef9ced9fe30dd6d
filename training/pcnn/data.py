"""The training data: cached log-mel features, labels with their masks, standardisation, the
short-window rule, and label-respecting augmentation.

Labels (../shared/data/README.md "Reading labels"): a listed tag is a true positive; an absent tag
is a negative only when its category is in the row's `labelled_categories`; otherwise unknown.
`mask[i, t]` is 1 where the label of tag t is known for clip i.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Categories whose tags stay true when two clips are summed (an instrument heard in either clip
# is heard in the mix). Tempo, mode, metre and texture describe the whole piece: the sum of a slow
# and a fast clip is neither, and two solos make a duet, so those are unknown in a mix.
MIXABLE_CATEGORIES = frozenset({"instrument", "genre", "vocal"})

# Categories whose tags exclude each other by the data's own definitions (../shared/data/README.md):
# tempo from disjoint bpm ranges, mode from the one scale a piece is written in, texture from one
# part against three or more. Betti suggests at most one tag of each (tags.json `exclusive`).
# `rhythm` never holds two tags in the data either, but only by chance: a swung waltz exists.
EXCLUSIVE_CATEGORIES = frozenset({"tempo", "mode", "texture"})


def check_exclusive(ds: "Dataset") -> None:
    """Refuses labels that break EXCLUSIVE_CATEGORIES (a clip with two tempo tags), naming the clip:
    the exporter would otherwise promise users something the data does not hold."""
    cats = np.array(ds.categories)
    for category in sorted(EXCLUSIVE_CATEGORIES & set(ds.categories)):
        counts = ds.y[:, cats == category].sum(axis=1)
        bad = np.nonzero(counts > 1)[0]
        if len(bad):
            held = [t for t, c in zip(ds.tags, ds.categories) if c == category and ds.y[bad[0], ds.tags.index(t)]]
            raise ValueError(f"category {category!r} is treated as exclusive, but {ds.paths[bad[0]]} has "
                             f"{', '.join(held)} ({len(bad)} clip(s) hold two or more of its tags)")


@dataclass
class Dataset:
    paths: list[str]
    split: np.ndarray  # [N] str
    source: np.ndarray  # [N] str
    y: np.ndarray  # [N, tags] float32 0/1
    mask: np.ndarray  # [N, tags] float32 0/1
    features: list[np.ndarray]  # N arrays [frames, bands] float32 (log-mel, not standardised)
    tags: list[str]
    categories: list[str]
    spec_version: str
    manifest_hash: str

    def rows(self, split: str) -> np.ndarray:
        return np.nonzero(self.split == split)[0]


def read_vocabulary(data_dir: Path) -> tuple[list[str], list[str]]:
    entries = json.loads((data_dir / "tags.json").read_text())
    return [e["tag"] for e in entries], [e["category"] for e in entries]


def labels_and_mask(rows: list[dict], tags: list[str], categories: list[str]) -> tuple[np.ndarray, np.ndarray]:
    index = {t: i for i, t in enumerate(tags)}
    y = np.zeros((len(rows), len(tags)), np.float32)
    mask = np.zeros((len(rows), len(tags)), np.float32)
    cats = np.array(categories)
    for r, row in enumerate(rows):
        for t in filter(None, row["tags"].split(";")):
            if t not in index:
                raise ValueError(f"manifest row {row['path']}: tag {t!r} is not in tags.json")
            y[r, index[t]] = 1
        labelled = set(filter(None, row["labelled_categories"].split(";")))
        mask[r] = np.isin(cats, list(labelled))
    mask = np.maximum(mask, y)  # a listed tag is always known
    return y, mask


def load_dataset(data_dir: Path, feature_dir: Path) -> Dataset:
    index = json.loads((feature_dir / "index.json").read_text())
    bands = int(index["bands"])
    flat = np.fromfile(feature_dir / "features.f32", dtype="<f4")
    with open(data_dir / "manifest.csv", newline="") as f:
        manifest = {row["path"]: row for row in csv.DictReader(f)}
    rows, feats = [], []
    for clip in index["clips"]:
        if clip["path"] not in manifest:
            raise ValueError(f"{feature_dir}/index.json lists {clip['path']}, which the manifest does not")
        rows.append(manifest[clip["path"]])
        n = clip["frames"] * bands
        feats.append(flat[clip["offset"]:clip["offset"] + n].reshape(clip["frames"], bands))
    tags, categories = read_vocabulary(data_dir)
    y, mask = labels_and_mask(rows, tags, categories)
    return Dataset(
        paths=[r["path"] for r in rows], split=np.array([r["split"] for r in rows]),
        source=np.array([r["source"] for r in rows]), y=y, mask=mask, features=feats, tags=tags,
        categories=categories, spec_version=index["specVersion"], manifest_hash=index["manifestHash"],
    )


def standardisation(features: list[np.ndarray], pooled_from: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per-band mean and deviation over every frame of the given (training) clips. Columns from
    `pooled_from` on (the chroma bins) share one mean and deviation, pooled over them: a chroma
    standardised bin by bin would weigh the keys the training set favours differently from the
    others, and the chroma branch must see a transposed piece as the same piece."""
    total = sum(len(f) for f in features)
    s = np.zeros(features[0].shape[1], np.float64)
    s2 = np.zeros_like(s)
    for f in features:
        s += f.sum(0)
        s2 += (f.astype(np.float64) ** 2).sum(0)
    mean = s / total
    second = s2 / total
    if pooled_from is not None and pooled_from < len(mean):
        mean[pooled_from:] = mean[pooled_from:].mean()
        second[pooled_from:] = second[pooled_from:].mean()
    std = np.sqrt(np.maximum(second - mean ** 2, 0.0))
    return mean.astype(np.float32), np.maximum(std, 1e-6).astype(np.float32)


def fit_to_min_frames(f: np.ndarray, min_frames: int) -> np.ndarray:
    """THE SHORT-INPUT RULE (EXPORT_FORMAT.md): a clip shorter than one segment's window is looped
    (frame i of the result is frame i mod n of the clip) up to exactly min_frames frames."""
    n = len(f)
    if n >= min_frames:
        return f
    return f[np.arange(min_frames) % n]


def crop(f: np.ndarray, frames: int, rng: np.random.Generator) -> np.ndarray:
    """A random window of `frames` frames (looping the clip first when it is shorter)."""
    g = f if len(f) >= frames else f[np.arange(frames) % len(f)]
    start = int(rng.integers(0, len(g) - frames + 1))
    return g[start:start + frames]


def to_power(logmel: np.ndarray, multiplier: float) -> np.ndarray:
    return (np.power(10.0, logmel, dtype=np.float32) - 1.0) / multiplier


def to_logmel(power: np.ndarray, multiplier: float) -> np.ndarray:
    return np.log10(1.0 + multiplier * np.maximum(power, 0.0)).astype(np.float32)


@dataclass(frozen=True)
class Augment:
    # Off by default: on valid, FCN seed 0 (2-segment crops, 20 epochs) reached macro ROC-AUC
    # 0.865 / PR-AUC 0.717 without mixing against 0.855 / 0.711 with p = 0.25 (and p = 0.5 did
    # worse still in the first full run). A mix masks tempo, mode, metre and texture, the tags
    # that need the most examples.
    mix_probability: float = 0.0
    gain_db: float = 6.0
    # SpecAugment-style masks (Park et al. 2019), off by default: per training crop, this many
    # ranges of up to `mask_bands` mel bands and of up to `mask_frames` frames are set to the
    # training mean (0 after standardisation). A mask never hides a whole clip, so labels hold.
    freq_masks: int = 0
    time_masks: int = 0
    mask_bands: int = 16
    mask_frames: int = 24


class TrainBatches:
    """Random crops of the training clips with gain changes and label-respecting mixing."""

    def __init__(self, ds: Dataset, rows: np.ndarray, frames: int, mean: np.ndarray, std: np.ndarray,
                 multiplier: float, augment: Augment | None, rng: np.random.Generator, mel_bands: int | None = None):
        self.ds, self.rows, self.frames = ds, rows, frames
        self.mel_bands = mel_bands  # masks cover mel bands only, never the chroma after them
        self.mean, self.std, self.multiplier = mean, std, multiplier
        self.augment, self.rng = augment, rng
        cats = np.array(ds.categories)
        self.mixable = np.isin(cats, list(MIXABLE_CATEGORIES)).astype(np.float32)

    def epoch(self, batch: int):
        order = self.rng.permutation(self.rows)
        for i in range(0, len(order), batch):
            yield self.make(order[i:i + batch])

    def make(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ds, rng, aug = self.ds, self.rng, self.augment
        xs = np.stack([crop(ds.features[i], self.frames, rng) for i in idx])
        y = ds.y[idx].copy()
        mask = ds.mask[idx].copy()
        if aug is not None:
            gain = 10.0 ** (rng.uniform(-aug.gain_db, aug.gain_db, (len(idx), 1, 1)) / 10.0)
            power = to_power(xs, self.multiplier) * gain.astype(np.float32)
            mixed = rng.random(len(idx)) < aug.mix_probability
            if mixed.any():
                partners = rng.choice(self.rows, size=int(mixed.sum()))
                other = np.stack([crop(ds.features[j], self.frames, rng) for j in partners])
                other_gain = 10.0 ** (rng.uniform(-aug.gain_db, aug.gain_db, (len(partners), 1, 1)) / 10.0)
                power[mixed] += to_power(other, self.multiplier) * other_gain.astype(np.float32)
                y2, m2 = ds.y[partners], ds.mask[partners]
                y1, m1 = y[mixed], mask[mixed]
                union = np.maximum(y1, y2)
                # Known in the mix: a tag heard in either clip, or absent from both where both
                # rows label its category; and only in categories that survive mixing.
                known = np.maximum(union, m1 * m2) * self.mixable
                y[mixed] = union * self.mixable
                mask[mixed] = known
            xs = to_logmel(power, self.multiplier)
        xs = (xs - self.mean) / self.std
        if aug is not None and (aug.freq_masks > 0 or aug.time_masks > 0):
            # Drawn only when masking is on, so runs without it keep their random streams.
            mask_spectrograms(xs, aug, rng, self.mel_bands)
        return xs.astype(np.float32), y, mask


def mask_spectrograms(xs: np.ndarray, aug: Augment, rng: np.random.Generator, mel_bands: int | None = None) -> None:
    """Sets random band and frame ranges of each (frames x bands) crop in `xs` to 0, in place;
    band ranges lie within the first `mel_bands` columns (all when None)."""
    frames, bands = xs.shape[1], xs.shape[2] if mel_bands is None else mel_bands
    for x in xs:
        for _ in range(aug.freq_masks):
            w = int(rng.integers(0, min(aug.mask_bands, bands) + 1))
            f0 = int(rng.integers(0, bands - w + 1))
            x[:, f0:f0 + w] = 0.0
        for _ in range(aug.time_masks):
            w = int(rng.integers(0, min(aug.mask_frames, frames) + 1))
            t0 = int(rng.integers(0, frames - w + 1))
            x[t0:t0 + w, :] = 0.0

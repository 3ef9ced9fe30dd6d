"""One training run (one architecture, one seed): masked BCE, AdamW with a cosine schedule,
early stopping on the valid split's macro ROC-AUC, per-tag thresholds on valid, metrics on test."""
from __future__ import annotations

import copy
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .chroma import init_key_profiles
from .data import Augment, Dataset, TrainBatches, fit_to_min_frames
from .metrics import best_f1_thresholds, evaluate
from .model import PCNN, LayerConfig, window_probabilities


@dataclass
class TrainSettings:
    architecture: str = "pcnn"
    seed: int = 0
    epochs: int = 40
    patience: int = 12
    batch: int = 16
    lr: float = 1e-3
    weight_decay: float = 1e-4
    crop_segments: int = 1
    batch_norm: bool = True
    augment: Augment | None = field(default_factory=Augment)
    threads: int = 1
    # Decay of an exponential moving average of the weights, which is what is validated, kept and
    # shipped (0: off, the trained weights themselves). See WeightAverage.
    ema: float = 0.0
    # How the chroma branch's profiles start (pcnn/chroma.py CHROMA_INITS): "random" (PyTorch's
    # default) or "key-profiles" (the first two as the major and minor key profiles).
    chroma_init: str = "random"
    # Dropout on the concatenated branch features, before the head's first dense layer (0: off).
    # That layer holds 9 in 10 of the network's weights; dropout after it alone leaves its input
    # free to be memorised. Identity at inference, so nothing of it is exported.
    feature_dropout: float = 0.0


def masked_bce(probs: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy over the known labels only, averaged over the known labels."""
    p = probs.clamp(1e-7, 1 - 1e-7)
    loss = F.binary_cross_entropy(p, y, reduction="none")
    return (loss * mask).sum() / mask.sum().clamp_min(1.0)


def masked_bce_logits(logits: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    loss = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    return (loss * mask).sum() / mask.sum().clamp_min(1.0)


class WeightAverage:
    """An exponential moving average of a model's weights and batch-norm statistics, updated after
    every optimiser step. On ~1,700 clips the trained weights jump from epoch to epoch (the valid
    scores of neighbouring epochs differ by 0.005-0.01); the average of the last few hundred steps
    is a cheap ensemble of them. The decay ramps up from 0 so the early average is not the
    random initialisation. Measured, it led early but ended level with the cosine schedule's last
    epochs (training/README.md), so it is off by default."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.model = copy.deepcopy(model)
        self.steps = 0
        self._src = [t for t in [*model.parameters(), *model.buffers()] if t.is_floating_point()]
        self._dst = [t for t in [*self.model.parameters(), *self.model.buffers()] if t.is_floating_point()]
        self._src_int = [t for t in model.buffers() if not t.is_floating_point()]
        self._dst_int = [t for t in self.model.buffers() if not t.is_floating_point()]
        for t in self.model.parameters():
            t.requires_grad_(False)

    @torch.no_grad()
    def update(self) -> None:
        self.steps += 1
        d = min(self.decay, (1 + self.steps) / (10 + self.steps))
        torch._foreach_mul_(self._dst, d)
        torch._foreach_add_(self._dst, self._src, alpha=1 - d)
        for dst, src in zip(self._dst_int, self._src_int):
            dst.copy_(src)


def seed_everything(seed: int) -> np.random.Generator:
    torch.manual_seed(seed)
    return np.random.default_rng(seed)


@torch.no_grad()
def predict(model: PCNN, ds: Dataset, rows: np.ndarray, mean: np.ndarray, std: np.ndarray,
            batch: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Whole-clip predictions (one window per clip, the short-input rule applied):
    (probabilities [n, tags], embeddings [n, units] averaged over segments)."""
    model.eval()
    probs = np.zeros((len(rows), len(ds.tags)), np.float32)
    emb = np.zeros((len(rows), model.cfg.head[-1]), np.float32)
    feats = [fit_to_min_frames(ds.features[i], model.cfg.min_frames) for i in rows]
    by_len: dict[int, list[int]] = {}
    for k, f in enumerate(feats):
        by_len.setdefault(len(f), []).append(k)
    for ks in by_len.values():
        for i in range(0, len(ks), batch):
            part = ks[i:i + batch]
            x = torch.from_numpy((np.stack([feats[k] for k in part]) - mean) / std)
            logits, z = model(x)
            probs[part] = window_probabilities(logits).numpy()
            emb[part] = z.mean(dim=1).numpy()
    return probs, emb


def train_one(ds: Dataset, cfg: LayerConfig, s: TrainSettings, mean: np.ndarray, std: np.ndarray,
              multiplier: float, out_dir: Path, log=print) -> dict:
    torch.set_num_threads(s.threads)
    rng = seed_everything(s.seed)
    model = PCNN(cfg, len(ds.tags), s.architecture, batch_norm=s.batch_norm, feature_dropout=s.feature_dropout)
    if s.chroma_init == "key-profiles" and model.chroma is not None:
        init_key_profiles(model.chroma)
    train_rows, valid_rows, test_rows = ds.rows("train"), ds.rows("valid"), ds.rows("test")
    frames = cfg.min_frames + (s.crop_segments - 1) * cfg.segment * cfg.front_pool
    batches = TrainBatches(ds, train_rows, frames, mean, std, multiplier, s.augment, rng, mel_bands=cfg.bands)
    opt = torch.optim.AdamW(model.parameters(), lr=s.lr, weight_decay=s.weight_decay)
    steps_per_epoch = (len(train_rows) + s.batch - 1) // s.batch
    total = max(1, s.epochs * steps_per_epoch)
    warmup = min(steps_per_epoch, total // 10 + 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min(1.0, (k + 1) / warmup) * 0.5 * (1 + np.cos(np.pi * min(k, total) / total)))
    average = WeightAverage(model, s.ema) if s.ema > 0 else None
    kept = average.model if average else model  # what is validated, kept and shipped
    best = {"score": -1.0, "epoch": -1, "state": None}
    history = []
    started = time.time()
    for epoch in range(s.epochs):
        model.train()
        t0, losses = time.time(), []
        for xb, yb, mb in batches.epoch(s.batch):
            logits, _ = model(torch.from_numpy(xb))
            y, m = torch.from_numpy(yb), torch.from_numpy(mb)
            if logits.shape[1] == 1:
                loss = masked_bce_logits(logits[:, 0], y, m)
            else:
                loss = masked_bce(window_probabilities(logits), y, m)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if average:
                average.update()
            losses.append(float(loss))
        probs, _ = predict(kept, ds, valid_rows, mean, std)
        ev = evaluate(ds.y[valid_rows], probs, ds.mask[valid_rows])
        score = ev["macro_roc_auc"] + ev["macro_pr_auc"]
        history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)), "valid_roc_auc": ev["macro_roc_auc"],
                        "valid_pr_auc": ev["macro_pr_auc"], "seconds": time.time() - t0})
        log(f"  {s.architecture} seed {s.seed} epoch {epoch + 1}/{s.epochs}: loss {np.mean(losses):.4f} "
            f"valid ROC-AUC {ev['macro_roc_auc']:.4f} PR-AUC {ev['macro_pr_auc']:.4f} ({time.time() - t0:.0f} s)")
        if score > best["score"]:
            best = {"score": score, "epoch": epoch + 1,
                    "state": {k: v.detach().clone() for k, v in kept.state_dict().items()}}
        elif epoch + 1 - best["epoch"] >= s.patience:
            log(f"  early stop: no valid improvement for {s.patience} epochs")
            break
    model.load_state_dict(best["state"])
    valid_probs, _ = predict(model, ds, valid_rows, mean, std)
    test_probs, _ = predict(model, ds, test_rows, mean, std)
    # This run's own best-F1 thresholds, for its result.json; the shipped ones are chosen again by
    # export.py on the exported weights, at or above the quality bar's floor.
    thresholds = best_f1_thresholds(ds.y[valid_rows], valid_probs, ds.mask[valid_rows])
    valid_ev = evaluate(ds.y[valid_rows], valid_probs, ds.mask[valid_rows])
    test_ev = evaluate(ds.y[test_rows], test_probs, ds.mask[test_rows])
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save(best["state"], out_dir / "model.pt")
    np.save(out_dir / "valid_probs.npy", valid_probs)
    np.save(out_dir / "test_probs.npy", test_probs)
    result = {
        "architecture": s.architecture, "seed": s.seed, "best_epoch": best["epoch"],
        "epochs_run": len(history), "seconds": time.time() - started,
        "settings": {**asdict(s), "augment": asdict(s.augment) if s.augment else None},
        "thresholds": thresholds.tolist(),
        "valid": _jsonable(valid_ev), "test": _jsonable(test_ev), "history": history,
    }
    (out_dir / "result.json").write_text(json.dumps(result, indent=1))
    return result


def _jsonable(ev: dict) -> dict:
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in ev.items()}

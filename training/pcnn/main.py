"""`npm run train`'s Python half: every (architecture, seed) run on one feature cache, then a
summary (summary.json) and the table printed at the end.

Usage: /usr/bin/python3 -m pcnn.main --features DIR --out DIR [--data DIR] [--architectures pcnn,fcn]
       [--seeds 0,1,2] [--epochs N] [--quick]
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .chroma import CHROMA_CONTEXTS, CHROMA_INITS
from .config import REPO, layer_config, project_constants
from .data import Augment, load_dataset, standardisation
from .metrics import evaluate
from .train import TrainSettings, train_one


# `npm run train`'s epoch budget per run (early stopping may end a run sooner).
DEFAULT_EPOCHS = 60
QUICK_EPOCHS = 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pcnn.main")
    p.add_argument("--features", type=Path, required=True, help="feature cache folder (extract-features.ts)")
    p.add_argument("--out", type=Path, required=True, help="folder for runs and summary.json")
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--architectures", default="pcnn,fcn")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--quick", action="store_true", help="smoke run: 2 epochs, small batches")
    p.add_argument("--jobs", type=int, default=2,
                   help="runs trained at once, one process each (default 2: one per core)")
    p.add_argument("--threads", type=int, default=1, help="torch threads per run")
    p.add_argument("--no-batch-norm", dest="batch_norm", action="store_false",
                   help="train without the (folded-at-export) batch normalisation: the paper's exact training")
    p.add_argument("--mix", type=float, default=Augment.mix_probability,
                   help="probability of mixing two clips (default 0: off; see training/README.md)")
    p.add_argument("--no-augment", dest="augment", action="store_false")
    p.add_argument("--freq-masks", type=int, default=Augment.freq_masks,
                   help="SpecAugment: band ranges (up to 16 bands) masked per training crop (default 0: off)")
    p.add_argument("--time-masks", type=int, default=Augment.time_masks,
                   help="SpecAugment: frame ranges (up to 24 frames) masked per training crop (default 0: off)")
    p.add_argument("--crop-segments", type=int, default=2,
                   help="segments per training crop (2: 8.6 s of a clip of at most 10 s)")
    p.add_argument("--batch", type=int, default=16, help="training batch size")
    p.add_argument("--lr", type=float, default=None, help="peak AdamW learning rate (default 1e-3)")
    p.add_argument("--resume", action="store_true",
                   help="reuse every run whose result.json is already in --out instead of training it again")
    p.add_argument("--rhythm-lags", type=int, default=None,
                   help="lags of the rhythm branch (default: PCNN_CONFIG's; 0 = the paper's network without it)")
    p.add_argument("--chroma-profiles", type=int, default=None,
                   help="profiles of the chroma branch (default: PCNN_CONFIG's; 0 = no chroma branch)")
    p.add_argument("--chroma-context", choices=CHROMA_CONTEXTS, default=None,
                   help="what the chroma profiles are matched against (default: PCNN_CONFIG's; segment: each "
                        "segment's own mean chroma; window: the whole window's)")
    p.add_argument("--chroma-init", choices=CHROMA_INITS, default=TrainSettings.chroma_init,
                   help="how the chroma branch's profiles start (default random; key-profiles: the first two as the "
                        "major and minor key profiles)")
    p.add_argument("--ema", type=float, default=TrainSettings.ema,
                   help="decay of the moving average of the weights that is validated and kept (0: off)")
    p.add_argument("--weight-decay", type=float, default=TrainSettings.weight_decay,
                   help="AdamW weight decay (default 1e-4)")
    p.add_argument("--feature-dropout", type=float, default=TrainSettings.feature_dropout,
                   help="dropout on the concatenated branch features before the head (0: off)")
    p.add_argument("--patience", type=int, default=10, help="early stopping: epochs without valid improvement")
    a = p.parse_args(argv)
    a.architectures = [x for x in a.architectures.split(",") if x]
    for arch in a.architectures:
        if arch not in ("pcnn", "fcn"):
            p.error(f"--architectures: unknown {arch!r} (use pcnn, fcn)")
    try:
        a.seeds = [int(x) for x in a.seeds.split(",") if x]
    except ValueError:
        p.error(f"--seeds must be comma-separated integers, got {a.seeds!r}")
    if not a.seeds:
        p.error("--seeds: give at least one seed")
    if a.jobs < 1 or a.threads < 1:
        p.error("--jobs and --threads must be >= 1")
    if a.batch < 2:
        p.error("--batch must be >= 2 (batch normalisation needs two rows)")
    if a.lr is not None and not a.lr > 0:
        p.error("--lr must be > 0")
    if a.rhythm_lags is not None and a.rhythm_lags < 0:
        p.error("--rhythm-lags must be >= 0")
    if a.chroma_profiles is not None and a.chroma_profiles < 0:
        p.error("--chroma-profiles must be >= 0")
    if not 0 <= a.ema < 1:
        p.error("--ema must be in [0, 1)")
    if not a.weight_decay >= 0:
        p.error("--weight-decay must be >= 0")
    if not 0 <= a.feature_dropout < 1:
        p.error("--feature-dropout must be in [0, 1)")
    if a.epochs is not None and a.epochs < 1:
        p.error("--epochs must be >= 1")
    return a


def reference_blas_warning() -> str | None:
    """Debian's torch multiplies matrices with whichever libblas.so.3 the system provides; the
    reference one (libblas3, /usr/lib/<arch>/blas/) is about 50x slower than OpenBLAS at the
    head's dense layers, which makes a training step 2-3x slower. Linux only (reads /proc)."""
    import torch

    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS
    maps = Path("/proc/self/maps")
    if not maps.exists() or "/blas/libblas.so" not in maps.read_text():
        return None
    return ("training: torch is using the reference BLAS (libblas3); training takes 2-3x longer than with "
            "OpenBLAS. Install it: sudo apt-get install libopenblas0-pthread")


def per_source(ds, rows: np.ndarray, probs: np.ndarray) -> dict:
    out = {}
    for src in sorted(set(ds.source[rows])):
        sel = ds.source[rows] == src
        ev = evaluate(ds.y[rows][sel], probs[sel], ds.mask[rows][sel])
        out[src] = {"clips": int(sel.sum()), "tags_scored": ev["tags_scored"],
                    "macro_roc_auc": ev["macro_roc_auc"], "macro_pr_auc": ev["macro_pr_auc"]}
    return out


def _run(job, ds=None) -> dict:
    data, features, pcnn, s, mean, std, multiplier, out = job
    if ds is None:
        ds = load_dataset(data, features)
    cfg = layer_config(pcnn)
    r = train_one(ds, cfg, s, mean, std, multiplier, out, log=lambda m: print(m, flush=True))
    print(f"  -> {s.architecture} seed {s.seed}: best epoch {r['best_epoch']}, test ROC-AUC "
          f"{r['test']['macro_roc_auc']:.4f} PR-AUC {r['test']['macro_pr_auc']:.4f}", flush=True)
    return r


def mean_std(values: list[float]) -> tuple[float, float]:
    v = np.array(values, dtype=np.float64)
    return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0


def summarise(ds, results: list[dict], out: Path) -> dict:
    test_rows = ds.rows("test")
    archs: dict[str, dict] = {}
    for arch in sorted({r["architecture"] for r in results}):
        runs = [r for r in results if r["architecture"] == arch]
        probs = [np.load(out / f"{arch}-seed{r['seed']}" / "test_probs.npy") for r in runs]
        ens = evaluate(ds.y[test_rows], np.mean(probs, axis=0), ds.mask[test_rows])
        best = max(runs, key=lambda r: r["valid"]["macro_roc_auc"] + r["valid"]["macro_pr_auc"])
        archs[arch] = {
            "seeds": [r["seed"] for r in runs],
            "test_macro_roc_auc": mean_std([r["test"]["macro_roc_auc"] for r in runs]),
            "test_macro_pr_auc": mean_std([r["test"]["macro_pr_auc"] for r in runs]),
            "valid_macro_roc_auc": mean_std([r["valid"]["macro_roc_auc"] for r in runs]),
            "per_tag_test_roc_auc_mean": _nanmean_rows([r["test"]["roc_auc"] for r in runs]),
            "per_tag_test_pr_auc_mean": _nanmean_rows([r["test"]["pr_auc"] for r in runs]),
            "ensemble_test": {"macro_roc_auc": ens["macro_roc_auc"], "macro_pr_auc": ens["macro_pr_auc"]},
            "best_seed_by_valid": best["seed"],
            "per_source_test": {str(r["seed"]): per_source(ds, test_rows, p) for r, p in zip(runs, probs)},
            "seconds": sum(r["seconds"] for r in runs),
        }
    return archs


def _nanmean_rows(rows: list) -> list:
    """Per-column mean ignoring NaN (a tag unscorable on a tiny split stays NaN, quietly)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.array(rows, dtype=np.float64), axis=0).tolist()


def table(ds, archs: dict) -> str:
    lines = ["", "architecture  seeds  test macro ROC-AUC   test macro PR-AUC    seed-ensemble ROC/PR    minutes",
             "------------  -----  -------------------  -------------------  -----------------------  -------"]
    for arch, a in archs.items():
        (rm, rs), (pm, ps) = a["test_macro_roc_auc"], a["test_macro_pr_auc"]
        e = a["ensemble_test"]
        lines.append(f"{arch:<12}  {len(a['seeds']):>5}  {rm:.4f} ± {rs:.4f}      {pm:.4f} ± {ps:.4f}      "
                     f"{e['macro_roc_auc']:.4f} / {e['macro_pr_auc']:.4f}          {a['seconds'] / 60:7.1f}")
    if "pcnn" in archs and "fcn" in archs:
        d = archs["pcnn"]["test_macro_roc_auc"][0] - archs["fcn"]["test_macro_roc_auc"][0]
        lines.append(f"PCNN - FCN (mean test macro ROC-AUC): {d:+.4f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    a = parse_args(argv)
    warning = reference_blas_warning()
    if warning:
        print(warning, file=sys.stderr, flush=True)
    consts = project_constants()
    pcnn = dict(consts["pcnn"])
    if a.rhythm_lags is not None:
        pcnn["rhythm"] = {"lags": a.rhythm_lags}
    if a.chroma_profiles is not None:
        pcnn["chroma"] = {**pcnn.get("chroma", {}), "profiles": a.chroma_profiles}
    if a.chroma_context is not None:
        pcnn["chroma"] = {**pcnn.get("chroma", {}), "context": a.chroma_context}
    cfg = layer_config(pcnn)  # fails early on a config the trainer cannot build
    spec = consts["featureSpec"]
    ds = load_dataset(a.data, a.features)
    if ds.spec_version != spec["version"]:
        print(f"feature cache {a.features} was computed with spec {ds.spec_version}, the code is at "
              f"{spec['version']}; re-run training/extract-features.ts", file=sys.stderr)
        return 1
    train_rows = ds.rows("train")
    mean, std = standardisation([ds.features[i] for i in train_rows], pooled_from=cfg.bands)
    a.out.mkdir(parents=True, exist_ok=True)
    np.save(a.out / "standardisation.npy", np.stack([mean, std]))
    epochs = a.epochs if a.epochs is not None else (QUICK_EPOCHS if a.quick else DEFAULT_EPOCHS)
    started = time.time()
    plan = [TrainSettings(architecture=arch, seed=seed, epochs=epochs, threads=a.threads,
                          batch=a.batch,
                          lr=a.lr if a.lr is not None else TrainSettings.lr, batch_norm=a.batch_norm, crop_segments=a.crop_segments,
                          patience=a.patience, ema=a.ema, chroma_init=a.chroma_init,
                          weight_decay=a.weight_decay, feature_dropout=a.feature_dropout, augment=Augment(mix_probability=a.mix, freq_masks=a.freq_masks, time_masks=a.time_masks) if a.augment else None)
            for seed in a.seeds for arch in a.architectures]
    print(f"training {len(plan)} runs ({', '.join(a.architectures)} x seeds {a.seeds}), {epochs} epochs max, "
          f"{len(train_rows)} training clips, {a.jobs} at a time", flush=True)
    jobs = [(a.data, a.features, pcnn, s, mean, std, float(spec["logMultiplier"]), a.out / f"{s.architecture}-seed{s.seed}")
            for s in plan]
    done = {}
    if a.resume:
        for job in jobs:
            if (job[-1] / "result.json").exists():
                done[job[-1]] = json.loads((job[-1] / "result.json").read_text())
                print(f"  reusing {job[-1].name} (best epoch {done[job[-1]]['best_epoch']})", flush=True)
    todo = [job for job in jobs if job[-1] not in done]
    if a.jobs == 1 or len(todo) <= 1:
        fresh = [_run(job, ds) for job in todo]
    else:
        # One process per run (each one torch thread): under a loaded machine, two single-threaded
        # runs lose far less than one run whose two OpenMP threads keep waiting for each other.
        with ProcessPoolExecutor(max_workers=a.jobs, mp_context=mp.get_context("spawn")) as pool:
            fresh = list(pool.map(_run, todo))
    by_dir = {**done, **{job[-1]: r for job, r in zip(todo, fresh)}}
    results = [by_dir[job[-1]] for job in jobs]
    archs = summarise(ds, results, a.out)
    summary = {
        "quick": a.quick, "epochs": epochs, "seconds": time.time() - started,
        # Runs reused by --resume were timed by an earlier invocation: "seconds" leaves them out.
        "reusedRuns": len(done),
        "specVersion": ds.spec_version, "manifestHash": ds.manifest_hash, "pcnnConfig": pcnn,
        "tags": ds.tags, "categories": ds.categories,
        "splits": {s: int((ds.split == s).sum()) for s in ("train", "valid", "test")},
        "architectures": archs,
        "runs": [{k: r[k] for k in ("architecture", "seed", "best_epoch", "epochs_run", "seconds")} |
                 {"valid_macro_roc_auc": r["valid"]["macro_roc_auc"], "valid_macro_pr_auc": r["valid"]["macro_pr_auc"],
                  "test_macro_roc_auc": r["test"]["macro_roc_auc"], "test_macro_pr_auc": r["test"]["macro_pr_auc"]}
                 for r in results],
    }
    (a.out / "summary.json").write_text(json.dumps(summary, indent=1, default=_nan_safe))
    print(table(ds, archs), flush=True)
    return 0


def _nan_safe(o):
    if isinstance(o, float) and math.isnan(o):
        return None
    raise TypeError(type(o))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The project's exporter: writes resources/model/ from a finished `npm run train` run.

Usage: /usr/bin/python3 export.py --run DIR [--features DIR] [--data DIR] [--out resources/model]
                                  [--members N] [--with-exported DIR]... [--earlier RUN]

Layout (training/EXPORT_FORMAT.md is the reference for the tfjs side):
  <out>/model.json, weights.bin, tags.json, parity.json   the default model
  <out>/<other architecture>/...                          the other model, same files
  <out>/MODEL_CARD.md                                     both, with metrics and seeds
The default architecture is the one with the better mean valid score (macro ROC-AUC + PR-AUC over
the seeds), never chosen on test; within an architecture the networks with the best valid scores
ship (--members of them, their probabilities averaged), chosen among the run's seeds and the
networks of earlier exported folders given by --with-exported.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pcnn.config import REPO, layer_config, project_constants  # noqa: E402
from pcnn.data import EXCLUSIVE_CATEGORIES, check_exclusive, fit_to_min_frames, load_dataset  # noqa: E402
from pcnn.main import DEFAULT_EPOCHS  # noqa: E402
from pcnn.metrics import best_f1_thresholds, evaluate, precision_at, within_source_roc_auc  # noqa: E402
from pcnn.model import PCNN, fold_batch_norm, window_probabilities  # noqa: E402
from pcnn.exported import load_exported, member_prefix  # noqa: E402
from pcnn.train import predict  # noqa: E402

FORMAT = "betti-pcnn"
# Weights ship in the smallest storage type (STORAGE) that costs less than this in valid macro ROC-AUC.
QUANTISATION_BUDGET = 0.002
# The shipped weights of one architecture may take at most this (issue 5).
WEIGHT_BUDGET = 16 * 2**20
# Seeds shipped per architecture: two uint8 PCNNs fit the budget (6 MB each), three do not.
DEFAULT_MEMBERS = 2


def tfjs_weights(model: PCNN) -> list[tuple[str, np.ndarray]]:
    """(name, array) in tfjs layouts: conv1d kernels [k, in, out], dense kernels [in, out]."""
    out = [
        ("front/kernel", model.front.weight.detach().numpy().transpose(2, 1, 0)),
        ("front/bias", model.front.bias.detach().numpy()),
        ("branch/kernel", model.branch.weight.detach().numpy().transpose(2, 1, 0)),
        ("branch/bias", model.branch.bias.detach().numpy()),
    ]
    if model.chroma is not None:
        out.append(("chroma/kernel", model.chroma.weight.detach().numpy().T))
        out.append(("chroma/bias", model.chroma.bias.detach().numpy()))
    for i, layer in enumerate(model.head):
        out.append((f"head/{i}/kernel", layer.weight.detach().numpy().T))
        out.append((f"head/{i}/bias", layer.bias.detach().numpy()))
    out.append(("out/kernel", model.out.weight.detach().numpy().T))
    out.append(("out/bias", model.out.bias.detach().numpy()))
    return [(n, np.ascontiguousarray(a, dtype=np.float32)) for n, a in out]


# Storage types the exporter may choose, smallest first: (name in model.json, bytes per weight).
STORAGE = (("uint8", 1), ("float16", 2), ("float32", 4))


def quantise(arr: np.ndarray, dtype: str) -> tuple[np.ndarray, dict | None, bytes]:
    """One weight array stored as `dtype`: (the float32 values the tfjs loader will decode, the
    manifest's quantization entry or None, the bytes). uint8 is tfjs's affine form, one range per
    array: value = q * scale + min, computed in float64 and rounded to float32 as
    src-main/model/weights.ts does, so both sides see the same numbers."""
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    if dtype == "float32":
        return arr, None, arr.astype("<f4").tobytes()
    if dtype == "float16":
        half = arr.astype("<f2")
        return half.astype(np.float32), {"dtype": "float16", "original_dtype": "float32"}, half.tobytes()
    lo, hi = float(arr.min()), float(arr.max())
    scale = (hi - lo) / 255 if hi > lo else 1.0
    q = np.clip(np.round((arr.astype(np.float64) - lo) / scale), 0, 255).astype(np.uint8)
    values = (q.astype(np.float64) * scale + lo).astype(np.float32)
    return values, {"dtype": "uint8", "min": lo, "scale": scale, "original_dtype": "float32"}, q.tobytes()


def stored_copy(model: PCNN, dtype: str) -> PCNN:
    """A copy whose weights went through `dtype` and back (what the tfjs loader will see)."""
    q = PCNN(model.cfg, model.out.out_features, model.architecture)
    q.load_state_dict({k: torch.from_numpy(quantise(v.numpy(), dtype)[0].reshape(v.shape)) for k, v in model.state_dict().items()})
    q.eval()
    return q


def write_weights(models: list[PCNN], path: Path, dtype: str) -> list[dict]:
    entries, blobs = [], []
    for i, model in enumerate(models):
        for name, arr in tfjs_weights(model):
            _, quantization, blob = quantise(arr, dtype)
            entry = {"name": member_prefix(i, len(models)) + name, "shape": list(arr.shape), "dtype": "float32"}
            if quantization:
                entry["quantization"] = quantization
            entries.append(entry)
            blobs.append(blob)
    path.write_bytes(b"".join(blobs))
    return [{"paths": [path.name], "weights": entries}]


def f32(a) -> list:
    """Numbers as the float32 values they are, written in the shortest exact form."""
    return [float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


@torch.no_grad()
def parity_cases(models: list[PCNN], ds, mean: np.ndarray, std: np.ndarray) -> list[dict]:
    """Fixed inputs and the PyTorch outputs the tfjs side must reproduce to 1e-4. Inputs are raw
    features (log-mel and log-chroma, NOT standardised): the tfjs side standardises with
    model.json's stats first. `probabilities` are the members' mean; every other output is the
    first member's (the one whose embedding and landscapes Betti keeps)."""
    model = models[0]
    cfg = model.cfg
    test = ds.rows("test")
    lengths = np.array([len(ds.features[i]) for i in test])
    long_clip = int(test[int(np.argmax(lengths))])
    short_clip = int(test[int(np.argmin(lengths))])
    cases = [
        ("one segment (min frames) from the start of a test clip", ds.features[long_clip][: cfg.min_frames]),
        ("two segments plus 2 trailing steps that do not fill a segment (dropped)",
         ds.features[long_clip][: cfg.min_frames + cfg.segment * cfg.front_pool + 2 * cfg.front_pool]),
        ("the shortest test clip, looped to min frames by the short-input rule",
         fit_to_min_frames(ds.features[short_clip], cfg.min_frames)),
    ]
    out = []
    for what, raw in cases:
        x = torch.from_numpy(((raw - mean) / std).astype(np.float32))[None]
        logits, emb = model(x)
        conv, land, rhythm, chroma = model.segment_features(x)
        out.append({
            "what": what,
            "frames": int(raw.shape[0]), "bands": int(raw.shape[1]), "standardised": False,
            "input": f32(raw),
            "segments": int(logits.shape[1]),
            "probabilities": f32(torch.stack([window_probabilities(m(x)[0])[0] for m in models]).mean(dim=0)),
            "segmentLogits": f32(logits[0]),
            "embedding": f32(emb.mean(dim=1)[0]),
            "convBranch": f32(conv[0]),
            "landscapeBranch": None if land is None else f32(land[0]),
            "rhythmBranch": None if rhythm is None else f32(rhythm[0]),
            "chromaBranch": None if chroma is None else f32(chroma[0]),
        })
    return out


def nan_to_none(o):
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: nan_to_none(v) for k, v in o.items()}
    if isinstance(o, list):
        return [nan_to_none(v) for v in o]
    return o


def dump(path: Path, obj, compact: bool = False) -> None:
    text = json.dumps(nan_to_none(obj), indent=None if compact else 1, allow_nan=False,
                      separators=(",", ":") if compact else None)
    path.write_text(text + "\n")


@dataclass
class Candidate:
    """A network that may ship: one of the run's seeds, or one of an earlier export's networks."""
    seed: int
    origin: str  # "run <name>", or the modelVersion of the earlier export
    net: PCNN
    valid_probs: np.ndarray  # its window probabilities on the valid split (float32 weights, or as stored)
    valid_sum: float  # macro ROC-AUC + PR-AUC of those: what ranks it

    @property
    def from_run(self) -> bool:
        return self.origin.startswith("run ")

    @property
    def label(self) -> str:
        return f"seed {self.seed}" if self.from_run else f"seed {self.seed} of {self.origin}"


def earlier_folder(earlier: Path, arch: str, summary: dict, std_stats) -> Path | None:
    """The folder of `arch` in an earlier export (the folder itself or its <arch>/ subfolder), if it
    has one. Its networks may join this run's seeds only if they read the same input: same feature
    spec, layer config and standardisation; otherwise a ValueError says which differs."""
    for d in (earlier, earlier / arch):
        if (d / "model.json").exists() and json.loads((d / "model.json").read_text())["architecture"] == arch:
            break
    else:
        return None
    meta = json.loads((d / "model.json").read_text())
    mean, std = std_stats
    problems = [what for what, same in (
        ("feature spec", meta["specVersion"] == summary["specVersion"]),
        ("layer config", layer_config(meta["config"]) == layer_config(summary["pcnnConfig"])),
        ("standardisation", np.array_equal(np.float32(meta["input"]["standardisation"]["mean"]), np.float32(mean))
         and np.array_equal(np.float32(meta["input"]["standardisation"]["std"]), np.float32(std))),
    ) if not same]
    if problems:
        raise ValueError(f"{d}: its {arch} cannot join this run's networks: another {', '.join(problems)}")
    return d


def export_one(arch: str, run: Path, summary: dict, ds, dest: Path, consts: dict, std_stats, log,
               members: int = 1, earlier: tuple[Path, ...] = ()) -> dict:
    """Exports `arch` as the ensemble of the `members` networks with the best valid sums (one: the
    best alone) among this run's seeds and the networks of `earlier` exported folders, stored in the
    smallest type that costs less than QUANTISATION_BUDGET valid macro ROC-AUC against float32."""
    cfg = layer_config(summary["pcnnConfig"])
    mean, std = std_stats
    valid, test = ds.rows("valid"), ds.rows("test")

    def valid_ev(member_probs: list[np.ndarray]) -> dict:
        return evaluate(ds.y[valid], np.mean(member_probs, axis=0), ds.mask[valid])

    def candidate(seed: int, origin: str, net: PCNN) -> Candidate:
        probs = predict(net, ds, valid, mean, std)[0]
        ev = valid_ev([probs])
        return Candidate(seed, origin, net, probs, ev["macro_roc_auc"] + ev["macro_pr_auc"])

    pool = []
    for r in (r for r in summary["runs"] if r["architecture"] == arch):
        result = json.loads((run / f"{arch}-seed{r['seed']}" / "result.json").read_text())
        trained = PCNN(cfg, len(ds.tags), arch, batch_norm=result["settings"]["batch_norm"])
        trained.load_state_dict(torch.load(run / f"{arch}-seed{r['seed']}" / "model.pt"))
        trained.eval()
        # The exported network has no normalisation layers.
        pool.append(candidate(r["seed"], f"run {run.name}", fold_batch_norm(trained)))
    for folder in filter(None, (earlier_folder(f, arch, summary, std_stats) for f in earlier)):
        meta = json.loads((folder / "model.json").read_text())
        seeds = meta["trainedOn"].get("seeds", [meta["trainedOn"].get("seed")])
        pool += [candidate(seed, meta["modelVersion"], net) for seed, net in zip(seeds, load_exported(folder))]

    pool.sort(key=lambda c: -c.valid_sum)
    chosen = pool[:members]
    folded = [c.net for c in chosen]
    labels = [c.label for c in chosen]
    log(f"export {arch}: valid sums " + ", ".join(f"{c.label} {c.valid_sum:.4f}" for c in pool)
        + f"; shipping {', '.join(labels)}")
    full_valid = valid_ev([c.valid_probs for c in chosen])
    costs = {}
    for dtype, _ in STORAGE:
        shipped = folded if dtype == "float32" else [stored_copy(m, dtype) for m in folded]
        member_valid = ([c.valid_probs for c in chosen] if dtype == "float32"
                        else [predict(m, ds, valid, mean, std)[0] for m in shipped])
        shipped_probs = np.mean(member_valid, axis=0)
        shipped_valid = evaluate(ds.y[valid], shipped_probs, ds.mask[valid])
        costs[dtype] = full_valid["macro_roc_auc"] - shipped_valid["macro_roc_auc"]
        if costs[dtype] < QUANTISATION_BUDGET or dtype == "float32":
            break
    # Thresholds and the quality each tag is suggested on, from the networks that ship.
    bar = consts["qualityBar"]
    thresholds = best_f1_thresholds(ds.y[valid], shipped_probs, ds.mask[valid], floor=bar["thresholdFloor"])
    precision = precision_at(ds.y[valid], shipped_probs, ds.mask[valid], thresholds)
    valid_roc = shipped_valid["roc_auc"]
    within = within_source_roc_auc(ds.y[valid], shipped_probs, ds.mask[valid], ds.source[valid])
    member_test = [predict(m, ds, test, mean, std)[0] for m in shipped]
    test_ev = evaluate(ds.y[test], np.mean(member_test, axis=0), ds.mask[test])
    # Each member alone, as stored, for the card (valid chose them; test is reported, never used).
    alone_rows = [{"label": c.label, "from": c.origin, "valid": valid_ev([v]),
                   "test": evaluate(ds.y[test], t, ds.mask[test])}
                  for c, v, t in zip(chosen, member_valid, member_test)]
    log(f"export {arch} {', '.join(labels)}: stored as {dtype} (valid macro ROC-AUC cost against float32: "
        + ", ".join(f"{k} {v:+.5f}" for k, v in costs.items()) + f"); shipped test ROC-AUC {test_ev['macro_roc_auc']:.4f}")
    size = sum(arr.size for m in folded for _, arr in tfjs_weights(m)) * dict(STORAGE)[dtype]
    if size > WEIGHT_BUDGET:
        raise ValueError(f"{arch}: {len(folded)} network(s) stored as {dtype} take {size / 2**20:.1f} MiB, over the "
                         f"{WEIGHT_BUDGET / 2**20:.0f} MiB budget; export fewer members (--members)")
    dest.mkdir(parents=True, exist_ok=True)
    manifest = write_weights(folded, dest / "weights.bin", dtype)
    spec = consts["featureSpec"]
    min_frames = cfg.min_frames
    model_json = {
        "format": FORMAT,
        "formatVersion": 1,
        "modelVersion": f"{consts['pcnn']['version']}-{arch}-{dt.date.today():%Y%m%d}-"
                        + "+".join(("seed" if c.from_run else "earlier-seed") + str(c.seed) for c in chosen)
                        + ("-quick" if summary["quick"] else ""),
        "specVersion": summary["specVersion"],
        "architecture": arch,
        "members": len(folded),
        "config": summary["pcnnConfig"],
        "tags": len(ds.tags),
        "input": {"layout": "frames x (mel bands + chroma bins), row-major, raw features as "
                            "src-main/features/input-features.ts computes them",
                  "standardisation": {"mean": f32(mean), "std": f32(std)}},
        "window": {"frames": min_frames, "seconds": min_frames * spec["hop"] / spec["sampleRate"],
                   "shortInput": "loop", "trainedFrames": min_frames},
        "quick": summary["quick"],
        "trainedOn": {"manifestHash": summary["manifestHash"], "seeds": [c.seed for c in chosen],
                      "members": [{"seed": c.seed, "from": c.origin, "validSum": round(c.valid_sum, 6)}
                                  for c in chosen]},
        "weightsManifest": manifest,
    }
    dump(dest / "model.json", model_json)
    check_exclusive(ds)
    dump(dest / "tags.json", [{"tag": t, "category": c, "threshold": float(th),
                               "valid": {"rocAuc": float(r), "rocAucWithinSource": float(w), "precision": float(pr)},
                               "exclusive": c in EXCLUSIVE_CATEGORIES}
                              for t, c, th, r, w, pr in zip(ds.tags, ds.categories, thresholds, valid_roc, within, precision)])
    dump(dest / "parity.json", {"format": FORMAT, "architecture": arch, "modelVersion": model_json["modelVersion"],
                                "tolerance": 1e-4, "cases": parity_cases(shipped, ds, mean, std)}, compact=True)
    return {"labels": labels, "members": alone_rows,
            "dtype": dtype, "costs": costs, "shipped_test": test_ev,
            "valid_sum": shipped_valid["macro_roc_auc"] + shipped_valid["macro_pr_auc"],
            "best_seed_valid_sum": chosen[0].valid_sum,
            "bytes": (dest / "weights.bin").stat().st_size, "modelVersion": model_json["modelVersion"],
            "thresholds": thresholds.tolist(), "valid_roc": valid_roc.tolist(), "valid_within": within.tolist(),
            "valid_precision": precision.tolist(),
            "suggested": [suggested(r, w, pr, bar) for r, w, pr in zip(valid_roc, within, precision)]}


def suggested(roc: float, within: float, precision: float, bar: dict) -> bool:
    """The quality bar, for the model card: the same test as modelTagVerdict in
    src-main/model/quality-bar.ts, which is what decides in the app (NaN = unknown, not suggested)."""
    return all(not math.isnan(v) and v >= floor for v, floor in
               ((roc, bar["minRocAuc"]), (within, bar["minRocAuc"]), (precision, bar["minPrecision"])))


def fmt(ms) -> str:
    m, s = ms
    return f"{m:.4f} ± {s:.4f}"


def training_sentence(s: dict) -> str:
    aug = s["augment"]
    augment = ("no augmentation" if aug is None else
               f"augmentation: gain ±{aug['gain_db']:g} dB per clip, no mixing of clips" if aug["mix_probability"] == 0 else
               f"augmentation: gain ±{aug['gain_db']:g} dB per clip, and with probability {aug['mix_probability']:g} the sum "
               "of two clips whose instrument/genre/vocal tags are united (tempo, mode, metre and texture are unknown "
               "in a mix and masked out of the loss)")
    if aug is not None and (aug.get("freq_masks", 0) or aug.get("time_masks", 0)):
        augment += (f"; per crop, {aug['freq_masks']} range(s) of up to {aug['mask_bands']} mel bands and "
                    f"{aug['time_masks']} of up to {aug['mask_frames']} frames set to the training mean (SpecAugment masks)")
    norm = (" Batch normalisation before each ReLU during training only; at export it is folded into the preceding "
            "kernel and bias, so the shipped network has no normalisation layer." if s["batch_norm"] else "")
    start = (" The chroma branch's first two profiles started as the Krumhansl–Kessler major and minor key profiles."
             if s.get("chroma_init") == "key-profiles" else "")
    return (f"- PyTorch, at most {s['epochs']} epochs, early stopping on valid macro ROC-AUC + PR-AUC (patience "
            f"{s['patience']}), AdamW (lr {s['lr']:g}, weight decay {s['weight_decay']:g}, warm-up then cosine), "
            f"batches of {s['batch']} random crops of {s['crop_segments']} segment(s) per clip per epoch; masked binary "
            f"cross-entropy; {augment}.{norm}{start}")


def wall_time_sentence(summary: dict) -> str:
    summed = ", ".join(f"{k.upper()} {v['seconds'] / 60:.1f} min" for k, v in summary["architectures"].items())
    if not summary.get("reusedRuns"):
        return (f"- Wall time: {summary['seconds'] / 60:.1f} min for all runs, two at a time, one torch thread each "
                f"(summed run times: {summed}).")
    # Runs trained by several invocations (--resume), maybe side by side: no one wall time to report.
    per_epoch = ", ".join(
        f"{arch.upper()} {min(r['seconds'] / r['epochs_run'] for r in summary['runs'] if r['architecture'] == arch):.0f} s"
        for arch in summary["architectures"])
    return (f"- Trained in more than one invocation ({summary['reusedRuns']} of {len(summary['runs'])} runs reused by "
            f"`--resume`; runs of different invocations may have shared the cores), so no single wall time is reported. Summed run "
            f"times: {summed}; fastest run per epoch: {per_epoch}.")


def network_sentence(pcnn: dict) -> str:
    """What the layer config adds to the paper's network (DESIGN.md allows measured improvements)."""
    lags = pcnn.get("rhythm", {}).get("lags", 0)
    profiles = pcnn.get("chroma", {}).get("profiles", 0)
    added = []
    if lags:
        added.append(f"a rhythm branch: per segment, the autocorrelation of each front-end filter's unpooled activations "
                     f"at lags 1–{lags} frames (32 ms each; no weights)")
    if profiles:
        against = ("the whole window's mean log-chroma (the same for each of its segments)"
                   if pcnn.get("chroma", {}).get("context") == "window" else "the segment's mean log-chroma")
        added.append(f"a chroma branch: per segment, {profiles} learned pitch-class profiles matched in all 12 keys "
                     f"against {against}, the best key's match kept (so a transposed piece scores the same)")
    if not added:
        return f"the paper's network (layer config `{pcnn['version']}`, no rhythm or chroma branch)"
    return (f"the paper's network (layer config `{pcnn['version']}`) plus {'; and '.join(added)}; beside the conv and "
            "landscape branches (`--rhythm-lags 0 --chroma-profiles 0` trains the paper's network)")


def earlier_run_section(summary: dict, earlier: dict, earlier_settings: dict, name: str) -> list[str]:
    """The card's comparison with an earlier full run (kept in its own run folder, not shipped), so a
    replaced model's numbers stay on record next to the ones that replaced them."""
    lines = ["## Compared with the earlier run (not shipped)", "",
             f"The earlier full run (`training/.cache/runs/{name}`) trained {network_sentence(earlier['pcnnConfig'])}, "
             f"on feature spec `{earlier['specVersion']}`, with:", "",
             training_sentence(earlier_settings), "",
             "| run | model | seeds | valid ROC-AUC mean | valid PR-AUC mean | test ROC-AUC mean ± sd | test PR-AUC mean ± sd |",
             "|---|---|---|---|---|---|---|"]
    for label, s in (("earlier", earlier), ("this (shipped)", summary)):
        for arch, a in s["architectures"].items():
            runs = [r for r in s["runs"] if r["architecture"] == arch]
            lines.append(f"| {label} | {arch.upper()} | {len(runs)} | "
                         f"{np.mean([r['valid_macro_roc_auc'] for r in runs]):.4f} | "
                         f"{np.mean([r['valid_macro_pr_auc'] for r in runs]):.4f} | "
                         f"{fmt(a['test_macro_roc_auc'])} | {fmt(a['test_macro_pr_auc'])} |")
    archs = list(summary["architectures"])
    lines += ["", "Per source on the test split (macro ROC-AUC, mean over seeds; earlier → this run):", "",
              "| source | clips | " + " | ".join(f"{a.upper()} ROC-AUC" for a in archs) + " |",
              "|---|---|" + "---|" * len(archs)]
    for src, clips in _source_clips(summary).items():
        cells = [f"{_source_mean(earlier, a, src, 'macro_roc_auc')} → {_source_mean(summary, a, src, 'macro_roc_auc')}"
                 for a in archs]
        lines.append(f"| {src} | {clips} | " + " | ".join(cells) + " |")
    moved = _tags_that_moved(summary, earlier, archs)
    if moved:
        lines += ["", "Tags whose test ROC-AUC (mean over seeds) moved by 0.03 or more for either model (earlier → this run):", "",
                  "| tag | " + " | ".join(f"{a.upper()} ROC-AUC" for a in archs) + " |", "|---|" + "---|" * len(archs), *moved]
    lines += ["", "The shipped run was chosen over the earlier one on the valid split only.", ""]
    return lines


def _tags_that_moved(summary: dict, earlier: dict, archs: list[str], by: float = 0.03) -> list[str]:
    """Table rows for the tags whose mean test ROC-AUC changed by at least `by` in some architecture."""
    if earlier.get("tags") != summary.get("tags"):
        return []  # another vocabulary: no tag-by-tag comparison
    rows = []
    for i, tag in enumerate(summary["tags"]):
        pairs = []
        for a in archs:
            before = earlier["architectures"].get(a, {}).get("per_tag_test_roc_auc_mean", [None] * (i + 1))[i]
            after = summary["architectures"][a]["per_tag_test_roc_auc_mean"][i]
            pairs.append((before, after))
        if any(b is not None and c is not None and not math.isnan(b) and not math.isnan(c) and abs(c - b) >= by for b, c in pairs):
            rows.append(f"| {tag} | " + " | ".join("—" if b is None or c is None else f"{b:.3f} → {c:.3f}" for b, c in pairs) + " |")
    return rows


def _source_clips(summary: dict) -> dict:
    first = next(iter(summary["architectures"].values()))
    return {src: v["clips"] for src, v in next(iter(first["per_source_test"].values())).items()}


def _source_mean(summary: dict, arch: str, src: str, key: str) -> str:
    a = summary["architectures"].get(arch)
    vals = [] if a is None else [v[src][key] for v in a["per_source_test"].values()
                                 if src in v and v[src][key] is not None and not math.isnan(v[src][key])]
    return f"{np.mean(vals):.3f}" if vals else "—"


def shipped_sentence(e: dict) -> str:
    labels = e["labels"]
    who = (labels[0] if len(labels) == 1 else
           f"the ensemble of {' and '.join(labels)} (the mean of their probabilities; embedding and landscapes "
           f"from {labels[0]})")
    return f"{who}, weights {e['dtype']} ({e['bytes'] / 1e6:.1f} MB)"


def members_sentence(summary: dict, exported: dict) -> str:
    """Why several seeds ship: the valid sums of the ensemble against its best member alone."""
    parts = [f"{arch.upper()} {e['best_seed_valid_sum']:.4f} → {e['valid_sum']:.4f}" for arch, e in exported.items()]
    return ("- Each architecture ships its networks with the best valid sums, as many as fit the 16 MB weight budget "
            "(`--members`), chosen among this run's seeds and the networks of earlier exports given to the exporter "
            "(`--with-exported`, which must read the same input): the valid sum of macro ROC-AUC + PR-AUC, best "
            "network alone → the shipped networks as stored: " + ", ".join(parts)
            + ". Analysing a window costs one forward pass per member.")


def targets_sentence(a: dict, shipped: dict | None) -> str:
    mean_met = a["test_macro_roc_auc"][0] >= 0.92 and a["test_macro_pr_auc"][0] >= 0.80
    text = f"mean of the seeds {'met' if mean_met else 'not met'}"
    if shipped is not None:
        t = shipped["shipped_test"]
        text += f"; the shipped PCNN {'met' if t['macro_roc_auc'] >= 0.92 and t['macro_pr_auc'] >= 0.80 else 'not met'}"
    return text + "."


def model_card(summary: dict, ds, exported: dict, default: str, scores: dict, settings: dict, bar: dict,
               earlier: list[str] | None = None) -> str:
    archs = summary["architectures"]
    tags, cats = summary["tags"], summary["categories"]
    lines = ["# Betti PCNN — model card", ""]
    if summary["quick"]:
        lines += ["> **QUICK-MODE MODEL** (`npm run train -- --quick`): a smoke-test run on a small subset for a "
                  "few epochs. Its numbers say nothing about the real model; the full run replaces this file.", ""]
    lines += [
        f"Generated by `training/export.py` on {dt.date.today():%Y-%m-%d} from `npm run train`.",
        "",
        "## What ships",
        f"- Default model (`resources/model/model.json`): **{default.upper()}**, {shipped_sentence(exported[default])}.",
    ]
    for arch, e in exported.items():
        if arch != default:
            lines.append(f"- Also shipped: **{arch.upper()}** in `resources/model/{arch}/` ({shipped_sentence(e)}); "
                         "choose it with the model setting.")
    lines += [
        f"- Default chosen on the **valid** split (mean over seeds of the sum macro ROC-AUC + macro PR-AUC: "
        + ", ".join(f"{k.upper()} {v:.4f}" for k, v in scores.items()) + "); test was not used to choose.",
        *([members_sentence(summary, exported)] if any(len(e["labels"]) > 1 for e in exported.values()) else []),
        f"- Feature spec `{summary['specVersion']}`; the network is {network_sentence(summary['pcnnConfig'])}.",
        "",
        "## Data",
        "- `../shared/data` (see its README): rendered and recorded clips from Debian packages, 3–10 s, labels derived "
        "mechanically from source metadata. Manifest sha256 `" + summary["manifestHash"][:16] + "…`.",
        f"- Splits (by source track, from the manifest): train {summary['splits']['train']}, valid "
        f"{summary['splits']['valid']}, test {summary['splits']['test']} clips.",
        "- Labels are masked: an absent tag counts as a negative only in the row's `labelled_categories`; every metric "
        "below uses only the known labels of each tag.",
        "",
        "## Training",
        training_sentence(settings),
        f"- Seeds: {', '.join(str(s) for s in next(iter(archs.values()))['seeds'])} for each architecture; same data, "
        "split, epochs budget and augmentation for PCNN and FCN.",
        wall_time_sentence(summary),
        f"- Per-tag thresholds: the F1-maximising threshold on valid (known labels only) among those at or above "
        f"{bar['thresholdFloor']:g}, computed on the shipped weights.",
        f"- Suggested tags: Betti suggests a tag only when, on valid, its ROC-AUC is at least {bar['minRocAuc']:g} both over "
        f"all clips and within sources (a positive against a negative of the same source), and its precision at the "
        f"threshold at least {bar['minPrecision']:g} (the quality bar personal tags clear too, `src-main/model/quality-bar.ts`). "
        "A tag that valid never holds together with its absence in one source is not suggested: its score may tell the "
        "sources apart rather than the tag. The other tags still have their probability shown; they are never suggested. "
        f"The tags of {', '.join(sorted(EXCLUSIVE_CATEGORIES))} exclude each other (the data defines them so): of each, "
        "at most the most confident is suggested, and none where the file already has one.",
        *([f"- This run used an epoch budget of {summary['epochs']} (`--epochs {summary['epochs']}`), below the default "
           f"{DEFAULT_EPOCHS} of `npm run train`; a longer budget may score higher "
           "(not measured here)."] if not summary["quick"] and summary["epochs"] < DEFAULT_EPOCHS else []),
        "",
        "## Results on the test split (masked, macro over tags)",
        "",
        "| model | seeds | ROC-AUC mean ± sd | PR-AUC mean ± sd | ensemble of the seeds ROC / PR | shipped ROC / PR |",
        "|---|---|---|---|---|---|",
    ]
    for arch, a in archs.items():
        e = exported.get(arch)
        shipped = f"{e['shipped_test']['macro_roc_auc']:.4f} / {e['shipped_test']['macro_pr_auc']:.4f}" if e else "—"
        lines.append(f"| {arch.upper()} | {len(a['seeds'])} | {fmt(a['test_macro_roc_auc'])} | {fmt(a['test_macro_pr_auc'])} | "
                     f"{a['ensemble_test']['macro_roc_auc']:.4f} / {a['ensemble_test']['macro_pr_auc']:.4f} | {shipped} |")
    lines += ["", "sd = sample standard deviation over the seeds; ensemble = the mean of all the seeds' probabilities; "
              "shipped = what ships (above), as stored.", ""]
    if "pcnn" in archs and "fcn" in archs:
        d_roc = archs["pcnn"]["test_macro_roc_auc"][0] - archs["fcn"]["test_macro_roc_auc"][0]
        d_pr = archs["pcnn"]["test_macro_pr_auc"][0] - archs["fcn"]["test_macro_pr_auc"][0]
        verdict = ("The PCNN beats the FCN" if d_roc > 0 and d_pr > 0 else
                   "**The PCNN does not beat the FCN on both measures**" if d_roc > 0 or d_pr > 0 else
                   "**The PCNN does not beat the FCN**")
        lines += [f"{verdict} on the mean of the seeds: ROC-AUC {d_roc:+.4f}, PR-AUC {d_pr:+.4f} (PCNN − FCN).",
                  "Targets (PCNN macro ROC-AUC ≥ 0.92, PR-AUC ≥ 0.80): " + targets_sentence(archs["pcnn"], exported.get("pcnn")), ""]
    lines += ["### Per tag (test, mean over seeds)", "",
              "| tag | category | " + " | ".join(f"{a.upper()} ROC-AUC | {a.upper()} PR-AUC" for a in archs)
              + " | threshold (default) | valid ROC-AUC / within sources / precision (default) | suggested (default) |",
              "|---|---|" + "---|---|" * len(archs) + "---|---|---|"]
    shipped = exported[default]
    for t, (tag, cat) in enumerate(zip(tags, cats)):
        cells = []
        for a in archs.values():
            r, p = a["per_tag_test_roc_auc_mean"][t], a["per_tag_test_pr_auc_mean"][t]
            cells += ["—" if r is None or (isinstance(r, float) and math.isnan(r)) else f"{r:.3f}",
                      "—" if p is None or (isinstance(p, float) and math.isnan(p)) else f"{p:.3f}"]
        quality = " / ".join("—" if v is None or math.isnan(v) else f"{v:.3f}"
                             for v in (shipped["valid_roc"][t], shipped["valid_within"][t], shipped["valid_precision"][t]))
        lines.append(f"| {tag} | {cat} | " + " | ".join(cells) + f" | {shipped['thresholds'][t]:.3f} | {quality} | "
                     f"{'yes' if shipped['suggested'][t] else 'no'} |")
    lines += ["", "### Generalisation: per source on the test split (macro over the tags scorable within the source)", "",
              "| source | clips | " + " | ".join(f"{a.upper()} ROC-AUC | {a.upper()} PR-AUC" for a in archs) + " |",
              "|---|---|" + "---|---|" * len(archs)]
    first = next(iter(archs.values()))
    for src in next(iter(first["per_source_test"].values())):
        cells = []
        for a in archs.values():
            per_seed = [v[src] for v in a["per_source_test"].values()]
            for key in ("macro_roc_auc", "macro_pr_auc"):
                vals = [p[key] for p in per_seed if p[key] is not None and not math.isnan(p[key])]
                cells.append(f"{np.mean(vals):.3f}" if vals else "— (one class only)")
        clips = next(iter(first["per_source_test"].values()))[src]["clips"]
        lines.append(f"| {src} | {clips} | " + " | ".join(cells) + " |")
    lines += ["", "### Runs", "", "| model | seed | best epoch | epochs run | minutes | valid ROC / PR | test ROC / PR |",
              "|---|---|---|---|---|---|---|"]
    for r in summary["runs"]:
        lines.append(f"| {r['architecture'].upper()} | {r['seed']} | {r['best_epoch']} | {r['epochs_run']} | {r['seconds'] / 60:.1f} | "
                     f"{r['valid_macro_roc_auc']:.4f} / {r['valid_macro_pr_auc']:.4f} | {r['test_macro_roc_auc']:.4f} / {r['test_macro_pr_auc']:.4f} |")
    lines += ["", "### Shipped networks, each alone (as stored)", "",
              "| model | network | from | valid ROC / PR | test ROC / PR |", "|---|---|---|---|---|"]
    for arch, e in exported.items():
        for m in e["members"]:
            lines.append(f"| {arch.upper()} | {m['label']} | {m['from']} | {m['valid']['macro_roc_auc']:.4f} / "
                         f"{m['valid']['macro_pr_auc']:.4f} | {m['test']['macro_roc_auc']:.4f} / {m['test']['macro_pr_auc']:.4f} |")
    if earlier:
        lines += ["", *earlier]
    weak = [f"`{t}` ({archs[default]['per_tag_test_roc_auc_mean'][i]:.2f})" for i, t in enumerate(tags)
            if archs[default]["per_tag_test_roc_auc_mean"][i] is not None
            and not math.isnan(archs[default]["per_tag_test_roc_auc_mean"][i])
            and archs[default]["per_tag_test_roc_auc_mean"][i] < 0.65]
    withheld = [f"`{t}`" for t, ok in zip(tags, exported[default]["suggested"]) if not ok]
    lines += ["", "## Limits"]
    if withheld:
        lines.append(f"- Below the quality bar on valid, so never suggested by the default model: {', '.join(withheld)}.")
    if weak:
        lines.append(f"- Near chance on test for the default model (mean ROC-AUC < 0.65): {', '.join(weak)}.")
    if any(w.startswith(("`major`", "`minor`")) for w in weak) and not summary["pcnnConfig"].get("chroma", {}).get("profiles", 0):
        lines.append("- `major`/`minor` need pitch: the input's 128 mel bands from a 512-point FFT at 16 kHz resolve "
                     "semitones only above about 1 kHz. The data carries the mode (a key-profile probe on a finer "
                     "chroma separates it far better than one on these bands; training/README.md), so this limit is "
                     "the feature spec's, and lifting it means a pitch-resolved input: a new spec version.")
    mode_withheld = [w for w in withheld if w in ("`major`", "`minor`")]
    if mode_withheld and summary["pcnnConfig"].get("chroma", {}).get("profiles", 0):
        window = summary["pcnnConfig"]["chroma"].get("context") == "window"
        lines.append(f"- {'/'.join(mode_withheld)} stay below the quality bar with the chroma branch, "
                     + ("although it matches the whole window's mean chroma" if window else "which matches each segment's "
                        "(4.1 s) mean chroma")
                     + ", while a key-profile probe on a whole clip's mean chroma separates the valid clips labelled for "
                     "mode with ROC-AUC 0.85. training/README.md gives the probe, and the runs whose profiles matched "
                     "the window's mean chroma (`--chroma-context window`): the mode tags rose, the valid sums did not.")
    lines += ["- Genre is confounded with source (`classical` only from Wesnoth, `game_soundtrack` only from game "
              "packages); per-source numbers above show how much a tag's score rests on recording style.",
              "- The held-out evaluation set of the data's maintainers was not used; these numbers are on the shared test split.",
              "- Synthetic material dominates (synth-midi renders); real recordings of a person's library will differ.", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="export.py")
    p.add_argument("--run", type=Path, required=True, help="the run folder (summary.json, <arch>-seed<n>/)")
    p.add_argument("--features", type=Path, required=True)
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--out", type=Path, default=REPO / "resources" / "model")
    p.add_argument("--members", type=int, default=DEFAULT_MEMBERS,
                   help="seeds shipped per architecture, best valid sums first, their probabilities averaged "
                        f"(default {DEFAULT_MEMBERS}; 1: the best seed alone)")
    p.add_argument("--with-exported", type=Path, action="append", default=[],
                   help="an earlier exported model folder (a copy: --out is overwritten) whose networks join this "
                        "run's seeds as candidates for the shipped members, as stored; it must read the same input")
    p.add_argument("--earlier", type=Path, default=None,
                   help="an earlier run folder whose numbers the model card lists next to this run's")
    a = p.parse_args(argv)
    if a.members < 1:
        p.error("--members must be >= 1")
    summary = json.loads((a.run / "summary.json").read_text())
    consts = project_constants()
    if summary["specVersion"] != consts["featureSpec"]["version"]:
        print(f"run {a.run} used spec {summary['specVersion']}, the code is at {consts['featureSpec']['version']}", file=sys.stderr)
        return 1
    ds = load_dataset(a.data, a.features)
    mean, std = np.load(a.run / "standardisation.npy")
    scores = {arch: float(np.mean([r["valid_macro_roc_auc"] + r["valid_macro_pr_auc"]
                                   for r in summary["runs"] if r["architecture"] == arch]))
              for arch in summary["architectures"]}
    default = max(scores, key=lambda k: scores[k])
    try:  # an earlier export that cannot join is refused before anything in --out is replaced
        for arch in summary["architectures"]:
            for folder in a.with_exported:
                earlier_folder(folder, arch, summary, (mean, std))
    except ValueError as err:
        print(f"export: {err}", file=sys.stderr)
        return 1
    a.out.mkdir(parents=True, exist_ok=True)
    exported = {}
    for arch in summary["architectures"]:
        dest = a.out if arch == default else a.out / arch
        try:
            exported[arch] = export_one(arch, a.run, summary, ds, dest, consts, (mean, std), print, a.members,
                                        tuple(a.with_exported))
        except ValueError as err:
            print(f"export: {err}", file=sys.stderr)
            return 1
    # A stale subfolder for the default architecture would shadow nothing but confuse readers.
    stale = a.out / default / "model.json"
    if stale.exists():
        for f in ("model.json", "weights.bin", "tags.json", "parity.json"):
            (a.out / default / f).unlink(missing_ok=True)
        (a.out / default).rmdir() if not any((a.out / default).iterdir()) else None
    first = summary["runs"][0]
    settings = json.loads((a.run / f"{first['architecture']}-seed{first['seed']}" / "result.json").read_text())["settings"]
    earlier = None
    if a.earlier is not None:
        old = json.loads((a.earlier / "summary.json").read_text())
        old_first = old["runs"][0]
        old_settings = json.loads((a.earlier / f"{old_first['architecture']}-seed{old_first['seed']}" / "result.json").read_text())["settings"]
        earlier = earlier_run_section(summary, old, old_settings, a.earlier.name)
    (a.out / "MODEL_CARD.md").write_text(model_card(summary, ds, exported, default, scores, settings, consts["qualityBar"], earlier))
    print(f"exported to {a.out} (default {default})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

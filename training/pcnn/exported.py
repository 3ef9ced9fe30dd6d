"""An exported model folder (model.json + weights.bin, training/EXPORT_FORMAT.md) read back into
PyTorch: the inverse of export.tfjs_weights, reading only the exported files, one network per
member. The tests use it to check the export round trip, bench/model to time the shipped weights."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from .config import layer_config
from .model import PCNN


def read_weights(model_dir: Path, meta: dict) -> dict[str, np.ndarray]:
    """Every named array of the weights manifest, as float32 in its tfjs layout."""
    arrays = {}
    for group in meta["weightsManifest"]:
        blob = b"".join((model_dir / p).read_bytes() for p in group["paths"])
        pos = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"]))
            q = w.get("quantization", {})
            if q.get("dtype") == "uint8":  # tfjs's affine form: q * scale + min
                raw = np.frombuffer(blob, np.uint8, n, pos).astype(np.float64)
                values, width = (raw * q["scale"] + q["min"]).astype(np.float32), 1
            elif q.get("dtype") == "float16":
                values, width = np.frombuffer(blob, "<f2", n, pos).astype(np.float32), 2
            else:
                values, width = np.frombuffer(blob, "<f4", n, pos).astype(np.float32), 4
            arrays[w["name"]] = values.reshape(w["shape"])
            pos += n * width
    return arrays


def member_prefix(i: int, members: int) -> str:
    """Where member i of `members` finds its weights: `m<i>/` when several networks ship together
    (src-main/model/weights.ts memberPrefix reads the same names)."""
    return f"m{i}/" if members > 1 else ""


def load_exported(model_dir: Path) -> list[PCNN]:
    """The exported networks (one per member; the shipped prediction is the mean of their window
    probabilities) in eval mode, every weight loaded (a missing one is an error)."""
    meta = json.loads((model_dir / "model.json").read_text())
    members = int(meta.get("members", 1))
    everything = read_weights(model_dir, meta)
    out = []
    for i in range(members):
        prefix = member_prefix(i, members)
        arrays = {k[len(prefix):]: v for k, v in everything.items() if k.startswith(prefix)}
        out.append(_network(meta, arrays))
    return out


def _network(meta: dict, arrays: dict[str, np.ndarray]) -> PCNN:
    cfg = layer_config(meta["config"])
    model = PCNN(cfg, meta["tags"], meta["architecture"])
    state = {"front.weight": arrays["front/kernel"].transpose(2, 1, 0), "front.bias": arrays["front/bias"],
             "branch.weight": arrays["branch/kernel"].transpose(2, 1, 0), "branch.bias": arrays["branch/bias"],
             "out.weight": arrays["out/kernel"].T, "out.bias": arrays["out/bias"]}
    if model.chroma is not None:
        state["chroma.weight"] = arrays["chroma/kernel"].T
        state["chroma.bias"] = arrays["chroma/bias"]
    for i in range(len(cfg.head)):
        state[f"head.{i}.weight"] = arrays[f"head/{i}/kernel"].T
        state[f"head.{i}.bias"] = arrays[f"head/{i}/bias"]
    # The norm slots are Identity in a model built without batch norm: nothing else to load.
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()})
    model.eval()
    return model

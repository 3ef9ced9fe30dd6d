"""Reads PCNN_CONFIG and FEATURE_SPEC from the TypeScript sources (training/print-config.ts), so the
trainer and the app share one definition of every layer and signal number."""
from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path

from .model import LayerConfig

TRAINING = Path(__file__).resolve().parent.parent
REPO = TRAINING.parent
NODE = REPO / "node_modules" / ".bin" / "node"


@lru_cache(maxsize=1)
def project_constants() -> dict:
    """{'pcnn': PCNN_CONFIG, 'featureSpec': FEATURE_SPEC} as plain JSON."""
    if not NODE.exists():
        raise FileNotFoundError(f"{NODE} is missing; run `npm ci` in {REPO} first")
    out = subprocess.run(
        [str(NODE), "--disable-warning=ExperimentalWarning", str(TRAINING / "print-config.ts")],
        check=True, capture_output=True, text=True, cwd=REPO,
    )
    return json.loads(out.stdout)


def layer_config(pcnn: dict | None = None, spec: dict | None = None) -> LayerConfig:
    """LayerConfig from a PCNN_CONFIG object and a FEATURE_SPEC (default: the project's)."""
    p = pcnn if pcnn is not None else project_constants()["pcnn"]
    f = spec if spec is not None else project_constants()["featureSpec"]
    if p["convBranch"]["pool"] != p["segment"]["steps"]:
        raise ValueError("the conv branch must pool over exactly one segment")
    return LayerConfig(
        bands=int(p["frontEnd"]["bands"]),
        front_filters=int(p["frontEnd"]["filters"]),
        front_frames=int(p["frontEnd"]["frames"]),
        front_pool=int(p["frontEnd"]["poolTime"]),
        segment=int(p["segment"]["steps"]),
        segment_stride=int(p["segment"]["stride"]),
        conv_branch=int(p["convBranch"]["channels"]),
        landscape_k=int(p["landscape"]["k"]),
        landscape_points=int(p["landscape"]["points"]),
        landscape_lo=float(p["landscape"]["lo"]),
        landscape_hi=float(p["landscape"]["hi"]),
        head=tuple(int(u) for u in p["head"]["units"]),
        dropout=float(p["head"]["dropout"]),
        rhythm_lags=int(p.get("rhythm", {}).get("lags", 0)),
        chroma_bins=int(f.get("chroma", {}).get("bins", 0)),
        chroma_profiles=int(p.get("chroma", {}).get("profiles", 0)),
        chroma_context=str(p.get("chroma", {}).get("context", "segment")),
    )

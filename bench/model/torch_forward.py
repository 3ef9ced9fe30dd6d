#!/usr/bin/python3
"""PyTorch reference for `npm run bench -- model`: the exported network (model.json + weights.bin,
read back into training/pcnn/model.py's PCNN exactly as training/export.py wrote it, every member
of an ensemble) timed on random input of the given shape, on the CPU.

Usage: /usr/bin/python3 bench/model/torch_forward.py --model DIR --frames F --batches 1,16
                                                     [--seconds S] [--threads N]
stdout: JSON {"torch", "threads", "architecture", "members", "parityMaxDiff", "results": [{"batch", "msPerWindow", "landscapeMsPerWindow"}]}
(best of repeated runs for about S seconds each; landscape = the persistence branch alone on the
same front-end activations). parityMaxDiff: the largest |PyTorch − parity.json| probability on
the exporter's fixed inputs, which shows these are the shipped weights read back correctly.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from pcnn.landscape import segment_landscapes  # noqa: E402
from pcnn.exported import load_exported  # noqa: E402


def best_ms(seconds: float, body, min_runs: int = 3) -> float:
    best, runs, until = float("inf"), 0, time.perf_counter() + seconds
    while time.perf_counter() < until or runs < min_runs:
        t0 = time.perf_counter()
        body()
        best = min(best, (time.perf_counter() - t0) * 1000)
        runs += 1
    return best


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path, required=True)
    p.add_argument("--frames", type=int, required=True)
    p.add_argument("--batches", default="1,16")
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    members = load_exported(a.model)  # the shipped prediction runs every member
    model = members[0]
    cfg = model.cfg

    def forward(x):
        return [m(x) for m in members]

    results = []
    parity_diff = None
    meta = json.loads((a.model / "model.json").read_text())
    mean, std = (np.asarray(meta["input"]["standardisation"][k], np.float32) for k in ("mean", "std"))
    if (a.model / "parity.json").exists():
        parity_diff = 0.0
        for case in json.loads((a.model / "parity.json").read_text())["cases"]:
            raw = np.asarray(case["input"], np.float32).reshape(case["frames"], case["bands"])
            with torch.no_grad():
                outs = forward(torch.from_numpy(((raw - mean) / std).astype(np.float32))[None])
            probs = np.mean([torch.sigmoid(logits).mean(dim=1)[0].numpy() for logits, _ in outs], axis=0)
            parity_diff = max(parity_diff, float(np.abs(probs - np.asarray(case["probabilities"])).max()))
    with torch.no_grad():
        for batch in (int(b) for b in a.batches.split(",")):
            x = torch.randn(batch, a.frames, cfg.input_bands, generator=torch.Generator().manual_seed(3))
            whole = best_ms(a.seconds, lambda: forward(x))
            land = 0.0
            if model.architecture == "pcnn":
                steps = model.steps(x)
                s = (steps.shape[1] - cfg.segment) // cfg.segment_stride + 1
                used = steps[:, : s * cfg.segment].contiguous()
                # One member's landscape layer, times the members (each runs its own).
                land = len(members) * best_ms(a.seconds / 2, lambda: segment_landscapes(
                    used, cfg.segment, cfg.segment_stride, cfg.landscape_k, cfg.landscape_points, cfg.landscape_lo,
                    cfg.landscape_hi))
            results.append({"batch": batch, "msPerWindow": whole / batch, "landscapeMsPerWindow": land / batch})
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "architecture": model.architecture,
               "members": len(members),
               "parityMaxDiff": parity_diff, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()

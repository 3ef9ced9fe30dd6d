"""The torch landscape layer equals the app's TypeScript one (src-main/features/landscape-batch.ts)
on the same float32 activations, random and taken from a trained-shape network; the torch rhythm
branch (FFT) equals the TypeScript one (src-main/model/rhythm.ts, direct sums)."""
from __future__ import annotations

import json
import subprocess
import unittest

import numpy as np
import torch

from pcnn.config import NODE, REPO, TRAINING, layer_config
from pcnn.landscape import segment_landscapes
from pcnn.model import PCNN
from pcnn.rhythm import segment_autocorrelation


def ts_landscapes(acts: np.ndarray) -> tuple[int, np.ndarray]:
    b, t, c = acts.shape
    payload = json.dumps({"batch": b, "steps": t, "channels": c, "values": [float(v) for v in acts.reshape(-1)]})
    out = subprocess.run([str(NODE), "--disable-warning=ExperimentalWarning", str(TRAINING / "tests" / "ts_landscape_batch.ts")],
                         input=payload, capture_output=True, text=True, check=True, cwd=REPO)
    res = json.loads(out.stdout)
    return res["segments"], np.array(res["landscapes"], np.float32)


def ts_rhythm(frames: np.ndarray, segments: int, segment_frames: int, lags: int) -> np.ndarray:
    """frames [B, T', C] (tfjs layout) -> the TypeScript branch's [B * S * C * lags] values."""
    b, t, c = frames.shape
    payload = json.dumps({"batch": b, "frames": t, "channels": c, "segments": segments, "segmentFrames": segment_frames,
                          "lags": lags, "values": [float(v) for v in frames.reshape(-1)]})
    out = subprocess.run([str(NODE), "--disable-warning=ExperimentalWarning", str(TRAINING / "tests" / "ts_rhythm.ts")],
                         input=payload, capture_output=True, text=True, check=True, cwd=REPO)
    return np.array(json.loads(out.stdout), np.float32)


class RhythmTorchEqualsTypeScript(unittest.TestCase):
    def test_front_end_activations_of_a_network_with_trailing_frames(self):
        torch.manual_seed(5)
        cfg = layer_config()
        lags = cfg.rhythm_lags or 16
        model = PCNN(cfg, 3, "fcn").eval()
        with torch.no_grad():
            frames = model.activations(torch.randn(2, cfg.min_frames + 128 + 9, cfg.input_bands))  # [B, C, T']
        seg = cfg.segment * cfg.front_pool
        segments = frames.shape[-1] // seg
        ours = segment_autocorrelation(frames[..., : segments * seg], seg, lags).numpy()
        ts = ts_rhythm(frames.transpose(1, 2).numpy().astype(np.float32), segments, seg, lags)
        self.assertEqual(ours.shape, (2, 2, cfg.front_filters * lags))
        np.testing.assert_allclose(ours.reshape(-1), ts, atol=2e-6)

    def test_silent_and_constant_filters(self):
        rng = np.random.default_rng(8)
        frames = np.maximum(0, rng.normal(0.5, 1.0, (1, 128, 6))).astype(np.float32)
        frames[0, :, 0] = 0  # a dead filter
        frames[0, :, 1] = 2.5  # a filter that never changes
        ours = segment_autocorrelation(torch.from_numpy(frames).transpose(1, 2), 128, 20).numpy()
        ts = ts_rhythm(frames, 1, 128, 20)
        np.testing.assert_allclose(ours.reshape(-1), ts, atol=2e-6)
        self.assertTrue(np.all(ts[:40] == 0))


class TorchEqualsTypeScript(unittest.TestCase):
    def check(self, acts: np.ndarray):
        cfg = layer_config()
        segments, ts = ts_landscapes(acts)
        ours = segment_landscapes(torch.from_numpy(acts), cfg.segment, cfg.segment_stride, cfg.landscape_k,
                                  cfg.landscape_points, cfg.landscape_lo, cfg.landscape_hi).numpy()
        self.assertEqual(ours.shape[1], segments)
        np.testing.assert_allclose(ours.reshape(-1), ts, atol=1e-6)

    def test_random_activations_with_ties_and_zeros(self):
        rng = np.random.default_rng(23)
        a = np.maximum(0, rng.normal(1.0, 1.5, (2, 70, 64))).astype(np.float32)
        a[0, :, :8] = np.round(a[0, :, :8])  # plateaus and ties
        self.check(a)

    def test_front_end_activations_of_a_network(self):
        torch.manual_seed(4)
        cfg = layer_config()
        model = PCNN(cfg, 3, "pcnn").eval()
        with torch.no_grad():
            steps = model.steps(torch.randn(2, cfg.min_frames + 128, cfg.input_bands))
        self.check(steps.numpy().astype(np.float32))


if __name__ == "__main__":
    unittest.main()


class ShippedModelActivations(unittest.TestCase):
    """Real activation vectors: the shipped network's front end on the real log-mel windows of
    resources/model/parity.json, through both landscape layers and GUDHI."""

    def test_torch_typescript_and_gudhi_agree_on_shipped_front_end_activations(self):
        from tests.reference import gudhi_superlevel_diagram, loop_landscapes
        from pcnn.exported import load_exported

        model_dir = REPO / "resources" / "model"
        if not (model_dir / "parity.json").exists():
            self.skipTest("resources/model has no parity.json yet (run `npm run train`)")
        m = json.loads((model_dir / "model.json").read_text())
        case = json.loads((model_dir / "parity.json").read_text())["cases"][1]
        model = load_exported(model_dir)[0]  # the member whose landscapes Betti shows
        mean = np.array(m["input"]["standardisation"]["mean"], np.float32)
        std = np.array(m["input"]["standardisation"]["std"], np.float32)
        raw = np.array(case["input"], np.float32).reshape(case["frames"], case["bands"])
        with torch.no_grad():
            steps = model.steps(torch.from_numpy((raw - mean) / std)[None]).numpy().astype(np.float32)
        cfg = layer_config()
        segments, ts = ts_landscapes(steps)
        ours = segment_landscapes(torch.from_numpy(steps), cfg.segment, cfg.segment_stride, cfg.landscape_k,
                                  cfg.landscape_points, cfg.landscape_lo, cfg.landscape_hi).numpy()
        np.testing.assert_allclose(ours.reshape(-1), ts, atol=1e-6)
        kp = cfg.landscape_k * cfg.landscape_points
        for s in range(segments):
            for c in range(steps.shape[2]):
                seq = steps[0, s * cfg.segment:(s + 1) * cfg.segment, c].astype(np.float64)
                ref = loop_landscapes(gudhi_superlevel_diagram(seq), cfg.landscape_k, cfg.landscape_points,
                                      cfg.landscape_lo, cfg.landscape_hi).reshape(-1)
                np.testing.assert_allclose(ours[0, s, c * kp:(c + 1) * kp], ref, atol=1e-5)

"""The network's shapes, the segment rule, and batch-norm folding (training-only normalisation)."""
from __future__ import annotations

import unittest

import torch

from pcnn.config import layer_config
from pcnn.model import PCNN, fold_batch_norm, window_probabilities


class Shapes(unittest.TestCase):
    def test_segments_follow_the_spec_and_trailing_steps_are_dropped(self):
        cfg = layer_config()
        model = PCNN(cfg, 5, "pcnn").eval()
        for frames, segments in ((cfg.min_frames, 1), (cfg.min_frames + 127, 1), (cfg.min_frames + 128, 2), (313, 2)):
            logits, emb = model(torch.randn(2, frames, cfg.bands))
            self.assertEqual(tuple(logits.shape), (2, segments, 5), f"{frames} frames")
            self.assertEqual(emb.shape[-1], cfg.head[-1])

    def test_too_short_window_is_refused(self):
        cfg = layer_config()
        with self.assertRaises(ValueError):
            PCNN(cfg, 5, "fcn")(torch.randn(1, cfg.min_frames - 1, cfg.bands))

    def test_fcn_has_no_landscape_branch(self):
        cfg = layer_config()
        pcnn, fcn = PCNN(cfg, 5, "pcnn"), PCNN(cfg, 5, "fcn")
        self.assertEqual(pcnn.head[0].in_features, cfg.conv_branch + cfg.landscape_width)
        self.assertEqual(fcn.head[0].in_features, cfg.conv_branch)
        self.assertIsNone(fcn.segment_features(torch.randn(1, cfg.min_frames, cfg.bands))[1])


class BatchNormFolding(unittest.TestCase):
    def test_folded_network_computes_the_same_function_in_eval_mode(self):
        torch.manual_seed(0)
        cfg = layer_config()
        for arch in ("pcnn", "fcn"):
            model = PCNN(cfg, 7, arch, batch_norm=True)
            # Give the running statistics and affine parameters non-trivial values.
            model.train()
            with torch.no_grad():
                for _ in range(3):
                    model(torch.randn(8, cfg.min_frames + 128, cfg.bands) * 2 + 0.5)
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm1d):
                        m.weight.uniform_(0.5, 1.5)
                        m.bias.uniform_(-0.3, 0.3)
            model.eval()
            folded = fold_batch_norm(model)
            self.assertFalse(folded.batch_norm)
            x = torch.randn(3, 300, cfg.bands)
            with torch.no_grad():
                a, ea = model(x)
                b, eb = folded(x)
            torch.testing.assert_close(window_probabilities(a), window_probabilities(b), atol=1e-5, rtol=1e-4)
            torch.testing.assert_close(ea, eb, atol=1e-4, rtol=1e-4)


if __name__ == "__main__":
    unittest.main()

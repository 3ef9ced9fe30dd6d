"""The network's shapes, the segment rule, and batch-norm folding (training-only normalisation)."""
from __future__ import annotations

import unittest
from dataclasses import replace

import torch

from pcnn.chroma import KEY_PROFILES, chroma_profiles, init_key_profiles, rotations, segment_chroma
from pcnn.config import layer_config
from pcnn.model import PCNN, fold_batch_norm, window_probabilities
from pcnn.rhythm import EPS, segment_autocorrelation


class Shapes(unittest.TestCase):
    def test_segments_follow_the_spec_and_trailing_steps_are_dropped(self):
        cfg = layer_config()
        model = PCNN(cfg, 5, "pcnn").eval()
        for frames, segments in ((cfg.min_frames, 1), (cfg.min_frames + 127, 1), (cfg.min_frames + 128, 2), (313, 2)):
            logits, emb = model(torch.randn(2, frames, cfg.input_bands))
            self.assertEqual(tuple(logits.shape), (2, segments, 5), f"{frames} frames")
            self.assertEqual(emb.shape[-1], cfg.head[-1])

    def test_too_short_window_is_refused(self):
        cfg = layer_config()
        with self.assertRaises(ValueError):
            PCNN(cfg, 5, "fcn")(torch.randn(1, cfg.min_frames - 1, cfg.input_bands))

    def test_fcn_has_no_landscape_branch(self):
        cfg = layer_config()
        pcnn, fcn = PCNN(cfg, 5, "pcnn"), PCNN(cfg, 5, "fcn")
        self.assertEqual(pcnn.head[0].in_features, cfg.conv_branch + cfg.landscape_width + cfg.rhythm_width + cfg.chroma_profiles)
        self.assertEqual(fcn.head[0].in_features, cfg.conv_branch + cfg.rhythm_width + cfg.chroma_profiles)
        self.assertIsNone(fcn.segment_features(torch.randn(1, cfg.min_frames, cfg.input_bands))[1])

    def test_rhythm_lags_and_chroma_profiles_zero_is_the_papers_network(self):
        cfg = replace(layer_config(), rhythm_lags=0, chroma_profiles=0)
        model = PCNN(cfg, 5, "pcnn")
        self.assertEqual(model.head[0].in_features, cfg.conv_branch + cfg.landscape_width)
        features = model.segment_features(torch.randn(1, cfg.min_frames, cfg.input_bands))
        self.assertIsNone(features[2])
        self.assertIsNone(features[3])

    def test_the_input_holds_the_mel_bands_then_the_chroma_bins(self):
        cfg = layer_config()
        self.assertEqual((cfg.bands, cfg.chroma_bins, cfg.input_bands), (128, 12, 140))
        model = PCNN(cfg, 5, "pcnn")
        self.assertEqual(model.head[0].in_features, cfg.conv_branch + cfg.landscape_width + cfg.rhythm_width + cfg.chroma_profiles)
        with self.assertRaises(ValueError):
            model(torch.randn(1, cfg.min_frames, cfg.bands))  # log-mel alone: the chroma is missing


class ChromaBranch(unittest.TestCase):
    def test_rotation_r_reads_the_chroma_r_bins_up(self):
        idx = rotations(12)
        m = torch.arange(12.0)
        self.assertEqual(m[idx[0]].tolist(), list(range(12)))
        self.assertEqual(m[idx[3]].tolist(), [(c + 3) % 12 for c in range(12)])

    def test_segment_chroma_is_each_segments_mean_centred_over_the_bins(self):
        torch.manual_seed(1)
        c = torch.randn(2, 3 * 128 + 9, 12)
        m = segment_chroma(c, 3, 128)
        self.assertEqual(tuple(m.shape), (2, 3, 12))
        want = c[1, 128:256].mean(dim=0)
        torch.testing.assert_close(m[1, 1], want - want.mean())
        torch.testing.assert_close(m.sum(dim=-1), torch.zeros(2, 3), atol=1e-5, rtol=0)

    def test_a_transposed_piece_scores_the_same_and_a_changed_mode_does_not(self):
        torch.manual_seed(2)
        cfg = layer_config()
        model = PCNN(cfg, 5, "pcnn").eval()
        x = torch.randn(1, cfg.min_frames + 128, cfg.input_bands)
        transposed = x.clone()
        transposed[..., cfg.bands:] = torch.roll(x[..., cfg.bands:], shifts=5, dims=-1)  # every frame up a fourth
        a, b = model.segment_features(x)[3], model.segment_features(transposed)[3]
        self.assertEqual(tuple(a.shape), (1, 2, cfg.chroma_profiles))
        torch.testing.assert_close(a, b)
        other = x.clone()
        other[..., cfg.bands + 4] -= 2.0  # a major third lowered throughout: another piece
        self.assertGreater(float((model.segment_features(other)[3] - a).abs().max()), 1e-3)

    def test_window_context_matches_every_segment_against_the_whole_windows_chroma(self):
        torch.manual_seed(3)
        window = replace(layer_config(), chroma_context="window")
        segment = replace(window, chroma_context="segment")
        model = PCNN(window, 5, "pcnn").eval()
        per_segment = PCNN(segment, 5, "pcnn").eval()
        per_segment.load_state_dict(model.state_dict())
        x = torch.randn(1, 3 * 128 + 7, window.input_bands)
        a = model.segment_features(x)[3]
        self.assertEqual(tuple(a.shape), (1, 3, window.chroma_profiles))
        torch.testing.assert_close(a[0, 0], a[0, 2])  # one key for the window
        m = segment_chroma(x[..., window.bands:], 3, 128).mean(dim=1, keepdim=True)
        torch.testing.assert_close(a, chroma_profiles(m, model.chroma.weight, model.chroma.bias).expand(1, 3, -1))
        # The segment context hears each segment alone: a change confined to the last segment moves
        # only that segment's values there, and every segment's in the window context.
        other = x.clone()
        other[:, 256:384, window.bands + 4] += 3.0
        seg_a, seg_b = per_segment.segment_features(x)[3], per_segment.segment_features(other)[3]
        torch.testing.assert_close(seg_a[0, :2], seg_b[0, :2])
        self.assertGreater(float((model.segment_features(other)[3][0, 0] - a[0, 0]).abs().max()), 1e-3)
        with self.assertRaises(ValueError):
            PCNN(replace(window, chroma_context="clip"), 5, "pcnn")

    def test_key_profile_start_tells_a_major_triad_from_a_minor_one_in_any_key(self):
        layer = torch.nn.Linear(12, 4)
        init_key_profiles(layer)
        major = torch.tensor(KEY_PROFILES["major"])
        torch.testing.assert_close(layer.weight[0].sum(), torch.tensor(0.0), atol=1e-6, rtol=0)
        torch.testing.assert_close(layer.weight[0].norm(), torch.tensor(1.0))
        self.assertGreater(float(torch.corrcoef(torch.stack([layer.weight[0], major]))[0, 1]), 0.999)
        for root in (0, 5, 9):
            for third, more_major in ((4, True), (3, False)):
                m = torch.zeros(1, 1, 12)
                m[0, 0, [root, (root + third) % 12, (root + 7) % 12]] = 1.0
                out = chroma_profiles(m - m.mean(), layer.weight[:2], layer.bias[:2])[0, 0]
                self.assertEqual(bool(out[0] > out[1]), more_major, f"root {root}, third {third}: {out.tolist()}")

    def test_the_best_key_takes_the_gradient(self):
        m = torch.zeros(1, 1, 12)
        m[0, 0, [0, 4, 7]] = 1.0  # a C major triad
        m = (m - m.mean()).requires_grad_(True)
        w = torch.zeros(1, 12)
        w[0, [2, 6, 9]] = 1.0  # a D major profile: matches the triad read 2 bins down, i.e. rotation 10
        out = chroma_profiles(m, w, torch.zeros(1))
        out.sum().backward()
        self.assertGreater(float(out), 0.0)
        self.assertEqual(sorted(torch.nonzero(m.grad[0, 0]).flatten().tolist()), [0, 4, 7])


class RhythmBranch(unittest.TestCase):
    def test_equals_the_products_of_shifted_copies(self):
        torch.manual_seed(3)
        frames = torch.relu(torch.randn(2, 4, 3 * 128))
        r = segment_autocorrelation(frames, 128, 10)
        self.assertEqual(tuple(r.shape), (2, 3, 4 * 10))
        for b, s, c, lag in [(0, 0, 0, 1), (1, 2, 3, 10), (0, 1, 2, 5)]:
            x = frames[b, c, s * 128:(s + 1) * 128].double()
            x = x - x.mean()
            want = (x[:-lag] * x[lag:]).sum() / ((x * x).sum() + EPS)
            self.assertAlmostEqual(float(r[b, s, c * 10 + lag - 1]), float(want), places=5)

    def test_a_pulse_train_peaks_at_its_period(self):
        frames = torch.zeros(1, 1, 128)
        frames[0, 0, ::12] = 1.0  # an onset every 12 frames (125 bpm at 32 ms frames)
        r = segment_autocorrelation(frames, 128, 30)[0, 0]
        self.assertEqual(int(torch.argmax(r)) + 1, 12)
        self.assertGreater(float(r[23]), float(r[17]))  # the second period beats the half period

    def test_is_gain_invariant_and_zero_for_a_silent_filter(self):
        torch.manual_seed(4)
        frames = torch.relu(torch.randn(1, 2, 128)) * 10
        frames[0, 1] = 0
        r = segment_autocorrelation(frames, 128, 8)
        r2 = segment_autocorrelation(frames * 3, 128, 8)
        self.assertTrue(torch.allclose(r[0, 0, :8], r2[0, 0, :8], atol=1e-3))
        self.assertTrue(torch.all(r[0, 0, 8:] == 0))

    def test_gradients_flow_to_the_front_end(self):
        frames = torch.relu(torch.randn(1, 3, 256)).requires_grad_()
        segment_autocorrelation(frames, 128, 16).sum().backward()
        self.assertTrue(torch.isfinite(frames.grad).all())
        self.assertGreater(float(frames.grad.abs().sum()), 0.0)


class FeatureDropout(unittest.TestCase):
    def test_drops_branch_features_in_training_only(self):
        torch.manual_seed(0)
        cfg = layer_config()
        plain = PCNN(cfg, 7, "fcn")
        dropped = PCNN(cfg, 7, "fcn", feature_dropout=0.5)
        dropped.load_state_dict(plain.state_dict())
        x = torch.randn(2, cfg.min_frames, cfg.input_bands)
        plain.eval(), dropped.eval()
        torch.testing.assert_close(dropped(x)[0], plain(x)[0])  # identity at inference: nothing to export
        dropped.train()
        seen = []
        dropped.head[0].register_forward_hook(lambda _m, inputs, _out: seen.append(inputs[0]))
        dropped(x)
        zeros = float((seen[0] == 0).float().mean())
        self.assertGreater(zeros, 0.4)  # about half the concatenated features, plus the ReLU's zeros

    def test_a_rate_outside_zero_to_one_is_refused(self):
        with self.assertRaisesRegex(ValueError, "feature dropout"):
            PCNN(layer_config(), 7, "fcn", feature_dropout=1.0)


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
                    model(torch.randn(8, cfg.min_frames + 128, cfg.input_bands) * 2 + 0.5)
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm1d):
                        m.weight.uniform_(0.5, 1.5)
                        m.bias.uniform_(-0.3, 0.3)
            model.eval()
            folded = fold_batch_norm(model)
            self.assertFalse(folded.batch_norm)
            x = torch.randn(3, 300, cfg.input_bands)
            with torch.no_grad():
                a, ea = model(x)
                b, eb = folded(x)
            torch.testing.assert_close(window_probabilities(a), window_probabilities(b), atol=1e-5, rtol=1e-4)
            torch.testing.assert_close(ea, eb, atol=1e-4, rtol=1e-4)


if __name__ == "__main__":
    unittest.main()

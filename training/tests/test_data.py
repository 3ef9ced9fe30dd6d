"""Masked labels, the masked loss, the short-input rule and label-respecting mixing."""
from __future__ import annotations

import unittest

import numpy as np
import torch

from pcnn.data import (Augment, Dataset, TrainBatches, check_exclusive, fit_to_min_frames, labels_and_mask,
                       standardisation, to_logmel, to_power)
from pcnn.train import masked_bce, masked_bce_logits

TAGS = ["piano", "drums", "slow", "fast", "solo", "speech"]
CATS = ["instrument", "instrument", "tempo", "tempo", "texture", "vocal"]


def row(tags: str, labelled: str) -> dict:
    return {"path": "x.ogg", "tags": tags, "labelled_categories": labelled}


class LabelsAndMask(unittest.TestCase):
    def test_absent_tag_is_negative_only_in_labelled_categories(self):
        y, m = labels_and_mask([row("piano;slow", "instrument;tempo")], TAGS, CATS)
        np.testing.assert_array_equal(y[0], [1, 0, 1, 0, 0, 0])
        np.testing.assert_array_equal(m[0], [1, 1, 1, 1, 0, 0])

    def test_a_listed_tag_is_known_even_if_its_category_is_not_labelled(self):
        y, m = labels_and_mask([row("speech", "instrument")], TAGS, CATS)
        self.assertEqual(m[0, TAGS.index("speech")], 1)
        self.assertEqual(y[0, TAGS.index("speech")], 1)

    def test_unknown_tag_is_an_error(self):
        with self.assertRaises(ValueError):
            labels_and_mask([row("kazoo", "instrument")], TAGS, CATS)


class ExclusiveCategories(unittest.TestCase):
    def dataset(self, rows: list[dict]) -> Dataset:
        y, m = labels_and_mask(rows, TAGS, CATS)
        return Dataset(paths=[f"clip{i}.ogg" for i in range(len(rows))], split=np.array(["train"] * len(rows)),
                       source=np.array(["s"] * len(rows)), y=y, mask=m, features=[], tags=TAGS, categories=CATS,
                       spec_version="x", manifest_hash="x")

    def test_labels_with_one_tag_per_exclusive_category_pass(self):
        check_exclusive(self.dataset([row("piano;drums;slow;solo", "instrument;tempo;texture"), row("fast", "tempo")]))

    def test_a_clip_with_two_tempo_tags_is_refused_by_name(self):
        with self.assertRaisesRegex(ValueError, r"'tempo'.*clip1\.ogg has slow, fast"):
            check_exclusive(self.dataset([row("slow", "tempo"), row("slow;fast", "tempo")]))


class MaskedLoss(unittest.TestCase):
    def test_masked_labels_contribute_no_loss_and_no_gradient(self):
        logits = torch.tensor([[3.0, -2.0, 0.5]], requires_grad=True)
        y = torch.tensor([[1.0, 1.0, 0.0]])
        mask = torch.tensor([[1.0, 0.0, 1.0]])
        loss = masked_bce_logits(logits, y, mask)
        loss.backward()
        self.assertEqual(float(logits.grad[0, 1]), 0.0)
        expected = (torch.nn.functional.softplus(torch.tensor(-3.0)) + torch.nn.functional.softplus(torch.tensor(0.5))) / 2
        self.assertAlmostEqual(float(loss), float(expected), places=6)

    def test_probability_and_logit_forms_agree(self):
        logits = torch.randn(4, 6)
        y = (torch.rand(4, 6) > 0.5).float()
        mask = (torch.rand(4, 6) > 0.3).float()
        a = masked_bce(torch.sigmoid(logits), y, mask)
        b = masked_bce_logits(logits, y, mask)
        self.assertAlmostEqual(float(a), float(b), places=5)


class ShortInputs(unittest.TestCase):
    def test_short_clip_is_looped_to_min_frames(self):
        f = np.arange(3 * 2, dtype=np.float32).reshape(3, 2)
        out = fit_to_min_frames(f, 7)
        self.assertEqual(out.shape, (7, 2))
        np.testing.assert_array_equal(out[:, 0], [0, 2, 4, 0, 2, 4, 0])

    def test_long_clip_is_untouched(self):
        f = np.zeros((10, 2), np.float32)
        self.assertIs(fit_to_min_frames(f, 7), f)


class Mixing(unittest.TestCase):
    def dataset(self) -> Dataset:
        rows = [row("piano;slow;solo", "instrument;tempo;texture;vocal"),
                row("drums;fast;solo", "instrument;tempo;texture;vocal"),
                row("speech", "vocal")]
        y, m = labels_and_mask(rows, TAGS, CATS)
        rng = np.random.default_rng(0)
        feats = [rng.uniform(0, 3, (20, 4)).astype(np.float32) for _ in rows]
        return Dataset(paths=["a", "b", "c"], split=np.array(["train"] * 3), source=np.array(["s"] * 3), y=y, mask=m,
                       features=feats, tags=TAGS, categories=CATS, spec_version="t", manifest_hash="h")

    def test_mix_unites_instruments_and_masks_piece_level_categories(self):
        ds = self.dataset()
        mean, std = np.zeros(4, np.float32), np.ones(4, np.float32)
        b = TrainBatches(ds, np.array([0, 1]), 8, mean, std, 10000.0, Augment(mix_probability=1.0, gain_db=0.0),
                         np.random.default_rng(1))
        for _ in range(20):
            _, y, m = b.make(np.array([0]))
            partner_is_1 = y[0, TAGS.index("drums")] == 1
            self.assertEqual(y[0, TAGS.index("piano")], 1)
            # tempo and texture describe the whole piece: unknown in any mix
            for t in ("slow", "fast", "solo"):
                self.assertEqual(m[0, TAGS.index(t)], 0)
            if partner_is_1:
                np.testing.assert_array_equal(m[0, :2], [1, 1])
            else:  # mixed with itself: drums absent from both labelled rows -> known negative
                self.assertEqual(m[0, TAGS.index("drums")], 1)
                self.assertEqual(y[0, TAGS.index("drums")], 0)

    def test_mixing_with_a_row_that_does_not_label_instruments_leaves_absent_instruments_unknown(self):
        ds = self.dataset()
        mean, std = np.zeros(4, np.float32), np.ones(4, np.float32)
        b = TrainBatches(ds, np.array([0, 2]), 8, mean, std, 10000.0, Augment(mix_probability=1.0, gain_db=0.0),
                         np.random.default_rng(2))
        seen = False
        for _ in range(30):
            _, y, m = b.make(np.array([0]))
            if y[0, TAGS.index("speech")] == 1:  # partner was the speech row
                seen = True
                self.assertEqual(m[0, TAGS.index("drums")], 0)
                self.assertEqual(m[0, TAGS.index("piano")], 1)
        self.assertTrue(seen)

    def test_power_round_trip_is_exact_enough(self):
        x = np.random.default_rng(3).uniform(0, 4, (5, 4)).astype(np.float32)
        np.testing.assert_allclose(to_logmel(to_power(x, 10000.0), 10000.0), x, atol=1e-4)


class Standardisation(unittest.TestCase):
    def test_mel_bands_get_their_own_stats_and_the_chroma_bins_share_pooled_ones(self):
        rng = np.random.default_rng(6)
        # 3 "mel" columns, then 4 "chroma" columns whose means differ (a training set in few keys).
        clips = [np.concatenate([rng.normal(k, 1 + k, (50, 3)), rng.normal([0, 1, 2, 3], 1, (50, 4))], axis=1).astype(np.float32)
                 for k in range(3)]
        mean, std = standardisation(clips, pooled_from=3)
        stacked = np.concatenate(clips)
        np.testing.assert_allclose(mean[:3], stacked[:, :3].mean(0), rtol=1e-5)
        np.testing.assert_allclose(std[:3], stacked[:, :3].std(0), rtol=1e-4)
        np.testing.assert_allclose(mean[3:], np.full(4, stacked[:, 3:].mean()), rtol=1e-5)
        np.testing.assert_allclose(std[3:], np.full(4, stacked[:, 3:].std()), rtol=1e-4)
        plain_mean, _ = standardisation(clips)
        self.assertGreater(float(np.ptp(plain_mean[3:])), 2.5, "without pooling each column has its own mean")


class SpectrogramMasks(unittest.TestCase):
    def batches(self, augment: Augment, seed: int = 4) -> TrainBatches:
        ds = Mixing().dataset()
        # Standardised features far from 0, so a masked cell (set to 0) is unmistakable.
        mean, std = np.full(4, -10.0, np.float32), np.ones(4, np.float32)
        return TrainBatches(ds, np.array([0, 1]), 16, mean, std, 10000.0, augment, np.random.default_rng(seed))

    def test_masks_zero_whole_band_and_frame_ranges_of_bounded_width_and_keep_the_labels(self):
        b = self.batches(Augment(gain_db=0.0, freq_masks=1, time_masks=1, mask_bands=2, mask_frames=5))
        widths_seen = set()
        for _ in range(50):
            x, y, m = b.make(np.array([0, 1]))
            np.testing.assert_array_equal(y, b.ds.y[[0, 1]])
            np.testing.assert_array_equal(m, b.ds.mask[[0, 1]])
            for crop in x:
                zero = crop == 0.0
                bands = np.flatnonzero(zero.all(axis=0))
                frames = np.flatnonzero(zero.all(axis=1))
                # Every zero lies in a fully zeroed band or a fully zeroed frame.
                covered = np.zeros_like(zero)
                covered[:, bands] = True
                covered[frames, :] = True
                self.assertTrue((zero <= covered).all())
                self.assertLessEqual(len(bands), 2)
                self.assertLessEqual(len(frames), 5)
                if len(frames) > 0:
                    self.assertEqual(frames[-1] - frames[0] + 1, len(frames), "one contiguous frame range")
                widths_seen.add(len(frames))
        self.assertGreater(len(widths_seen), 2, "widths are drawn, not fixed")

    def test_band_masks_stay_in_the_mel_bands(self):
        b = self.batches(Augment(gain_db=0.0, freq_masks=2, time_masks=0, mask_bands=2))
        b.mel_bands = 2  # columns 2 and 3 stand for the chroma
        for _ in range(50):
            x, _, _ = b.make(np.array([0, 1]))
            self.assertFalse((x[..., 2:] == 0.0).any())

    def test_without_masks_a_batch_is_what_it_was_before_masks_existed(self):
        plain = self.batches(Augment(gain_db=3.0)).make(np.array([0, 1]))[0]
        zero_masks = self.batches(Augment(gain_db=3.0, freq_masks=0, time_masks=0, mask_bands=8)).make(np.array([0, 1]))[0]
        np.testing.assert_array_equal(plain, zero_masks)
        self.assertFalse((plain == 0.0).any())


class TrainingSentence(unittest.TestCase):
    def test_the_model_card_names_spectrogram_masks_only_when_they_were_used(self):
        from dataclasses import asdict

        from export import training_sentence
        base = {"epochs": 60, "patience": 10, "lr": 1e-3, "weight_decay": 1e-4, "batch": 16, "crop_segments": 2,
                "batch_norm": True}
        # Runs from before the masks existed have no mask fields in their settings.
        plain = training_sentence({**base, "augment": {"mix_probability": 0.0, "gain_db": 6.0}})
        self.assertIn("gain ±6 dB per clip, no mixing of clips.", plain)
        self.assertNotIn("SpecAugment", plain)
        masked = training_sentence({**base, "augment": asdict(Augment(freq_masks=2, time_masks=1))})
        self.assertIn("2 range(s) of up to 16 mel bands and 1 of up to 24 frames set to the training mean", masked)

    def test_the_model_card_names_a_key_profile_start_only_when_it_was_used(self):
        from export import training_sentence
        base = {"epochs": 60, "patience": 10, "lr": 1e-3, "weight_decay": 1e-4, "batch": 16, "crop_segments": 2,
                "batch_norm": True, "augment": {"mix_probability": 0.0, "gain_db": 6.0}}
        self.assertNotIn("key profiles", training_sentence(base))  # runs from before the option: no such field
        self.assertNotIn("key profiles", training_sentence({**base, "chroma_init": "random"}))
        self.assertIn("started as the Krumhansl–Kessler major and minor key profiles",
                      training_sentence({**base, "chroma_init": "key-profiles"}))


if __name__ == "__main__":
    unittest.main()

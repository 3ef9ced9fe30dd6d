"""Masked metrics and thresholds against hand-computed values."""
from __future__ import annotations

import unittest

import numpy as np

from pcnn.metrics import average_precision, best_f1_thresholds, evaluate, precision_at, roc_auc, within_source_roc_auc


class RocAuc(unittest.TestCase):
    def test_counts_pairs_ranked_correctly_with_ties_as_half(self):
        y = np.array([1, 0, 1, 0])
        s = np.array([0.9, 0.8, 0.4, 0.4])
        # pairs (pos, neg): (0.9,0.8)=1 (0.9,0.4)=1 (0.4,0.8)=0 (0.4,0.4)=0.5 -> 2.5 / 4
        self.assertAlmostEqual(roc_auc(y, s), 0.625)

    def test_is_nan_without_both_classes(self):
        self.assertTrue(np.isnan(roc_auc(np.array([1, 1]), np.array([0.1, 0.2]))))


class AveragePrecision(unittest.TestCase):
    def test_matches_the_step_definition(self):
        y = np.array([1, 0, 1, 0, 1])
        s = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
        # precision at each positive: 1/1, 2/3, 3/5; recall steps 1/3 each
        self.assertAlmostEqual(average_precision(y, s), (1 + 2 / 3 + 3 / 5) / 3)

    def test_tied_scores_form_one_threshold(self):
        y = np.array([1, 0, 1])
        s = np.array([0.5, 0.5, 0.1])
        # threshold 0.5: P = 1/2, R = 1/2; threshold 0.1: P = 2/3, R = 1
        self.assertAlmostEqual(average_precision(y, s), 0.5 * 0.5 + 0.5 * 2 / 3)


class Masking(unittest.TestCase):
    def test_unknown_labels_do_not_count(self):
        y = np.array([[1], [0], [0]], np.float32)
        s = np.array([[0.2], [0.9], [0.1]], np.float32)
        # Row 1 would make the tag look badly ranked, but its label is unknown.
        full = evaluate(y, s, np.ones_like(y))
        masked = evaluate(y, s, np.array([[1], [0], [1]], np.float32))
        self.assertAlmostEqual(full["macro_roc_auc"], 0.5)
        self.assertAlmostEqual(masked["macro_roc_auc"], 1.0)

    def test_macro_skips_tags_with_one_class_and_says_so(self):
        y = np.array([[1, 1], [0, 1]], np.float32)
        s = np.array([[0.9, 0.5], [0.1, 0.4]], np.float32)
        ev = evaluate(y, s, np.ones_like(y))
        self.assertEqual(ev["tags_scored"], 1)
        self.assertAlmostEqual(ev["macro_roc_auc"], 1.0)


class Thresholds(unittest.TestCase):
    def test_threshold_separates_perfectly_ranked_scores(self):
        y = np.array([[1], [1], [0], [0]], np.float32)
        s = np.array([[0.9], [0.7], [0.3], [0.2]], np.float32)
        th = best_f1_thresholds(y, s, np.ones_like(y))
        self.assertAlmostEqual(float(th[0]), 0.5)

    def test_tag_without_positives_keeps_the_default(self):
        y = np.zeros((3, 1), np.float32)
        s = np.array([[0.9], [0.1], [0.3]], np.float32)
        self.assertEqual(float(best_f1_thresholds(y, s, np.ones_like(y), default=0.5)[0]), 0.5)

    def test_the_floor_keeps_an_uninformative_tag_from_a_threshold_that_flags_everything(self):
        # Positives score no higher than negatives: F1 is best flagging every row (a cut at
        # 0.0095), which is what a tag the network cannot tell would ship with. No cut between
        # distinct scores lies above the floor of 0.2 (the other one is at 0.155), so the floor
        # itself is the threshold: it flags the two rows scoring 0.3.
        y = np.array([[1], [0], [1], [0], [1]], np.float32)
        s = np.array([[0.3], [0.3], [0.01], [0.01], [0.01]], np.float32)
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y))[0]), 0.0095, places=6)
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y), floor=0.2)[0]), 0.2, places=6)

    def test_the_best_cut_above_the_floor_wins_over_a_better_one_below_it(self):
        y = np.array([[1], [0], [1], [1]], np.float32)
        s = np.array([[0.9], [0.5], [0.1], [0.1]], np.float32)
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y))[0]), 0.0995, places=6)  # F1 0.86
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y), floor=0.2)[0]), 0.7, places=6)  # F1 0.5, not 0.3's 0.4

    def test_a_threshold_already_above_the_floor_is_unchanged(self):
        y = np.array([[1], [1], [0], [0]], np.float32)
        s = np.array([[0.9], [0.7], [0.3], [0.2]], np.float32)
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y), floor=0.2)[0]), 0.5)

    def test_every_score_below_the_floor_gives_the_floor(self):
        y = np.array([[1], [0]], np.float32)
        s = np.array([[0.1], [0.05]], np.float32)
        self.assertAlmostEqual(float(best_f1_thresholds(y, s, np.ones_like(y), floor=0.2)[0]), 0.2)


class PrecisionAt(unittest.TestCase):
    def test_precision_counts_the_known_rows_at_or_above_the_threshold(self):
        y = np.array([[1, 0], [0, 0], [1, 1], [0, 1]], np.float32)
        s = np.array([[0.9, 0.1], [0.6, 0.2], [0.5, 0.3], [0.4, 0.9]], np.float32)
        mask = np.array([[1, 1], [1, 1], [1, 1], [0, 1]], np.float32)  # row 3 unknown for tag 0
        p = precision_at(y, s, mask, np.array([0.5, 0.95]))
        self.assertAlmostEqual(float(p[0]), 2 / 3)  # rows 0, 1, 2 flagged; row 3 is unknown
        self.assertTrue(np.isnan(p[1]))  # nothing reaches 0.95


class WithinSourceRocAuc(unittest.TestCase):
    def test_a_tag_that_only_tells_sources_apart_is_unmeasurable(self):
        # Every positive comes from source a, every negative from b: pooled ROC-AUC 1, within nothing.
        y = np.array([[1], [1], [0], [0]], np.float32)
        s = np.array([[0.9], [0.8], [0.1], [0.2]], np.float32)
        src = np.array(["a", "a", "b", "b"])
        self.assertEqual(roc_auc(y[:, 0], s[:, 0]), 1.0)
        self.assertTrue(np.isnan(within_source_roc_auc(y, s, np.ones_like(y), src)[0]))

    def test_pairs_are_pooled_over_sources_by_count_and_masked_rows_left_out(self):
        # Source a: 1 positive x 2 negatives, both pairs right. Source b: 1 x 1, wrong. Pooled 2 / 3.
        y = np.array([[1], [0], [0], [1], [0], [0]], np.float32)
        s = np.array([[0.9], [0.5], [0.4], [0.2], [0.3], [0.99]], np.float32)
        src = np.array(["a", "a", "a", "b", "b", "b"])
        mask = np.array([[1], [1], [1], [1], [1], [0]], np.float32)  # the last row is unknown
        self.assertAlmostEqual(float(within_source_roc_auc(y, s, mask, src)[0]), 2 / 3)

    def test_ties_count_one_half(self):
        y = np.array([[1], [0]], np.float32)
        s = np.array([[0.5], [0.5]], np.float32)
        self.assertAlmostEqual(float(within_source_roc_auc(y, s, np.ones_like(y), np.array(["a", "a"]))[0]), 0.5)


if __name__ == "__main__":
    unittest.main()

"""The torch landscape layer against GUDHI and the definition, forward and backward."""
from __future__ import annotations

import unittest

import numpy as np
import torch

from pcnn.landscape import diagram, landscapes, segment_landscapes
from tests.reference import gudhi_superlevel_diagram, loop_landscapes

K, POINTS, LO, HI = 5, 10, 0.0, 5.0


def nonzero_pairs(pairs, eps=1e-12):
    return sorted((round(b, 9), round(d, 9)) for b, d in pairs if b - d > eps)


def random_sequences(rng: np.random.Generator, count: int, n: int = 32) -> np.ndarray:
    kinds = [
        lambda: rng.uniform(0, 5, n),  # dense distinct values
        lambda: np.maximum(0, rng.normal(1.0, 1.5, n)),  # ReLU-like, many zeros (ties at 0)
        lambda: rng.integers(0, 4, n).astype(np.float64),  # heavy ties
        lambda: np.cumsum(rng.normal(0, 0.7, n)) + 2.5,  # smooth walks, values outside [0, 5]
    ]
    return np.stack([kinds[i % len(kinds)]() for i in range(count)])


class DiagramMatchesGudhi(unittest.TestCase):
    def test_nonzero_pairs_equal_gudhi_on_random_and_tied_sequences(self):
        rng = np.random.default_rng(7)
        xs = random_sequences(rng, 400)
        birth, death = diagram(torch.tensor(xs, dtype=torch.float64))
        for row, x in enumerate(xs):
            ours = nonzero_pairs(zip(birth[row].tolist(), death[row].tolist()))
            ref = nonzero_pairs(gudhi_superlevel_diagram(x))
            self.assertEqual(len(ours), len(ref), f"sequence {row}: {x.tolist()}")
            np.testing.assert_allclose(np.array(ours), np.array(ref).reshape(-1, 2), atol=1e-9)

    def test_every_death_is_at_most_its_birth_and_essential_dies_at_the_minimum(self):
        x = torch.tensor([[0.5, 3.0, 1.0, 4.0, 0.2, 2.0]], dtype=torch.float64)
        birth, death = diagram(x)
        self.assertTrue(bool((death <= birth).all()))
        pairs = nonzero_pairs(zip(birth[0].tolist(), death[0].tolist()))
        self.assertEqual(pairs, [(2.0, 0.2), (3.0, 1.0), (4.0, 0.2)])


class LandscapesMatchDefinition(unittest.TestCase):
    def test_landscapes_equal_gudhi_diagram_landscapes_to_1e_6(self):
        rng = np.random.default_rng(11)
        xs = random_sequences(rng, 300)
        ours = landscapes(torch.tensor(xs, dtype=torch.float64), K, POINTS, LO, HI).numpy()
        for row, x in enumerate(xs):
            ref = loop_landscapes(gudhi_superlevel_diagram(x), K, POINTS, LO, HI)
            np.testing.assert_allclose(ours[row], ref, atol=1e-6, err_msg=f"sequence {row}")

    def test_float32_landscapes_agree_with_float64(self):
        rng = np.random.default_rng(3)
        xs = random_sequences(rng, 200)
        a = landscapes(torch.tensor(xs, dtype=torch.float32), K, POINTS, LO, HI).double()
        b = landscapes(torch.tensor(xs, dtype=torch.float64), K, POINTS, LO, HI)
        self.assertLess(float((a - b).abs().max()), 1e-5)

    def test_segment_layout_is_channel_major(self):
        rng = np.random.default_rng(5)
        steps = torch.tensor(rng.uniform(0, 5, (2, 70, 3)), dtype=torch.float64)  # T=70 -> 2 segments
        out = segment_landscapes(steps, 32, 32, K, POINTS, LO, HI)
        self.assertEqual(tuple(out.shape), (2, 2, 3 * K * POINTS))
        for b in range(2):
            for s in range(2):
                for c in range(3):
                    seq = steps[b, s * 32:(s + 1) * 32, c].numpy()
                    ref = loop_landscapes(gudhi_superlevel_diagram(seq), K, POINTS, LO, HI).reshape(-1)
                    got = out[b, s, c * K * POINTS:(c + 1) * K * POINTS].numpy()
                    np.testing.assert_allclose(got, ref, atol=1e-9)


class LandscapeGradients(unittest.TestCase):
    def test_gradient_matches_finite_differences_on_distinct_values(self):
        rng = np.random.default_rng(19)
        # Distinct random values keep every selection (and every tent kink) away from a nudge of 1e-6.
        x = torch.tensor(rng.uniform(0.0, 5.0, (4, 32)), dtype=torch.float64)
        x.requires_grad_(True)
        w = torch.tensor(rng.normal(size=(K, POINTS)), dtype=torch.float64)

        def f(v):
            return (landscapes(v, K, POINTS, LO, HI) * w).sum()

        self.assertTrue(torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-6))

    def test_gradient_flows_only_into_births_and_deaths(self):
        x = torch.tensor([[0.5, 3.0, 1.0, 4.0, 0.2, 2.0]], dtype=torch.float64, requires_grad=True)
        landscapes(x, K, POINTS, LO, HI).sum().backward()
        touched = set(torch.nonzero(x.grad[0]).flatten().tolist())
        self.assertTrue(touched <= {1, 2, 3, 4, 5})  # 0.5 is neither a peak nor a saddle
        self.assertIn(3, touched)


if __name__ == "__main__":
    unittest.main()

"""The training loop's parts that are not the network: the moving average of the weights."""
from __future__ import annotations

import unittest

import torch

from pcnn.train import WeightAverage


def small_net() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 1))


class WeightAverageTests(unittest.TestCase):
    def test_starts_as_a_copy_and_leaves_the_trained_model_alone(self):
        net = small_net()
        avg = WeightAverage(net, 0.9)
        for a, b in zip(net.state_dict().values(), avg.model.state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        with torch.no_grad():
            net[0].weight.add_(1.0)
        self.assertFalse(torch.equal(net[0].weight, avg.model[0].weight))
        self.assertFalse(any(p.requires_grad for p in avg.model.parameters()))
        self.assertTrue(all(p.requires_grad for p in net.parameters()))

    def test_each_update_moves_the_average_by_the_ramped_decay(self):
        net = small_net()
        avg = WeightAverage(net, 0.99)
        start = net[0].weight.detach().clone()
        with torch.no_grad():
            net[0].weight.copy_(start + 1.0)
        avg.update()  # step 1: decay min(0.99, 2 / 11)
        d1 = 2 / 11
        torch.testing.assert_close(avg.model[0].weight, d1 * start + (1 - d1) * (start + 1.0))
        for _ in range(10_000):
            avg.update()
        # Long after the ramp, the average has converged on weights that stopped moving.
        torch.testing.assert_close(avg.model[0].weight, start + 1.0)

    def test_batch_norm_statistics_are_averaged_and_counters_copied(self):
        net = small_net()
        avg = WeightAverage(net, 0.5)
        net.train()
        net(torch.randn(8, 3) * 5 + 3)  # moves running_mean/var and the batch counter
        before = avg.model[1].running_mean.clone()
        avg.update()  # step 1: decay min(0.5, 2 / 11) = 2 / 11
        d = 2 / 11
        torch.testing.assert_close(avg.model[1].running_mean, d * before + (1 - d) * net[1].running_mean)
        self.assertEqual(int(avg.model[1].num_batches_tracked), int(net[1].num_batches_tracked))


if __name__ == "__main__":
    unittest.main()

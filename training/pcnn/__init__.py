"""Betti's PCNN training package (PyTorch). Not shipped: resources/model/ is its only product."""

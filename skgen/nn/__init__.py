"""Torch modules trained by skgen's generators, and their shared training loop."""

"""Reproducible random sampling for spot checks (抽查) and re-inspections (回头看).

`draw(population, size, seed)` depends only on its arguments: the population is put in a canonical order (by key)
before drawing, and the generator is seeded from the SHA-256 of the seed text, so the same seed and population give
the same sample on any machine and any later Python. Weights make risky units likelier (weighted sampling without
replacement, Efraimidis–Spirakis: each key gets u^(1/w) and the largest `size` keys win); with every weight 1 it
is a plain uniform sample. Anyone holding the recorded seed, population and weights can re-run it.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    key: str
    weight: float = 1.0


def new_seed() -> str:
    """A fresh seed to record with the sample (16 hex digits)."""
    return secrets.token_hex(8)


def _generator(seed: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))


def draw(population: Sequence[Candidate], size: int, seed: str) -> list[str]:
    """Up to `size` distinct keys, in the order drawn."""
    if size < 0:
        raise ValueError("size must not be negative")
    keys = [c.key for c in population]
    if len(set(keys)) != len(keys):
        raise ValueError("population keys must be distinct")
    if any(not c.weight > 0 for c in population):
        raise ValueError("weights must be positive")
    generator = _generator(seed)
    ranked = []
    for candidate in sorted(population, key=lambda c: c.key):
        u = generator.random()
        ranked.append((u ** (1.0 / candidate.weight), candidate.key))
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _, key in ranked[:size]]


def risk_weight(
    *, score_jump: float | None, jump_threshold: float, had_rectification: bool, factor: float
) -> float:
    """1 for an ordinary unit; `factor` more for each risk sign (a self-score jump beyond the threshold since its
    previous application, a rectification order in its history)."""
    weight = 1.0
    if score_jump is not None and score_jump > jump_threshold:
        weight += factor - 1.0
    if had_rectification:
        weight += factor - 1.0
    return weight

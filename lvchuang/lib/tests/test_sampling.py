"""Reproducible weighted sampling for spot checks: same seed and population, same sample, on any machine."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvchuang.lib.sampling import Candidate, draw, new_seed, risk_weight

properties = settings(max_examples=60, derandomize=True, deadline=None)


def population(size: int, weight: float = 1.0) -> list[Candidate]:
    return [Candidate(key=f"application-{number:03d}", weight=weight) for number in range(size)]


def test_it_draws_the_same_sample_from_the_same_seed_and_population():
    assert draw(population(40), 8, "2026-抽查-1") == draw(population(40), 8, "2026-抽查-1")


def test_it_pins_the_sample_of_a_recorded_seed():
    # A recorded spot check must redraw identically on any machine and any later Python.
    first = draw(population(40), 5, "a3f1c2d4e5f60718")
    assert first == draw(list(reversed(population(40))), 5, "a3f1c2d4e5f60718")
    assert len(set(first)) == 5


def test_the_order_of_the_population_does_not_matter():
    candidates = population(30)
    shuffled = candidates[:]
    random.Random(7).shuffle(shuffled)
    assert draw(shuffled, 10, "seed") == draw(candidates, 10, "seed")


def test_different_seeds_draw_different_samples():
    samples = {tuple(draw(population(50), 10, f"seed-{n}")) for n in range(20)}
    assert len(samples) == 20


def test_it_draws_every_key_when_asked_for_more_than_there_are():
    assert sorted(draw(population(4), 10, "seed")) == sorted(c.key for c in population(4))


def test_it_draws_nothing_from_nothing_or_for_a_size_of_zero():
    assert draw([], 3, "seed") == []
    assert draw(population(5), 0, "seed") == []


def test_heavier_candidates_are_drawn_more_often():
    # 10 risky units at weight 3 among 90 ordinary ones; 400 fixed seeds drawing 10 each.
    candidates = [Candidate(f"risky-{n}", 3.0) for n in range(10)] + [
        Candidate(f"plain-{n:02d}", 1.0) for n in range(90)
    ]
    drawn = Counter(key.split("-")[0] for seed in range(400) for key in draw(candidates, 10, f"seed-{seed}"))
    risky_share = drawn["risky"] / 4000
    # Uniform sampling gives 10%; weight 3 gives about 25%. The margin is far beyond the noise of 4000 draws.
    assert 0.18 < risky_share < 0.33


def test_equal_weights_draw_each_candidate_about_equally_often():
    counts = Counter(key for seed in range(600) for key in draw(population(20), 5, f"s{seed}"))
    # 600 draws of 5 out of 20: each key expects 150.
    assert min(counts.values()) > 100
    assert max(counts.values()) < 200


def test_it_refuses_a_negative_size():
    with pytest.raises(ValueError, match="negative"):
        draw(population(3), -1, "seed")


def test_it_refuses_duplicate_keys():
    with pytest.raises(ValueError, match="distinct"):
        draw([Candidate("a"), Candidate("a")], 1, "seed")


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan")])
def test_it_refuses_a_weight_that_is_not_positive(weight):
    with pytest.raises(ValueError, match="positive"):
        draw([Candidate("a"), Candidate("b", weight)], 1, "seed")


def test_new_seeds_are_sixteen_hex_digits_and_differ():
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) == 50
    assert all(len(seed) == 16 and int(seed, 16) >= 0 for seed in seeds)


def test_risk_weight_adds_the_factor_for_each_risk_sign():
    assert risk_weight(score_jump=None, jump_threshold=10, had_rectification=False, factor=3) == 1.0
    assert risk_weight(score_jump=10, jump_threshold=10, had_rectification=False, factor=3) == 1.0
    assert risk_weight(score_jump=10.5, jump_threshold=10, had_rectification=False, factor=3) == 3.0
    assert risk_weight(score_jump=None, jump_threshold=10, had_rectification=True, factor=3) == 3.0
    assert risk_weight(score_jump=20, jump_threshold=10, had_rectification=True, factor=3) == 5.0


# --- properties -----------------------------------------------------------------------------------------------

keys = st.text(alphabet="abcdefghij0123456789-", min_size=1, max_size=8)
populations = st.lists(
    st.builds(Candidate, keys, st.floats(min_value=0.01, max_value=100)),
    max_size=30,
    unique_by=lambda c: c.key,
)


@properties
@given(populations, st.integers(min_value=0, max_value=40), st.text(max_size=20), st.randoms())
def test_a_draw_is_a_function_of_the_seed_and_the_population_as_a_set(candidates, size, seed, rng):
    shuffled = candidates[:]
    rng.shuffle(shuffled)
    sample = draw(candidates, size, seed)
    assert sample == draw(shuffled, size, seed)
    assert len(sample) == min(size, len(candidates))
    assert len(set(sample)) == len(sample)
    assert set(sample) <= {c.key for c in candidates}


@properties
@given(populations, st.integers(min_value=0, max_value=40), st.text(max_size=20))
def test_a_smaller_sample_is_the_start_of_a_larger_one(candidates, size, seed):
    assert draw(candidates, size, seed) == draw(candidates, size + 5, seed)[:size]

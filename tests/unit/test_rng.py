"""The seed policy: Generators from seeds, block seeds that do not depend on the block count."""

from __future__ import annotations

import random

import numpy as np
import pytest

from synthcraft._rng import BLOCK_ROWS, block_seeds, blocks, check_rng, draw_seed, seed_sequence
from synthcraft.errors import UserInputError


def test_same_seed_same_stream(seed: int) -> None:
    assert check_rng(seed).random(5).tolist() == check_rng(seed).random(5).tolist()
    assert check_rng(seed).random(5).tolist() != check_rng(seed + 1).random(5).tolist()


def test_generator_passes_through(rng: np.random.Generator) -> None:
    assert check_rng(rng) is rng


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_bad_seeds_are_refused(bad: object) -> None:
    with pytest.raises(UserInputError, match="seed"):
        check_rng(bad)  # type: ignore[arg-type]


def test_block_seed_i_does_not_depend_on_block_count(seed: int) -> None:
    few = block_seeds(seed, 2)
    many = block_seeds(seed, 9)
    for a, b in zip(few, many, strict=False):
        assert check_rng(a).random() == check_rng(b).random()
    assert check_rng(many[0]).random() != check_rng(many[1]).random()


def test_blocks_cover_the_range() -> None:
    parts = list(blocks(2 * BLOCK_ROWS + 5))
    assert parts[0] == (0, 0, BLOCK_ROWS)
    assert parts[-1] == (2, 2 * BLOCK_ROWS, 2 * BLOCK_ROWS + 5)
    assert list(blocks(0)) == []


def test_global_state_untouched(seed: int) -> None:
    np_state = np.random.get_state()[1].copy()  # type: ignore[index]  # noqa: NPY002
    py_state = random.getstate()
    check_rng(seed).random(10)
    block_seeds(seed, 4)
    draw_seed()
    seed_sequence(check_rng(seed))
    assert (np.random.get_state()[1] == np_state).all()  # type: ignore[index]  # noqa: NPY002
    assert random.getstate() == py_state


def test_drawn_seeds_are_usable() -> None:
    s = draw_seed()
    assert 0 <= s < 2**63
    check_rng(s)

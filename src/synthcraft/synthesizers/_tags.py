"""Capability tags: what a synthesizer can do, read by the API, the engine and the test suite."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthcraft.errors import UserInputError

__all__ = ["CONDITION_KINDS", "Tags"]

CONDITION_KINDS = frozenset({"fixed", "rows"})
"""``"fixed"``: a mapping of values for every row; ``"rows"``: a DataFrame, one row per row."""


@dataclass(frozen=True)
class Tags:
    """What a synthesizer supports.

    Parameters
    ----------
    needs_torch : bool
        Fitting or sampling imports torch (the ``deep`` extra).
    conditions : frozenset of str
        Condition kinds that ``sample`` honours, among ``"fixed"`` and ``"rows"``.
    dp : bool
        The model is trained with differential privacy.
    deterministic_fit : bool
        Fitting twice with the same seed gives the same model.

    Examples
    --------
    >>> Tags(conditions=frozenset({"fixed"})).conditions
    frozenset({'fixed'})
    """

    needs_torch: bool = False
    conditions: frozenset[str] = field(default_factory=frozenset)
    dp: bool = False
    deterministic_fit: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "conditions", frozenset(self.conditions))
        unknown = sorted(self.conditions - CONDITION_KINDS)
        if unknown:
            raise UserInputError(
                f"unknown condition kind {unknown[0]!r} in Tags; use 'fixed' and/or 'rows'"
            )

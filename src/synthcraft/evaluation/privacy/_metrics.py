"""The one entry point: every privacy metric of a synthetic table against a real holdout."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthcraft._rng import seed_sequence
from synthcraft._types import ProgressCallback
from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._anonymeter import inference, linkability
from synthcraft.evaluation.privacy._copies import exact_copies
from synthcraft.evaluation.privacy._dcr import distance_metrics
from synthcraft.evaluation.privacy._membership import membership_auc
from synthcraft.evaluation.privacy._singling_out import singling_out
from synthcraft.evaluation.privacy._tables import (
    check_inputs,
    resolve_quasi_identifiers,
    resolve_secret,
)
from synthcraft.metadata import Metadata

__all__ = ["privacy_metrics"]

_STEPS = 6


def privacy_metrics(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    *,
    seed: np.random.Generator,
    quasi_identifiers: Sequence[str] | None = None,
    secret: str | None = None,
    progress: ProgressCallback | None = None,
) -> list[MetricResult]:
    """Privacy of ``synthetic`` against the ``train`` rows it was fitted on and a real ``holdout``.

    Distances use the feature space fitted on ``train`` (see ``docs/privacy-metrics.md`` for every
    definition, size and subsample). The same Generator state gives the same results.

    Parameters
    ----------
    train, synthetic, holdout : DataFrame
        The training rows, the synthetic rows and real rows the model never saw.
    metadata : Metadata
        Column descriptions; id and PII columns are left out of every metric.
    seed : numpy.random.Generator
        Source of every subsample and attack; one integer is drawn from it.
    quasi_identifiers : sequence of str, optional
        Columns an attacker knows (default: all non-id, non-PII columns).
    secret : str, optional
        Column the inference attack guesses (default: the last categorical quasi-identifier).
    progress : callable, optional
        Called as ``progress(done, total)`` after each group of metrics.

    Returns
    -------
    list of MetricResult
        ``exact_copies``, ``exact_copies_holdout``, ``dcr_share``, ``dcr_median_ratio``, ``nndr``,
        ``nndr_holdout``, ``singling_out``, ``linkability``, ``inference``, ``membership_auc``,
        in that order.
        A metric that cannot be computed on tiny data has a NaN score and ``details["reason"]``.

    Raises
    ------
    UserInputError
        A frame is empty or lacks a column, or a quasi-identifier or secret is not a column.

    Examples
    --------
    >>> import pandas as pd, numpy as np
    >>> from synthcraft.metadata import Column, ColumnKind, Metadata
    >>> md = Metadata((Column("x", ColumnKind.FLOAT, "float64"),))
    >>> frame = lambda s: pd.DataFrame({"x": np.random.default_rng(s).normal(size=50)})
    >>> out = privacy_metrics(frame(0), frame(1), frame(2), md, seed=np.random.default_rng(0))
    >>> [r.name for r in out][:3]
    ['exact_copies', 'exact_copies_holdout', 'dcr_share']
    """
    compared = check_inputs(train, synthetic, holdout, metadata)
    qis = resolve_quasi_identifiers(metadata, compared, quasi_identifiers)
    target = resolve_secret(metadata, compared, qis, secret)
    streams = [np.random.default_rng(s) for s in seed_sequence(seed).spawn(5)]
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, _STEPS)

    results = exact_copies(train, synthetic, holdout, metadata, compared)
    step()
    space = fit_feature_space(train, metadata)
    results += distance_metrics(space, train, synthetic, holdout, streams[0])
    step()
    results.append(singling_out(train, synthetic, holdout, metadata, qis, streams[1]))
    step()
    results.append(linkability(train, synthetic, holdout, metadata, qis, streams[2]))
    step()
    results.append(inference(train, synthetic, holdout, metadata, qis, target, streams[3]))
    step()
    results.append(membership_auc(space, train, synthetic, holdout, streams[4]))
    step()
    return results

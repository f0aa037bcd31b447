"""Split a table into training and holdout rows, and evaluate synthetic data from files."""

from __future__ import annotations

import numbers
from pathlib import Path

import pandas as pd

from synthcraft._files import check_output_path
from synthcraft._rng import check_rng
from synthcraft._types import ProgressCallback, SeedLike
from synthcraft.api._data import DataLike, load_metadata, read_data, resolve_seed
from synthcraft.errors import DataError, UserInputError
from synthcraft.evaluation import Report, Thresholds, load_thresholds
from synthcraft.evaluation import evaluate as evaluate_frames
from synthcraft.metadata import ColumnKind, Metadata

__all__ = ["check_fraction", "check_target", "evaluate", "split_holdout"]

MIN_SPLIT_ROWS = 2
"""Fewest rows on each side of a split."""

_TARGET_KINDS = (ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN)


def check_fraction(fraction: object) -> float:
    """Return the holdout fraction as a float; :class:`UserInputError` unless in (0, 1)."""
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, numbers.Real)
        or not 0.0 < float(fraction) < 1.0
    ):
        raise UserInputError(
            f"holdout fraction must be a number between 0 and 1 (both excluded), got {fraction!r}; "
            "pass e.g. --holdout-fraction 0.2"
        )
    return float(fraction)


def split_holdout(
    data: pd.DataFrame, fraction: float = 0.2, seed: SeedLike = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a table at random into training rows and holdout rows.

    The rows are shuffled with ``numpy.random.Generator.permutation`` (from
    :func:`synthcraft._rng.check_rng` of ``seed``); the first ``round(fraction * len(data))``
    positions of the permutation are the holdout and the rest the training rows. Each part
    keeps the table's row order and gets a fresh ``RangeIndex``. The same seed gives the same
    split.

    Parameters
    ----------
    data : DataFrame
        The real table.
    fraction : float
        Share of rows held out, strictly between 0 and 1.
    seed : int, Generator, SeedSequence or None
        Seed of the shuffle (fresh entropy when None).

    Returns
    -------
    train, holdout : DataFrame
        Disjoint parts whose rows together are the rows of ``data``.

    Raises
    ------
    UserInputError
        ``fraction`` is not a number in (0, 1), or ``data`` is not a DataFrame.
    DataError
        Either part would have fewer than 2 rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": range(10)})
    >>> train, holdout = split_holdout(frame, 0.2, seed=0)
    >>> len(train), len(holdout)
    (8, 2)
    """
    share = check_fraction(fraction)
    if not isinstance(data, pd.DataFrame):
        raise UserInputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    n_rows = len(data)
    n_holdout = round(share * n_rows)
    if min(n_holdout, n_rows - n_holdout) < MIN_SPLIT_ROWS:
        raise DataError(
            f"the table has {n_rows} rows, too few to hold out {share:g} of them with at least "
            f"{MIN_SPLIT_ROWS} rows on each side; use a larger table or another fraction"
        )
    order = check_rng(seed).permutation(n_rows)
    holdout_rows = sorted(order[:n_holdout].tolist())
    train_rows = sorted(order[n_holdout:].tolist())
    train = data.iloc[train_rows].reset_index(drop=True)
    holdout = data.iloc[holdout_rows].reset_index(drop=True)
    return train, holdout


def check_target(target: str | None, columns: pd.Index, metadata: Metadata | None = None) -> None:
    """Refuse a target that is not a column (naming the columns) or cannot be predicted.

    Raises
    ------
    UserInputError
        ``target`` is not in ``columns``, or ``metadata`` says it is an id, PII or text column.
    """
    if target is None:
        return
    names = [str(c) for c in columns]
    if target not in names:
        shown = ", ".join(names[:20]) + (
            f" (and {len(names) - 20} more)" if len(names) > 20 else ""
        )
        raise UserInputError(
            f"target column {target!r} is not in the table; name one of its columns: {shown}"
        )
    if metadata is not None and target in metadata:
        kind = metadata[target].kind
        if kind not in _TARGET_KINDS:
            raise UserInputError(
                f"target {target!r} has kind {kind.value}; name a numeric, categorical or "
                "boolean column"
            )


def evaluate(
    train: DataLike,
    synthetic: DataLike,
    *,
    holdout: DataLike | None = None,
    target: str | None = None,
    metadata: Metadata | str | Path | None = None,
    seed: int | None = None,
    thresholds: Thresholds | str | Path | None = None,
    html: str | Path | None = None,
    json: str | Path | None = None,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> Report:
    """Evaluate a synthetic table against the real training rows (and a holdout), from files.

    Output paths are checked before any table is read; the report files are written
    atomically.

    Parameters
    ----------
    train, synthetic : DataFrame, str or Path
        The real rows the model was fitted on and the synthetic rows (frames or table files).
    holdout : DataFrame, str or Path, optional
        Real rows the model never saw; gives the ceiling, utility and privacy figures.
    target : str, optional
        Column to predict for utility (needs a holdout).
    metadata : Metadata, str or Path, optional
        Column descriptions or a metadata JSON file; detected from ``train`` when None.
    seed : int, optional
        Seed of every figure; drawn (and recorded in the report) when None.
    thresholds : Thresholds, str or Path, optional
        Pass / warn / fail rules, or a YAML/JSON file of them.
    html, json : str or Path, optional
        Write the report as a self-contained HTML page / as JSON here.
    overwrite : bool
        Replace existing report files.
    progress : callable, optional
        Called as ``progress(done, total)`` as stages finish.

    Returns
    -------
    Report
        Every figure; ``report.to_text()`` renders it.

    Examples
    --------
    >>> report = evaluate("train.csv", "synthetic.parquet", holdout="holdout.csv",
    ...                   target="income", html="report.html", seed=0)  # doctest: +SKIP
    """
    outputs = [Path(p) for p in (html, json) if p is not None]
    if len(outputs) == 2 and outputs[0].resolve() == outputs[1].resolve():
        raise UserInputError("the HTML and JSON reports need two different file names")
    for out in outputs:
        check_output_path(out, overwrite=overwrite)
    used_seed = resolve_seed(seed)
    md = load_metadata(metadata)
    rules = load_thresholds(thresholds) if isinstance(thresholds, (str, Path)) else thresholds
    real = read_data(train)
    check_target(target, real.columns, md)
    fake = read_data(synthetic)
    held = read_data(holdout) if holdout is not None else None
    report = evaluate_frames(
        real,
        fake,
        held,
        metadata=md,
        target=target,
        seed=used_seed,
        thresholds=rules,
        progress=progress,
    )
    if json is not None:
        report.save_json(json, overwrite=overwrite)
    if html is not None:
        report.save_html(html, overwrite=overwrite)
    return report

"""``run``: split, fit, sample and evaluate in one step, into one folder of outputs."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthcraft import engine, persistence, storage, synthesizers
from synthcraft._files import atomic_write_text
from synthcraft._types import ProgressCallback
from synthcraft.api._data import DataLike, load_metadata, read_data, resolve_seed
from synthcraft.api._evaluate import check_fraction, check_target, split_holdout
from synthcraft.api._filter import check_quantile
from synthcraft.api._filter import privacy_filter as filter_rows
from synthcraft.api._fit import model_name
from synthcraft.api._manifest import run_info
from synthcraft.api._params import coerce_params
from synthcraft.errors import OutputExistsError, UserInputError
from synthcraft.evaluation import Report
from synthcraft.evaluation import evaluate as evaluate_frames
from synthcraft.metadata import ColumnKind, Metadata, detect

__all__ = ["RUN_FILES", "CopyCount", "KeyScore", "RunProgress", "RunResult", "run"]

RunProgress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; see :func:`run`."""

RUN_FILES: Mapping[str, str] = {
    "model": "model.synth",
    "synthetic": "synthetic.parquet",
    "metadata": "metadata.json",
    "report_json": "report.json",
    "report_html": "report.html",
    "run": "run.json",
}
"""What :func:`run` writes into its folder, by role; ``run.json`` is written last."""

KEY_SCORES: tuple[tuple[str, str], ...] = (
    ("column_shapes", "column shapes"),
    ("column_pair_trends", "column pair trends"),
    ("detection_gbm", "detection AUC (GBM)"),
    ("utility", "utility ratio (TSTR/TRTR)"),
    ("dcr_share", "DCR share"),
)
"""The report figures a run summary shows, with their labels."""

_STAGES = ("split", "fit", "sample", "evaluate", "filter")
"""Stages with a seed of their own; ``filter`` only when the privacy filter runs."""
_MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class CopyCount:
    """Rows of one table that equal some training row."""

    count: int
    rows: int

    @property
    def share(self) -> float:
        """``count / rows`` (0 for an empty table)."""
        return self.count / self.rows if self.rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"count": self.count, "rows": self.rows, "share": self.share}

    def text(self) -> str:
        """``12 (0.03%)``."""
        return f"{self.count:,} ({self.share:.2%})"


@dataclass(frozen=True)
class KeyScore:
    """One headline figure of the report beside its reference and verdict."""

    name: str
    label: str
    score: float
    reference: float
    basis: str
    status: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN as null)."""
        return {
            "name": self.name,
            "score": _finite(self.score),
            "reference": _finite(self.reference),
            "basis": self.basis,
            "status": self.status,
        }


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` did and found.

    Parameters
    ----------
    output_dir : Path
        The run's folder.
    paths : mapping of str to Path
        The files written, by role (the keys of :data:`RUN_FILES`).
    seed : int
        The run seed; ``seeds`` holds the child seeds derived from it.
    seeds : mapping of str to int
        Seeds of the split, fit, sample and evaluate stages.
    model : str
        Registered model name.
    rows : mapping of str to int
        Rows of the table (``data``), the ``train`` and ``holdout`` parts and ``synthetic``.
    timings : mapping of str to float
        Seconds spent reading, in each stage, writing, and in ``total``.
    report : Report
        The evaluation against the holdout.
    copies, copies_holdout : CopyCount
        Synthetic rows, and (for reference) holdout rows, equal to a training row.
    scores : tuple of KeyScore
        The headline figures (:data:`KEY_SCORES`) present in the report.
    counts : mapping of str to int
        How many figures pass, warn, fail, are for information or could not be computed.
    privacy_filter : mapping, optional
        The privacy filter's report (see :func:`synthcraft.api.privacy_filter`) when it ran.
    """

    output_dir: Path
    paths: Mapping[str, Path]
    seed: int
    seeds: Mapping[str, int]
    model: str
    rows: Mapping[str, int]
    timings: Mapping[str, float]
    report: Report
    copies: CopyCount
    copies_holdout: CopyCount
    scores: tuple[KeyScore, ...]
    counts: Mapping[str, int]
    privacy_filter: Mapping[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """The summary figures as a JSON-ready dict (as recorded in ``run.json``)."""
        return {
            "status": self.report.status,
            "checks": dict(self.counts),
            "exact_copies": {
                "synthetic": self.copies.to_dict(),
                "holdout": self.copies_holdout.to_dict(),
            },
            "scores": {s.name: s.to_dict() for s in self.scores},
        }

    def to_text(self) -> str:
        """A short plain-text summary; its last line names the HTML report."""
        t, r = self.timings, self.rows
        order = ("split", "fit", "sample", "filter", "evaluate", "write")
        stages = ", ".join(f"{k} {t[k]:.2f} s" for k in order if k in t)
        width = max((len(s.label) for s in self.scores), default=0) + 2
        lines = [
            f"run: {self.model} fitted on {r['train']:,} training rows "
            f"({r['holdout']:,} held out), {r['synthetic']:,} synthetic rows, seed {self.seed}",
            f"timings: {stages} (total {t.get('total', 0.0):.2f} s)",
            *self._filter_lines(),
            f"synthetic rows equal to a training row: {self.copies.text()}; "
            f"holdout rows equal to a training row: {self.copies_holdout.text()}",
            "scores: synthetic beside the holdout ceiling (or, where there is none, the ideal)",
        ]
        for s in self.scores:
            ref = f"{s.basis} {_number(s.reference)}" if math.isfinite(s.reference) else "-"
            lines.append(f"  {s.label:<{width}}{_number(s.score):>8}   {ref:<22}{s.status}")
        c = self.counts
        lines.append(
            f"checks: {c['pass']} pass, {c['warn']} warn, {c['fail']} fail "
            f"({c['info']} info, {c['n/a']} n/a); status {self.report.status.upper()}"
        )
        lines.append(f"report: {self.paths['report_html']}")
        return "\n".join(lines) + "\n"

    def _filter_lines(self) -> list[str]:
        f = self.privacy_filter
        if f is None:
            return []
        return [
            f"privacy filter: replaced {f['replaced']:,} of {f['rows']:,} synthetic rows closer "
            f"to a training row than {f['quantile']:.1%} of holdout rows (distance "
            f"{f['threshold']:.4g}) in {f['rounds']} round{'s' if f['rounds'] != 1 else ''}"
        ]


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _number(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) else "n/a"


def _child_seeds(seed: int, *, with_filter: bool = False) -> dict[str, int]:
    """Distinct seeds for each stage: children of ``SeedSequence(seed)``, one per stage."""
    children = np.random.SeedSequence(seed).spawn(len(_STAGES))
    return {
        stage: int(child.generate_state(1, dtype=np.uint64)[0]) & _MAX_SEED
        for stage, child in zip(_STAGES, children, strict=True)
        if with_filter or stage != "filter"
    }


def _output_paths(output_dir: str | Path, overwrite: bool) -> dict[str, Path]:
    """The run's file paths; refuses existing ones without ``overwrite`` (before any work)."""
    folder = Path(output_dir)
    if folder.exists() and not folder.is_dir():
        raise UserInputError(f"output {str(folder)!r} is a file; give a folder for the run")
    ancestor = folder
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UserInputError(
            f"cannot create the folder {str(folder)!r}: {str(ancestor)!r} is not a folder"
        )
    paths = {role: folder / name for role, name in RUN_FILES.items()}
    for path in paths.values():
        if path.is_dir():
            raise UserInputError(f"{str(path)!r} is a folder; move it out of the run folder")
        if path.exists() and not overwrite:
            raise OutputExistsError(
                f"{str(path)!r} already exists; pass --overwrite (overwrite=True) to replace "
                "the run's files"
            )
    return paths


def _check_rows(n_rows: object) -> int | None:
    return None if n_rows is None else engine.check_n_rows(n_rows)


def _copy_counts(
    report: Report,
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
) -> tuple[CopyCount, CopyCount]:
    """Exact copies from the report's privacy figures, else from hashes of whole rows."""
    found: list[CopyCount] = []
    for name, size in (("exact_copies", "n_synthetic"), ("exact_copies_holdout", "n_holdout")):
        metric = report.metrics.get(name)
        details = metric.details if metric is not None else {}
        if "count" in details and size in details:
            found.append(CopyCount(int(details["count"]), int(details[size])))
    if len(found) == 2:
        return found[0], found[1]
    return hashed_copy_counts(train, synthetic, holdout, metadata)


def hashed_copy_counts(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
) -> tuple[CopyCount, CopyCount]:
    """Synthetic and holdout rows equal to a training row, by a 64-bit hash of each row.

    Rows are compared on every column but ids and PII (as the ``exact_copies`` metric does);
    a missing value equals a missing value. The tables must share dtypes.
    """
    columns = [c.name for c in metadata if c.kind not in (ColumnKind.ID, ColumnKind.PII)]

    def hashes(frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[Any]]:
        return pd.util.hash_pandas_object(frame[columns], index=False).to_numpy(np.uint64)

    known = np.unique(hashes(train))
    syn, held = hashes(synthetic), hashes(holdout)
    return (
        CopyCount(int(np.isin(syn, known).sum()), len(syn)),
        CopyCount(int(np.isin(held, known).sum()), len(held)),
    )


def _key_scores(report: Report) -> tuple[KeyScore, ...]:
    out = []
    for name, label in KEY_SCORES:
        if name not in report.metrics:
            continue
        check = report.checks.get(name)
        reference = check.reference if check is not None else math.nan
        basis = check.basis if check is not None else "-"
        status = check.status if check is not None else "n/a"
        score = report.metrics[name].score
        out.append(KeyScore(name, label, score, reference, basis, status))
    return tuple(out)


def _stage_progress(progress: RunProgress | None, stage: str) -> ProgressCallback | None:
    if progress is None:
        return None
    progress(stage, 0, 0)

    def forward(done: int, total: int) -> None:
        progress(stage, done, total)

    return forward


def run(
    data: DataLike,
    output_dir: str | Path,
    *,
    model: str = "copula",
    params: Mapping[str, Any] | None = None,
    metadata: Metadata | str | Path | None = None,
    target: str | None = None,
    holdout_fraction: float = 0.2,
    seed: int | None = None,
    n_rows: int | None = None,
    table: str | None = None,
    sheet: str | None = None,
    overwrite: bool = False,
    workers: int = 1,
    privacy_filter: float | None = None,
    progress: RunProgress | None = None,
    command: str | None = None,
) -> RunResult:
    """Split a real table, fit a model on the training part, sample it and evaluate the sample.

    The holdout is split off before fitting, so the model never sees it; it then serves as the
    real reference of the evaluation (fidelity ceiling, utility test rows, privacy). One seed
    drives everything: the split, fit, sample and evaluate stages each get a child of
    ``SeedSequence(seed)``. The folder receives the files of :data:`RUN_FILES`:
    ``model.synth``, ``synthetic.parquet``, ``metadata.json`` (the privatised metadata the model
    stores), ``report.json``, ``report.html`` and ``run.json`` (seeds, model settings, sizes,
    timings, versions, summary figures, command). Each file is written atomically and
    ``run.json`` last, so a folder with a ``run.json`` holds a complete run.

    Parameters
    ----------
    data : DataFrame, str or Path
        The real table, or a file to read.
    output_dir : str or Path
        The run's folder; created if missing. Refused (before any work) when it already holds
        one of the run's files, unless ``overwrite``.
    model : str
        Registered model name.
    params : mapping, optional
        Model settings (text values converted as in :func:`synthcraft.api.fit`); the seed is
        the run's and cannot be set here.
    metadata : Metadata, str or Path, optional
        Column descriptions or a metadata JSON file; detected from the training rows when None.
    target : str, optional
        Column to predict for the utility figures.
    holdout_fraction : float
        Share of rows held out, strictly between 0 and 1 (see :func:`split_holdout`).
    seed : int, optional
        The run seed; drawn when None and recorded in ``run.json`` and the result.
    n_rows : int, optional
        Synthetic rows (default: as many as the training rows).
    table, sheet : str, optional
        Table of a database file, sheet of a workbook.
    overwrite : bool
        Replace the run's files in an existing folder.
    workers : int
        Sampling worker processes; the rows do not depend on it.
    privacy_filter : float, optional
        Run the privacy filter (:func:`synthcraft.api.privacy_filter`) with this quantile on
        the sample before it is evaluated and written: rows closer to a training row than this
        share of holdout rows are replaced by fresh ones. Its report is in the result and
        ``run.json``.
    progress : callable, optional
        Called as ``progress(stage, done, total)`` with stage ``"split"``, ``"fit"``,
        ``"sample"``, ``"filter"`` (with the privacy filter) or ``"evaluate"``; each stage
        starts with ``done == 0`` and ``total == 0`` (0 means not known yet).
    command : str, optional
        The command line, recorded in ``run.json`` and the model file.

    Returns
    -------
    RunResult
        Paths, seeds, sizes, timings, the report and its summary figures.

    Examples
    --------
    >>> result = run("adult.csv", "demo-output", target="income", seed=0)  # doctest: +SKIP
    >>> print(result.to_text())  # doctest: +SKIP
    """
    started = time.perf_counter()
    used = resolve_seed(seed)
    share = check_fraction(holdout_fraction)
    wanted = _check_rows(n_rows)
    workers = engine.check_workers(workers)
    cls = synthesizers.get(model)
    defaults = cls().get_params()
    if params is not None and "seed" in params:
        raise UserInputError("the run seed sets the model seed; pass --seed, not --param seed")
    settings = coerce_params(cls, defaults, dict(params or {}), model=model)
    paths = _output_paths(output_dir, overwrite)
    given = load_metadata(metadata)
    frame = read_data(data, table=table, sheet=sheet)
    check_target(target, frame.columns, given)
    if privacy_filter is not None:
        check_quantile(privacy_filter)
    seeds = _child_seeds(used, with_filter=privacy_filter is not None)
    timings: dict[str, float] = {"read": time.perf_counter() - started}

    clock = time.perf_counter()
    _stage_progress(progress, "split")
    train, holdout = split_holdout(frame, share, seeds["split"])
    md = given if given is not None else detect(train)
    check_target(target, train.columns, md)
    if progress is not None:
        progress("split", 1, 1)
    timings["split"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if "seed" in defaults:
        settings["seed"] = seeds["fit"]
    synth = cls(**settings)
    synth.fit(train, md, progress=_stage_progress(progress, "fit"))
    timings["fit"] = time.perf_counter() - clock

    clock = time.perf_counter()
    n_synthetic = wanted if wanted is not None else len(train)
    synthetic = engine.sample_frame(
        synth,
        n_synthetic,
        seed=seeds["sample"],
        workers=workers,
        progress=_stage_progress(progress, "sample"),
    )
    timings["sample"] = time.perf_counter() - clock

    filtered: dict[str, Any] | None = None
    if privacy_filter is not None:
        clock = time.perf_counter()

        def resample(k: int, round_seed: int) -> pd.DataFrame:
            return engine.sample_frame(synth, k, seed=round_seed, workers=workers)

        _stage_progress(progress, "filter")
        synthetic, filtered = filter_rows(
            synthetic,
            train,
            holdout,
            quantile=privacy_filter,
            resample=resample,
            seed=seeds["filter"],
            metadata=md,
        )
        if progress is not None:
            progress("filter", 1, 1)
        timings["filter"] = time.perf_counter() - clock

    clock = time.perf_counter()
    report = evaluate_frames(
        train,
        synthetic,
        holdout,
        metadata=md,
        target=target,
        seed=seeds["evaluate"],
        progress=_stage_progress(progress, "evaluate"),
    )
    copies, copies_holdout = _copy_counts(report, train, synthetic, holdout, md)
    timings["evaluate"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _write_outputs(paths, synth, synthetic, report, overwrite=overwrite, command=command)
    timings["write"] = time.perf_counter() - clock
    timings["total"] = time.perf_counter() - started
    result = RunResult(
        output_dir=Path(output_dir),
        paths=paths,
        seed=used,
        seeds=seeds,
        model=model_name(synth),
        rows={
            "data": len(frame),
            "train": len(train),
            "holdout": len(holdout),
            "synthetic": len(synthetic),
        },
        timings={k: round(v, 4) for k, v in timings.items()},
        report=report,
        copies=copies,
        copies_holdout=copies_holdout,
        scores=_key_scores(report),
        counts=report.counts(),
        privacy_filter=filtered,
    )
    options = {
        "data": str(data) if isinstance(data, (str, Path)) else "DataFrame",
        "table": table,
        "sheet": sheet,
        "target": target,
        "holdout_fraction": share,
        "n_rows": wanted,
        "workers": workers,
        "privacy_filter": privacy_filter,
        "metadata": str(metadata) if isinstance(metadata, (str, Path)) else None,
    }
    info = {
        "kind": "run",
        "seed": used,
        "seeds": seeds,
        "model": result.model,
        "settings": synth.get_params(),
        "options": options,
        "rows": dict(result.rows),
        "timings": dict(result.timings),
        "files": dict(RUN_FILES),
        "summary": result.summary(),
        "privacy_filter": filtered,
    }
    body = {**run_info(command), **info}
    text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"
    atomic_write_text(paths["run"], text, overwrite=overwrite)
    return result


def _write_outputs(
    paths: Mapping[str, Path],
    synth: synthesizers.BaseSynthesizer,
    synthetic: pd.DataFrame,
    report: Report,
    *,
    overwrite: bool,
    command: str | None,
) -> None:
    """Write every file but ``run.json``, each atomically; a stale ``run.json`` goes first."""
    folder = paths["run"].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(
            f"cannot create the folder {str(folder)!r} ({exc.strerror}); pick another"
        ) from None
    if overwrite:
        paths["run"].unlink(missing_ok=True)
    persistence.save(synth, paths["model"], overwrite=overwrite, extra={"command": command})
    storage.write_table(synthetic, paths["synthetic"], overwrite=overwrite)
    synth.metadata_.save(paths["metadata"], overwrite=overwrite)
    report.save_json(paths["report_json"], overwrite=overwrite)
    report.save_html(paths["report_html"], overwrite=overwrite)

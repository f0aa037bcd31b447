"""Workflows across parts: fit, sample, run and evaluate; generate from a spec and draft one;
inspect data and model files.

Examples
--------
>>> from synthcraft import api
>>> model = api.fit("real.csv", model="copula", seed=0, output="real.synth")  # doctest: +SKIP
>>> api.sample("real.synth", 10_000, seed=1, output="synthetic.parquet")  # doctest: +SKIP
PosixPath('synthetic.parquet')
"""

from synthcraft.api._auto import AutoChoice, choose_model, parse_time_budget
from synthcraft.api._controls import (
    merge_conditions,
    model_metadata,
    parse_condition,
    parse_conditions,
    parse_rebalance,
    parse_rebalances,
)
from synthcraft.api._data import load_metadata, read_data, resolve_seed
from synthcraft.api._evaluate import evaluate, split_holdout
from synthcraft.api._filter import PrivacyFilterError, privacy_filter
from synthcraft.api._fit import fit, load_model, model_name, save_model
from synthcraft.api._generate import draft_spec, generate, load_spec, spec_models, spec_truth
from synthcraft.api._inspect import (
    column_table,
    inspect_data,
    inspect_model,
    is_model_file,
    list_models,
    list_pii_kinds,
)
from synthcraft.api._manifest import manifest_path, write_manifest
from synthcraft.api._params import load_params, parse_param_pairs
from synthcraft.api._run import CopyCount, KeyScore, RunProgress, RunResult, run
from synthcraft.api._sample import sample
from synthcraft.api._task import list_tasks, make_task, write_task

__all__ = [
    "AutoChoice",
    "CopyCount",
    "KeyScore",
    "PrivacyFilterError",
    "RunProgress",
    "RunResult",
    "choose_model",
    "column_table",
    "draft_spec",
    "evaluate",
    "fit",
    "generate",
    "inspect_data",
    "inspect_model",
    "is_model_file",
    "list_models",
    "list_pii_kinds",
    "list_tasks",
    "load_metadata",
    "load_model",
    "load_params",
    "load_spec",
    "make_task",
    "manifest_path",
    "merge_conditions",
    "model_metadata",
    "model_name",
    "parse_condition",
    "parse_conditions",
    "parse_param_pairs",
    "parse_rebalance",
    "parse_rebalances",
    "parse_time_budget",
    "privacy_filter",
    "read_data",
    "resolve_seed",
    "run",
    "sample",
    "save_model",
    "spec_models",
    "spec_truth",
    "split_holdout",
    "write_manifest",
    "write_task",
]

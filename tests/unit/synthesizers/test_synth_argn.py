"""The ``argn`` model: conformance, determinism, conditions, temperature, budget, torch hygiene."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthcraft import persistence
from synthcraft.errors import UserInputError
from synthcraft.synthesizers import ArgnSynthesizer
from synthcraft.testing import check_synthesizer, mixed_frame

torch = pytest.importorskip("torch")


def _linked(seed: int, n: int = 2_000) -> pd.DataFrame:
    """x is normal; y is "hi" exactly when x > 0; z is a noisy count."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "y": pd.Series(np.where(x > 0, "hi", "lo"), dtype="str"),
            "z": pd.array(rng.poisson(3, n), dtype="Int64"),
        }
    )


def test_conformance_without_validation(tmp_path: Path, seed: int) -> None:
    frame, md = mixed_frame(200, seed=seed)
    check_synthesizer(
        lambda: ArgnSynthesizer(max_epochs=2, validation_share=0.0, seed=4),
        frame,
        md,
        tmp_path=tmp_path,
    )


def test_same_seed_same_model_and_rows(seed: int) -> None:
    data = _linked(seed, 600)
    a = ArgnSynthesizer(max_epochs=3, seed=seed).fit(data)
    b = ArgnSynthesizer(max_epochs=3, seed=seed).fit(data)
    c = ArgnSynthesizer(max_epochs=3, seed=seed + 1).fit(data)
    assert a.weights_.keys() == b.weights_.keys()
    assert all(np.array_equal(a.weights_[k], b.weights_[k]) for k in a.weights_)
    assert not all(np.array_equal(a.weights_[k], c.weights_[k]) for k in a.weights_)
    pd.testing.assert_frame_equal(a.sample(500, seed=2), b.sample(500, seed=2))


def test_learns_dependence_and_honours_conditions(seed: int) -> None:
    data = _linked(seed)
    synth = ArgnSynthesizer(max_epochs=15, seed=seed).fit(data)
    out = synth.sample(2_000, seed=1)
    agree = float(((out["x"] > 0) == (out["y"] == "hi")).mean())
    assert agree > 0.9
    hi = synth.sample(1_000, seed=2, conditions={"y": "hi"})
    assert (hi["y"] == "hi").all()
    assert float((hi["x"] > 0).mean()) > 0.9
    fixed = synth.sample(500, seed=3, conditions={"z": 3, "x": -1.5})
    assert (fixed["z"] == 3).all()
    assert (fixed["x"] == -1.5).all()
    assert float((fixed["y"] == "lo").mean()) > 0.9
    rows = pd.DataFrame({"x": [2.0, -2.0] * 100})
    by_row = synth.sample(200, seed=4, conditions=rows)
    assert np.array_equal(by_row["x"].to_numpy(), rows["x"].to_numpy())
    expected = np.where(rows["x"] > 0, "hi", "lo")
    assert float((by_row["y"].to_numpy() == expected).mean()) > 0.9


def test_temperature_sharpens_and_changes_output(seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"c": pd.Series(rng.choice(["a", "b", "c"], 1_000, p=[0.5, 0.3, 0.2]))})
    synth = ArgnSynthesizer(max_epochs=5, seed=seed).fit(data)
    warm = synth.sample(3_000, seed=1)
    cold = synth.set_params(temperature=0.2).sample(3_000, seed=1)
    assert not warm.equals(cold)
    assert float((cold["c"] == "a").mean()) > float((warm["c"] == "a").mean()) + 0.2
    with pytest.raises(UserInputError, match="temperature"):
        synth.set_params(temperature=0.0).sample(10, seed=1)


def test_time_budget_stops_and_is_recorded(tmp_path: Path, seed: int) -> None:
    data = _linked(seed, 400)
    synth = ArgnSynthesizer(max_epochs=1_000, time_budget=1e-6, seed=seed).fit(data)
    summary = synth.training_summary_
    assert summary["stopped_by"] == "time_budget"
    assert summary["epochs_done"] == 0
    path = persistence.save(synth, tmp_path / "m.synth")
    saved = persistence.read_manifest(path)["training_summary"]
    assert saved["stopped_by"] == "time_budget"
    assert saved["epochs_done"] == 0
    full = ArgnSynthesizer(max_epochs=2, validation_share=0.0, seed=seed).fit(data)
    assert full.training_summary_["stopped_by"] == "max_epochs"
    assert full.training_summary_["epochs_done"] == 2


def test_progress_per_epoch_and_early_stopping(seed: int) -> None:
    calls: list[tuple[int, int]] = []
    data = _linked(seed, 300)
    synth = ArgnSynthesizer(max_epochs=200, patience=1, seed=seed)
    synth.fit(data, progress=lambda done, total: calls.append((done, total)))
    summary = synth.training_summary_
    assert summary["stopped_by"] == "early_stopping"
    assert calls == [(e, 200) for e in range(1, summary["epochs_done"] + 1)]


def test_global_torch_rng_untouched(seed: int) -> None:
    data = _linked(seed, 300)
    before = torch.get_rng_state().clone()
    synth = ArgnSynthesizer(max_epochs=2, seed=seed).fit(data)
    synth.sample(100, seed=1, conditions={"y": "lo"})
    assert torch.equal(before, torch.get_rng_state())


def test_weights_stored_as_float32_arrays(seed: int) -> None:
    synth = ArgnSynthesizer(max_epochs=1, seed=seed).fit(_linked(seed, 200))
    state, arrays = synth.get_state()
    nets = {k: v for k, v in arrays.items() if k.startswith("model.net.")}
    assert nets
    assert all(v.dtype == np.float32 for v in nets.values())
    assert [c["name"] for c in state["model"]["columns"]] == ["x", "y", "z"]


def test_column_order_setting(seed: int) -> None:
    data = _linked(seed, 200)
    synth = ArgnSynthesizer(max_epochs=1, column_order=["z", "y"], seed=seed).fit(data)
    assert [c.name for c in synth.columns_] == ["z", "y", "x"]
    assert list(synth.sample(5, seed=0).columns) == ["x", "y", "z"]
    first = synth.sample(50, seed=1, conditions={"z": 2})
    assert (first["z"] == 2).all()
    with pytest.raises(UserInputError, match="not a modelled column"):
        ArgnSynthesizer(max_epochs=1, column_order=["nope"]).fit(data)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("device", "tpu"),
        ("max_epochs", 0),
        ("learning_rate", -1.0),
        ("validation_share", 0.9),
        ("time_budget", 0),
        ("column_order", "x"),
        ("bins", 2.5),
    ],
)
def test_bad_settings_raise(setting: str, value: object) -> None:
    synth = ArgnSynthesizer(**{setting: value})  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match=setting):
        synth.fit(_linked(0, 50))


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )


def test_import_does_not_import_torch() -> None:
    done = _run(
        "import sys, synthcraft, synthcraft.synthesizers, synthcraft.persistence\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    assert done.returncode == 0, done.stderr


def test_missing_torch_gives_actionable_error() -> None:
    done = _run(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ModuleNotFoundError('No module named torch')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pandas as pd\n"
        "from synthcraft.errors import MissingDependencyError\n"
        "from synthcraft.synthesizers import get, list_synthesizers\n"
        "assert 'argn' in list_synthesizers()\n"
        "data = pd.DataFrame({'x': [float(i % 7) for i in range(40)]})\n"
        "try:\n"
        "    get('argn')(max_epochs=1).fit(data)\n"
        "except MissingDependencyError as exc:\n"
        "    assert \"pip install 'synthcraft[deep]'\" in str(exc), str(exc)\n"
        "else:\n"
        "    raise SystemExit('no error')\n"
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_memory_estimated_before_training(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    from synthcraft.errors import ResourceError
    from synthcraft.synthesizers import _argn_net

    data = _linked(seed, 300)
    small = _argn_net.TrainConfig(16, 128, 1, 512, 1e-3, 0.1, 6, None, "cpu")
    big = _argn_net.TrainConfig(64, 1024, 1, 512, 1e-3, 0.1, 6, None, "cpu")
    assert _argn_net.estimate_bytes(300, [30, 30], big) > _argn_net.estimate_bytes(
        300, [30, 30], small
    )
    monkeypatch.setattr(_argn_net, "_available_bytes", lambda device: 2**20)
    with pytest.raises(ResourceError, match="lower batch_size"):
        ArgnSynthesizer(max_epochs=1, hidden=1024, seed=seed).fit(data)


def test_level_columns_keep_their_exact_values(tmp_path: Path, seed: int) -> None:
    """Computed floats (knots to mph) sit one ulp off their decimals; samples keep the bits."""
    rng = np.random.default_rng(seed)
    speed = rng.integers(0, 12, 600) * 1.15078
    data = pd.DataFrame({"speed": speed, "y": np.where(speed > 6, "a", "b")})
    from synthcraft import metadata as md_api

    md = md_api.detect(data)
    assert md["speed"].decimals is not None  # detected as 5 decimals despite the float error
    synth = ArgnSynthesizer(max_epochs=2, seed=seed).fit(data, md)
    real = set(np.unique(speed).tolist())
    assert set(synth.sample(500, seed=1)["speed"].tolist()) <= real
    loaded = persistence.load(persistence.save(synth, tmp_path / "m.synth"))
    assert set(loaded.sample(500, seed=1)["speed"].tolist()) <= real

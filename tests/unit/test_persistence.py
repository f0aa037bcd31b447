"""Model files: round trip, privacy of what is stored, and every refusal when loading."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from synthcraft import persistence
from synthcraft.errors import ModelFileError, NotFittedError, OutputExistsError, UserInputError
from synthcraft.metadata import Column, ColumnKind, Metadata
from synthcraft.synthesizers import GaussianCopulaSynthesizer, IndependentSynthesizer
from synthcraft.testing import mixed_frame

RARE = "ZEBRA_RARE_CATEGORY"
LOW, HIGH = -1234.5678125, 98765.4321875
BIG_INT = 7_777_777


def _secret_frame(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, Metadata]:
    rng = np.random.default_rng(seed)
    value = rng.normal(50.0, 10.0, n)
    value[3], value[7] = LOW, HIGH
    count = rng.integers(10, 90, n)
    count[11] = BIG_INT
    colour = rng.choice(np.array(["red", "green", "blue"], dtype=object), n)
    colour[[2, 5]] = RARE
    frame = pd.DataFrame(
        {
            "value": value,
            "count": pd.array(count, dtype="Int64"),
            "colour": pd.Series(colour, dtype="str"),
        }
    )
    md = Metadata(
        (
            Column("value", ColumnKind.FLOAT, "float64"),
            Column("count", ColumnKind.INTEGER, "Int64"),
            Column(
                "colour", ColumnKind.CATEGORICAL, "str", categories=("red", "green", "blue", RARE)
            ),
        )
    )
    return frame, md


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GaussianCopulaSynthesizer]:
    frame, md = mixed_frame(200, seed=5)
    model = GaussianCopulaSynthesizer(seed=0).fit(frame, md)
    path = tmp_path_factory.mktemp("models") / "model.synth"
    persistence.save(model, path, extra={"command": "synthcraft fit"})
    return path, model


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _with_manifest(path: Path, target: Path, **changes: Any) -> Path:
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    manifest.update(changes)
    members["manifest.json"] = json.dumps(manifest).encode()
    return _write(target, members)


def test_round_trip_gives_the_same_rows(saved: tuple) -> None:
    path, model = saved
    loaded = persistence.load(path)
    assert type(loaded) is GaussianCopulaSynthesizer
    assert loaded.get_params() == model.get_params()
    assert loaded.metadata_ == model.metadata_
    pd.testing.assert_frame_equal(loaded.sample(500, seed=3), model.sample(500, seed=3))


def test_manifest_describes_the_model(saved: tuple) -> None:
    path, model = saved
    manifest = persistence.read_manifest(path)
    assert manifest["format_version"] == persistence.FORMAT_VERSION
    assert manifest["class"] == "copula"
    assert manifest["seed"] == 0
    assert manifest["settings"]["max_fit_rows"] == 100_000
    assert Metadata.from_dict(manifest["metadata"]) == model.metadata_
    assert manifest["training_summary"]["rows"] == 200
    assert manifest["extra"] == {"command": "synthcraft fit"}
    assert manifest["library_version"]
    names = set(_members(path))
    assert names == {"manifest.json"} | {f"arrays/{a['key']}.npy" for a in manifest["arrays"]}


def test_the_file_is_deterministic(saved: tuple, tmp_path: Path) -> None:
    path, model = saved
    again = persistence.save(model, tmp_path / "again.synth", extra={"command": "synthcraft fit"})
    assert again.read_bytes() == path.read_bytes()


def test_independent_model_round_trip(tmp_path: Path) -> None:
    frame, md = mixed_frame(150, seed=2)
    model = IndependentSynthesizer(seed=1).fit(frame, md)
    loaded = persistence.load(persistence.save(model, tmp_path / "ind.synth"))
    pd.testing.assert_frame_equal(loaded.sample(100, seed=0), model.sample(100, seed=0))


def test_save_refuses_to_overwrite_unfitted_and_bad_extra(saved: tuple, tmp_path: Path) -> None:
    path, model = saved
    with pytest.raises(OutputExistsError):
        persistence.save(model, path)
    persistence.save(model, path, overwrite=True)
    with pytest.raises(NotFittedError):
        persistence.save(IndependentSynthesizer(), tmp_path / "unfitted.synth")
    with pytest.raises(UserInputError, match="JSON"):
        persistence.save(model, tmp_path / "x.synth", extra={"bad": object()})
    assert not (tmp_path / "x.synth").exists()
    with pytest.raises(UserInputError, match="fitted synthesizer"):
        persistence.save("model", tmp_path / "y.synth")  # type: ignore[arg-type]


@pytest.mark.parametrize("model_cls", [IndependentSynthesizer, GaussianCopulaSynthesizer])
def test_rare_category_and_exact_extremes_are_not_in_the_file(
    model_cls: type, tmp_path: Path, seed: int
) -> None:
    frame, md = _secret_frame(seed=seed)
    path = persistence.save(model_cls(seed=0).fit(frame, md), tmp_path / "secret.synth")
    blob = b"".join(_members(path).values())
    assert RARE.encode() not in blob
    for number in (LOW, HIGH):
        assert repr(number).encode() not in blob
        assert np.float64(number).tobytes() not in blob
    assert str(BIG_INT).encode() not in blob
    assert np.int64(BIG_INT).tobytes() not in blob
    assert np.float64(BIG_INT).tobytes() not in blob


class _Evil:
    """Pickling this object would create a file when unpickled."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(self.target),))


def test_pickled_object_array_is_never_unpickled(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    marker = tmp_path / "pwned.txt"
    members = _members(path)
    manifest = json.loads(members["manifest.json"])
    entry = next(a for a in manifest["arrays"] if a["key"] == "model.corr")
    buffer = io.BytesIO()
    np.save(buffer, np.array([_Evil(str(marker))], dtype=object), allow_pickle=True)
    members["arrays/model.corr.npy"] = buffer.getvalue()
    entry.update(shape=[1], dtype="|O")
    members["manifest.json"] = json.dumps(manifest).encode()
    evil = _write(tmp_path / "evil.synth", members)
    with pytest.raises(ModelFileError, match="pickled objects"):
        persistence.load(evil)
    assert not marker.exists()


def test_pickle_member_is_refused_and_never_run(saved: tuple, tmp_path: Path) -> None:
    import pickle

    path, _ = saved
    marker = tmp_path / "pwned2.txt"
    members = _members(path)
    members["model.pkl"] = pickle.dumps(_Evil(str(marker)))
    evil = _write(tmp_path / "evil2.synth", members)
    with pytest.raises(ModelFileError, match=r"unexpected member 'model\.pkl'"):
        persistence.load(evil)
    assert not marker.exists()


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        persistence.load(tmp_path / "nope.synth")
    with pytest.raises(ModelFileError, match="is a folder"):
        persistence.load(tmp_path)
    with pytest.raises(ModelFileError, match="does not exist"):
        persistence.read_manifest(tmp_path / "nope.synth")


def test_random_bytes_are_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "noise.synth"
    path.write_bytes(np.random.default_rng(0).bytes(4_096))
    with pytest.raises(ModelFileError, match="not a zip archive"):
        persistence.load(path)


def test_truncated_file(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    data = path.read_bytes()
    short = tmp_path / "short.synth"
    short.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError):
        persistence.load(short)


def test_bad_crc_is_corrupt(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    members = _members(path)
    stored = tmp_path / "stored.synth"
    with zipfile.ZipFile(stored, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = bytearray(stored.read_bytes())
    offset = raw.index(b"\x93NUMPY") + 200  # inside the first array's data
    raw[offset] ^= 0xFF
    stored.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="corrupt"):
        persistence.load(stored)


def test_zip_without_manifest(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.synth", {"arrays/a.npy": b"x"})
    with pytest.raises(ModelFileError, match=r"no manifest\.json"):
        persistence.load(path)


@pytest.mark.parametrize("name", ["../escape.npy", "/etc/evil", "arrays/../../x", "C:/win.npy"])
def test_zip_slip_names_are_refused(saved: tuple, tmp_path: Path, name: str) -> None:
    path, _ = saved
    members = _members(path)
    members[name] = b"data"
    evil = _write(tmp_path / "slip.synth", members)
    with pytest.raises(ModelFileError, match="unsafe member name"):
        persistence.load(evil)


def test_suspicious_compression_ratio_is_refused(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    members = _members(path)
    members["arrays/bomb.npy"] = bytes(4 * 1024**2)
    bomb = _write(tmp_path / "bomb.synth", members)
    with pytest.raises(ModelFileError, match="suspiciously compressed"):
        persistence.load(bomb)


def test_unknown_class(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    other = _with_manifest(path, tmp_path / "other.synth", **{"class": "ctgan_v9"})
    with pytest.raises(ModelFileError, match="unknown model 'ctgan_v9'"):
        persistence.load(other)


def test_newer_major_version_is_refused_and_minor_versions_load(
    saved: tuple, tmp_path: Path
) -> None:
    path, model = saved
    newer = _with_manifest(path, tmp_path / "newer.synth", format_version="2.0")
    with pytest.raises(ModelFileError, match="upgrade synthcraft"):
        persistence.load(newer)
    with pytest.raises(ModelFileError, match="upgrade synthcraft"):
        persistence.read_manifest(newer)
    for version in ("0.9", "1.3"):
        minor = _with_manifest(path, tmp_path / f"v{version}.synth", format_version=version)
        pd.testing.assert_frame_equal(
            persistence.load(minor).sample(20, seed=1), model.sample(20, seed=1)
        )
    bad = _with_manifest(path, tmp_path / "bad.synth", format_version="one")
    with pytest.raises(ModelFileError, match="malformed format_version"):
        persistence.load(bad)


def test_tampered_state_is_a_clear_error(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    broken = _with_manifest(path, tmp_path / "broken.synth", state={})
    with pytest.raises(ModelFileError, match="invalid state"):
        persistence.load(broken)
    members = _members(path)
    members["manifest.json"] = b"{not json"
    with pytest.raises(ModelFileError, match="not valid JSON"):
        persistence.load(_write(tmp_path / "nojson.synth", members))


def test_array_not_matching_its_manifest_entry(saved: tuple, tmp_path: Path) -> None:
    path, _ = saved
    members = _members(path)
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3), allow_pickle=False)
    members["arrays/model.corr.npy"] = buffer.getvalue()
    with pytest.raises(ModelFileError, match="does not match"):
        persistence.load(_write(tmp_path / "shape.synth", members))

"""Model files (``.synth``): save and load fitted synthesizers without pickle.

A model file is a zip archive holding

* ``manifest.json``: ``format_version``, the registry ``class`` name, ``settings``, the
  privatised ``metadata``, ``library_version``, the fit ``seed``, the ``training_summary``, the
  rest of the model's JSON ``state``, the list of ``arrays`` (key, shape, dtype) and any
  caller-supplied ``extra``;
* ``arrays/<key>.npy``: one numpy array per key, written with ``allow_pickle=False``.

Loading never executes code from the file: arrays are read with ``allow_pickle=False`` and the
class is looked up in the registry by name. A file is refused, with a
:class:`~synthcraft.errors.ModelFileError` saying why, when it is missing or a folder, not a
zip, corrupt (bad CRC, truncated), without a manifest, has member names that escape the archive
(``../x``, absolute paths), oversized or suspiciously compressed members, unexpected members,
an unknown class, or a newer major format version. Older minor versions load.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft._files import atomic_path
from synthcraft.errors import ModelFileError, NotFittedError, SynthcraftError, UserInputError
from synthcraft.synthesizers import BaseSynthesizer, get, list_synthesizers

__all__ = ["FORMAT_VERSION", "load", "read_manifest", "save"]

FORMAT_VERSION = "1.0"
"""Version written into every model file; a newer major version is refused on load."""

MANIFEST = "manifest.json"
MAX_MEMBER_BYTES = 2 * 1024**3
"""Largest uncompressed size of one member (2 GiB)."""
MAX_TOTAL_BYTES = 8 * 1024**3
"""Largest uncompressed size of all members together."""
MAX_MANIFEST_BYTES = 64 * 1024**2
MAX_RATIO = 200
"""Members above :data:`RATIO_FLOOR` bytes may not expand more than this (zip bombs)."""
RATIO_FLOOR = 1024**2
_KEY = re.compile(r"[A-Za-z0-9_.-]{1,128}")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise UserInputError(f"{what} cannot be stored as JSON ({exc}); use plain values") from None


def _member(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def save(
    synth: BaseSynthesizer,
    path: str | Path,
    *,
    overwrite: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Save a fitted synthesizer as a model file, atomically.

    Parameters
    ----------
    synth : BaseSynthesizer
        A fitted, registered synthesizer.
    path : str or Path
        The file to write (by convention ending in ``.synth``).
    overwrite : bool
        Replace an existing file.
    extra : mapping, optional
        JSON-ready information stored under ``extra`` in the manifest.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> save(model, "model.synth")  # doctest: +SKIP
    PosixPath('model.synth')
    """
    from synthcraft import __version__

    if not isinstance(synth, BaseSynthesizer):
        raise UserInputError(f"save needs a fitted synthesizer, got {type(synth).__name__}")
    name = type(synth).registry_name
    if not name or name not in list_synthesizers() or get(name) is not type(synth):
        raise UserInputError(
            f"{type(synth).__name__} is not registered; decorate it with @register(name) to save it"
        )
    if "metadata_" not in vars(synth):
        raise NotFittedError(f"this {type(synth).__name__} is not fitted yet; call fit before save")
    state, arrays = synth.get_state()
    listed = []
    for key, array in arrays.items():
        if not _KEY.fullmatch(key):
            raise ModelFileError(f"array key {key!r} is not a safe file name; use letters, digits")
        array = np.asarray(array)
        if array.dtype.hasobject:
            raise ModelFileError(f"array {key!r} holds Python objects; store numbers or strings")
        listed.append({"key": key, "shape": list(array.shape), "dtype": array.dtype.str})
    rest = {k: v for k, v in state.items() if k not in _TOP_LEVEL}
    manifest = {
        "format_version": FORMAT_VERSION,
        "class": name,
        "library_version": __version__,
        "settings": state["settings"],
        "metadata": state["metadata"],
        "seed": state["fit_seed"],
        "training_summary": state["training_summary"],
        "state": rest,
        "arrays": listed,
        "extra": dict(extra) if extra is not None else {},
    }
    text = _json(manifest, "the model state or extra")
    with atomic_path(Path(path), overwrite=overwrite) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        _member(zf, MANIFEST, text.encode("utf-8"))
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, np.asarray(array), allow_pickle=False)
            _member(zf, f"arrays/{key}.npy", buffer.getvalue())
    return Path(path)


_TOP_LEVEL = {"settings", "metadata", "fit_seed", "training_summary"}


def _refuse(path: Path, why: str) -> ModelFileError:
    return ModelFileError(f"model file {str(path)!r} {why}")


def _open(path: Path) -> zipfile.ZipFile:
    if not path.exists():
        raise _refuse(path, "does not exist; check the path")
    if path.is_dir():
        raise _refuse(path, "is a folder; give the .synth file inside it")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _refuse(
            path, "is not a synthcraft model (not a zip archive); save a model with fit -o"
        ) from None
    try:
        _check_members(path, zf)
    except BaseException:
        zf.close()
        raise
    return zf


def _check_members(path: Path, zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        name = info.filename
        parts = PurePosixPath(name).parts
        if (
            not name
            or name.startswith(("/", "\\"))
            or "\\" in name
            or re.match(r"[A-Za-z]:", name)
            or ".." in parts
            or "\x00" in name
        ):
            raise _refuse(path, f"has an unsafe member name {name!r}; it was not loaded")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse(path, f"has a member {name!r} over 2 GiB; it was not loaded")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(path, f"has a suspiciously compressed member {name!r}; it was not loaded")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _refuse(path, "expands to more than 8 GiB; it was not loaded")


def _read(path: Path, zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as fh:
            data = fh.read(limit + 1)
    except KeyError:
        raise _refuse(path, f"has no {name}; it is not a synthcraft model") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse(path, f"is corrupt ({exc}); save the model again") from None
    if len(data) > limit:
        raise _refuse(path, f"has a member {name!r} larger than it declares; it was not loaded")
    return data


def _manifest(path: Path, zf: zipfile.ZipFile) -> dict[str, Any]:
    if MANIFEST not in zf.namelist():
        raise _refuse(path, f"has no {MANIFEST}; it is not a synthcraft model")
    raw = _read(path, zf, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse(path, f"has a {MANIFEST} that is not valid JSON; save it again") from None
    if not isinstance(manifest, dict):
        raise _refuse(path, f"has a {MANIFEST} that is not a JSON object")
    version = str(manifest.get("format_version", ""))
    match = re.fullmatch(r"(\d+)\.(\d+)", version)
    if match is None:
        raise _refuse(path, f"has a malformed format_version {version!r}")
    if int(match.group(1)) > int(FORMAT_VERSION.split(".")[0]):
        raise _refuse(
            path,
            f"has format version {version}, newer than this synthcraft reads "
            f"({FORMAT_VERSION}); upgrade synthcraft",
        )
    return manifest


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The checked manifest of a model file, without loading its arrays.

    Raises
    ------
    ModelFileError
        If the file is missing, not a model file, unsafe or of a newer major version.
    """
    p = Path(path)
    with _open(p) as zf:
        return _manifest(p, zf)


def _arrays(path: Path, zf: zipfile.ZipFile, listed: Any) -> dict[str, npt.NDArray[Any]]:
    if not isinstance(listed, list):
        raise _refuse(path, "has a malformed array list in its manifest")
    arrays: dict[str, npt.NDArray[Any]] = {}
    for entry in listed:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not _KEY.fullmatch(key) or key in arrays:
            raise _refuse(path, f"lists an invalid array key {key!r}")
        raw = _read(path, zf, f"arrays/{key}.npy", MAX_MEMBER_BYTES)
        try:
            array = np.load(io.BytesIO(raw), allow_pickle=False)
        except ValueError as exc:
            reason = "holds pickled objects" if "pickle" in str(exc) else f"is unreadable ({exc})"
            raise _refuse(path, f"array {key!r} {reason}; refusing to load it") from None
        except (OSError, EOFError) as exc:
            raise _refuse(path, f"array {key!r} is unreadable ({exc})") from None
        if not isinstance(array, np.ndarray):
            if hasattr(array, "close"):
                array.close()
            raise _refuse(path, f"array {key!r} is not a .npy array; refusing to load it")
        if list(array.shape) != entry.get("shape") or array.dtype.str != entry.get("dtype"):
            raise _refuse(path, f"array {key!r} does not match its manifest entry")
        arrays[key] = array
    return arrays


def load(path: str | Path) -> BaseSynthesizer:
    """Load a model file saved by :func:`save` (never executes code from the file).

    Raises
    ------
    ModelFileError
        If the file is missing, corrupt, unsafe, of an unknown class or a newer major version.

    Examples
    --------
    >>> model = load("model.synth")  # doctest: +SKIP
    >>> frame = model.sample(1_000, seed=0)  # doctest: +SKIP
    """
    p = Path(path)
    with _open(p) as zf:
        manifest = _manifest(p, zf)
        expected = {MANIFEST} | {
            f"arrays/{e.get('key')}.npy"
            for e in manifest.get("arrays") or []
            if isinstance(e, dict)
        }
        unexpected = sorted(n for n in zf.namelist() if n not in expected and not n.endswith("/"))
        if unexpected:
            raise _refuse(
                p, f"has an unexpected member {unexpected[0]!r}; it may have been tampered with"
            )
        arrays = _arrays(p, zf, manifest.get("arrays"))
    name = manifest.get("class")
    if not isinstance(name, str) or name not in list_synthesizers():
        known = ", ".join(list_synthesizers())
        raise _refuse(p, f"holds an unknown model {name!r}; this synthcraft knows: {known}")
    state = dict(manifest.get("state") or {})
    state.update(
        settings=manifest.get("settings"),
        metadata=manifest.get("metadata"),
        fit_seed=manifest.get("seed"),
        training_summary=manifest.get("training_summary"),
    )
    try:
        return get(name).from_state(state, arrays)
    except SynthcraftError as exc:
        raise _refuse(p, f"has an invalid state ({exc}); save the model again") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise _refuse(p, f"has an invalid state ({type(exc).__name__}: {exc})") from None

"""The registry of synthesizers by name (``"copula"``), used by the API, CLI and persistence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from synthcraft.errors import UserInputError

if TYPE_CHECKING:
    from synthcraft.synthesizers._base import BaseSynthesizer

__all__ = ["describe", "get", "list_synthesizers", "register"]

_REGISTRY: dict[str, type[BaseSynthesizer]] = {}

S = TypeVar("S", bound="type[BaseSynthesizer]")


def register(name: str) -> Callable[[S], S]:
    """Class decorator: register a synthesizer under ``name`` (lower case, no spaces).

    Examples
    --------
    >>> @register("my_model")  # doctest: +SKIP
    ... class MyModel(BaseSynthesizer): ...
    """
    if not isinstance(name, str) or not name or name != name.strip().lower() or " " in name:
        raise UserInputError(f"synthesizer name {name!r} must be lower case without spaces")

    def decorate(cls: S) -> S:
        known = _REGISTRY.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise UserInputError(
                f"a synthesizer named {name!r} is already registered ({known.__qualname__}); "
                "choose another name"
            )
        cls.registry_name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def get(name: str) -> type[BaseSynthesizer]:
    """The synthesizer class registered as ``name``.

    Raises
    ------
    UserInputError
        If no synthesizer has that name; the message lists the known names.
    """
    key = name.strip().lower() if isinstance(name, str) else name
    try:
        return _REGISTRY[key]
    except (KeyError, TypeError):
        known = ", ".join(list_synthesizers()) or "(none)"
        raise UserInputError(f"unknown model {name!r}; use one of: {known}") from None


def list_synthesizers() -> list[str]:
    """Names of every registered synthesizer, sorted."""
    return sorted(_REGISTRY)


def describe(name: str) -> str:
    """One line saying what the synthesizer ``name`` does (for ``synthcraft list models``)."""
    cls = get(name)
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0].strip() if doc else cls.__name__

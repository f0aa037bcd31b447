"""Synthesizers: models fitted to a real table that sample synthetic rows.

Importing this package registers the built-in models (``independent``, ``copula``, ``cart``,
``bayesnet``, ``argn``); look them up by name with :func:`get` and list them with
:func:`list_synthesizers`.

Examples
--------
>>> from synthcraft.synthesizers import get, list_synthesizers
>>> "copula" in list_synthesizers()
True
>>> get("copula").__name__
'GaussianCopulaSynthesizer'
"""

from synthcraft.synthesizers._base import BaseSynthesizer
from synthcraft.synthesizers._registry import describe, get, list_synthesizers, register
from synthcraft.synthesizers._tags import Tags
from synthcraft.synthesizers.argn import ArgnSynthesizer
from synthcraft.synthesizers.bayesnet import BayesNetSynthesizer
from synthcraft.synthesizers.cart import CartSynthesizer
from synthcraft.synthesizers.copula import GaussianCopulaSynthesizer
from synthcraft.synthesizers.independent import IndependentSynthesizer

__all__ = [
    "ArgnSynthesizer",
    "BaseSynthesizer",
    "BayesNetSynthesizer",
    "CartSynthesizer",
    "GaussianCopulaSynthesizer",
    "IndependentSynthesizer",
    "Tags",
    "describe",
    "get",
    "list_synthesizers",
    "register",
]

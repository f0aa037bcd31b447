"""Reversible encoders per column kind: a table to floats for models, and back.

Each :class:`Encoder` fits one column and maps it to a 2-D float64 array and back to the
column's dtype; :class:`TableEncoder` puts one encoder per column side by side. Numbers,
datetimes, booleans, categories and text round-trip exactly; ids and PII encode to nothing and
decode to new values that share none with the fitted ones. State is JSON plus numpy arrays
(:meth:`Encoder.get_state` / :meth:`Encoder.from_state`), never pickle.

Examples
--------
>>> import pandas as pd
>>> from synthcraft.metadata import Column, ColumnKind, Metadata
>>> df = pd.DataFrame({"age": pd.array([30, None, 41], dtype="Int64")})
>>> md = Metadata((Column("age", ColumnKind.INTEGER, "Int64"),))
>>> enc = TableEncoder().fit(df, md)
>>> enc.output_names
['age', 'age.missing']
>>> enc.inverse_transform(enc.transform(df)).equals(df)
True
"""

from synthcraft.transforms._base import Encoder, registered_encoders
from synthcraft.transforms._boolean import BooleanEncoder
from synthcraft.transforms._categorical import CategoricalEncoder
from synthcraft.transforms._datetime import DatetimeEncoder
from synthcraft.transforms._identity import IdEncoder
from synthcraft.transforms._numeric import NumericEncoder
from synthcraft.transforms._pii import PiiEncoder
from synthcraft.transforms._table import DEFAULT_ENCODERS, TableEncoder, encoder_for
from synthcraft.transforms._text import TextEncoder

__all__ = [
    "BooleanEncoder",
    "CategoricalEncoder",
    "DEFAULT_ENCODERS",
    "DatetimeEncoder",
    "Encoder",
    "IdEncoder",
    "NumericEncoder",
    "PiiEncoder",
    "TableEncoder",
    "TextEncoder",
    "encoder_for",
    "registered_encoders",
]

"""Exact nearest neighbours in feature space, with queries processed in bounded chunks."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

__all__ = ["CHUNK_ROWS", "nearest"]

CHUNK_ROWS = 5_000
"""Query rows per chunk; bounds the memory of one neighbour search."""


def nearest(
    reference: np.ndarray, queries: np.ndarray, k: int = 1, *, chunk_rows: int = CHUNK_ROWS
) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distances and positions of the ``k`` nearest ``reference`` rows of each query.

    The search runs on chunks of ``chunk_rows`` queries. Distances of the neighbours found are
    recomputed exactly from the coordinates (no ``|a|² - 2ab + |b|²`` rounding), so an exact copy
    is at distance 0 and equal distances compare equal; each row is sorted by distance, then
    position.

    Parameters
    ----------
    reference : ndarray of shape (n, d)
        Rows to search among; ``n >= k``.
    queries : ndarray of shape (m, d)
        Rows to find neighbours for.
    k : int
        Neighbours per query.
    chunk_rows : int
        Queries per search call.

    Returns
    -------
    distances, positions : ndarray of shape (m, k)
    """
    if reference.shape[0] < k:
        raise ValueError(f"need at least {k} reference rows, got {reference.shape[0]}")
    index = NearestNeighbors(n_neighbors=k).fit(reference)
    m = queries.shape[0]
    distances = np.empty((m, k))
    positions = np.empty((m, k), dtype=np.int64)
    for start in range(0, m, chunk_rows):
        stop = min(start + chunk_rows, m)
        chunk = queries[start:stop]
        found = np.asarray(index.kneighbors(chunk, return_distance=False), dtype=np.int64)
        diff = reference[found] - chunk[:, None, :]
        dist = np.sqrt(np.einsum("ikd,ikd->ik", diff, diff))
        order = np.lexsort((found, dist), axis=-1)
        distances[start:stop] = np.take_along_axis(dist, order, axis=1)
        positions[start:stop] = np.take_along_axis(found, order, axis=1)
    return distances, positions

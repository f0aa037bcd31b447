"""The sampling engine: fixed seeded blocks, worker processes and streaming output.

The same seed gives the same rows on any number of workers, and the first ``k`` rows of a
sample of ``n`` equal a sample of ``k`` (see :mod:`synthcraft._rng`).
"""

from synthcraft.engine._blocks import check_n_rows, check_workers
from synthcraft.engine._sample import sample_frame, sample_to_file

__all__ = ["check_n_rows", "check_workers", "sample_frame", "sample_to_file"]

"""The Gaussian copula of correlation blocks and the quantile functions of spec columns."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from synthcraft.errors import SpecError
from synthcraft.spec._copula import (
    GaussianCopula,
    Quantile,
    nearest_correlation,
    spearman_to_pearson,
    step_index,
)
from synthcraft.spec._model import Distribution

P_MIN = 1e-6  # KS p-values below this fail: negligible for a correct sampler, any seed


def _dist(family: str, discrete: bool = False, **params: float) -> Distribution:
    return Distribution(family, params, discrete)


def test_spearman_to_pearson_is_the_normal_score_map() -> None:
    out = spearman_to_pearson([[1, 0.3], [0.3, 1]])
    assert out[0, 1] == pytest.approx(2 * np.sin(np.pi * 0.3 / 6))
    assert out.diagonal().tolist() == [1.0, 1.0]


def test_nearest_correlation_repairs_invalid_and_keeps_valid() -> None:
    valid = np.array([[1.0, 0.4], [0.4, 1.0]])
    assert np.array_equal(nearest_correlation(valid), valid)
    bad = np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
    fixed = nearest_correlation(bad)
    assert np.linalg.eigvalsh(fixed).min() > 0
    np.testing.assert_allclose(fixed.diagonal(), 1.0)
    np.testing.assert_allclose(fixed, fixed.T)


def test_copula_reproduces_spearman_and_uniform_marginals(seed: int) -> None:
    target = np.array([[1, 0.5, -0.3], [0.5, 1, 0.1], [-0.3, 0.1, 1]])
    u = GaussianCopula(target).uniforms(np.random.default_rng(seed), 50_000)
    rho = stats.spearmanr(u).statistic
    np.testing.assert_allclose(rho, target, atol=0.03)
    for j in range(3):
        assert stats.kstest(u[:, j], "uniform").pvalue > P_MIN


def test_copula_of_a_singular_matrix_still_samples(seed: int) -> None:
    u = GaussianCopula([[1, 1], [1, 1]]).uniforms(np.random.default_rng(seed), 5_000)
    assert stats.spearmanr(u[:, 0], u[:, 1]).statistic > 0.99


def test_copula_rows_are_prefix_stable(seed: int) -> None:
    cop = GaussianCopula([[1, 0.6], [0.6, 1]])
    long = cop.normals(np.random.default_rng(seed), 1_000)
    short = cop.normals(np.random.default_rng(seed), 137)
    np.testing.assert_array_equal(long[:137], short)


def test_conditional_normals_follow_the_gaussian_conditional(seed: int) -> None:
    r = 0.7
    cop = GaussianCopula(spearman_to_pearson_inverse(r))
    n = 40_000
    fixed = np.full((n, 2), np.nan)
    fixed[: n // 2, 0] = 1.5  # first half conditioned, second half free
    z = cop.normals(np.random.default_rng(seed), n, fixed)
    given, free = z[: n // 2], z[n // 2 :]
    assert np.all(given[:, 0] == 1.5)
    assert given[:, 1].mean() == pytest.approx(r * 1.5, abs=0.03)
    assert given[:, 1].std() == pytest.approx(np.sqrt(1 - r**2), abs=0.03)
    assert np.corrcoef(free[:, 0], free[:, 1])[0, 1] == pytest.approx(r, abs=0.03)  # type: ignore[index]


def spearman_to_pearson_inverse(pearson: float) -> list[list[float]]:
    """The Spearman matrix whose Gaussian correlation is ``pearson``."""
    rho = 6 / np.pi * np.arcsin(pearson / 2)
    return [[1.0, rho], [rho, 1.0]]


@pytest.mark.parametrize("many", [False, True])
@pytest.mark.parametrize("right", [False, True])
def test_step_index_matches_searchsorted(seed: int, many: bool, right: bool) -> None:
    rng = np.random.default_rng(seed)
    edges = np.cumsum(rng.random(200 if many else 7))
    edges /= edges[-1]
    u = np.concatenate([rng.random(1_000), edges[:-1]])  # include exact edges
    expected = np.minimum(
        np.searchsorted(edges, u, side="right" if right else "left"), len(edges) - 1
    )
    np.testing.assert_array_equal(step_index(edges, u, right=right), expected)


@pytest.mark.parametrize(
    ("dist", "low", "high"),
    [
        (_dist("norm", loc=40.0, scale=12.0), 18.0, 90.0),
        (_dist("gamma", a=2.0, scale=3.0), None, 10.0),  # quantile table
        (_dist("beta", a=2.0, b=5.0), 0.1, None),  # quantile table
        (_dist("norm", loc=0.0, scale=1.0), 4.0, None),  # far upper tail: survival space
        (_dist("lognorm", s=0.5, scale=50.0), None, None),
    ],
)
def test_truncated_quantile_matches_the_truncated_law(
    seed: int, dist: Distribution, low: float | None, high: float | None
) -> None:
    q = Quantile(dist, low, high, path="x")
    x = q(np.random.default_rng(seed).random(20_000))
    if low is not None:
        assert x.min() >= low
    if high is not None:
        assert x.max() <= high
    frozen = getattr(stats, dist.family)(**dist.params)
    lo = frozen.cdf(low) if low is not None else 0.0
    hi = frozen.cdf(high) if high is not None else 1.0
    if low is not None and lo > 0.5:
        lo, hi = 1 - frozen.sf(low), 1.0
    assert stats.kstest(x, lambda v: (frozen.cdf(v) - lo) / (hi - lo)).pvalue > P_MIN


def test_discrete_quantile_is_exact_and_truncated(seed: int) -> None:
    q = Quantile(_dist("poisson", True, mu=3.0), 1.0, 6.0, path="x")
    x = q(np.random.default_rng(seed).random(30_000))
    assert set(np.unique(x)) <= {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    pmf = stats.poisson(3).pmf(np.arange(1, 7))
    counts = np.array([(x == k).sum() for k in range(1, 7)])
    assert stats.chisquare(counts, pmf / pmf.sum() * len(x)).pvalue > P_MIN


def test_quantile_to_uniform_inverts_it(seed: int) -> None:
    rng = np.random.default_rng(seed)
    q = Quantile(_dist("gamma", a=2.0, scale=3.0), 1.0, 20.0, path="x")
    u = rng.random(1_000)
    np.testing.assert_allclose(q.to_uniform(q(u), rng), u, atol=1e-4)
    d = Quantile(_dist("poisson", True, mu=3.0), None, None, path="x")
    x = d(rng.random(1_000))
    np.testing.assert_array_equal(d(d.to_uniform(x, rng)), x)


def test_truncation_without_probability_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match=r"x\.truncate: .* leaves no probability"):
        Quantile(_dist("uniform", loc=0.0, scale=1.0), 2.0, 3.0, path="x")

"""Drafting a spec from a real table: families, comments, privacy, parsing, round trip."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from synthcraft.errors import UserInputError
from synthcraft.metadata import detect
from synthcraft.pii import generate
from synthcraft.spec._draft import Draft, draft
from synthcraft.spec._fit_family import FAMILIES

N = 5_000


def make_frame(seed: int) -> pd.DataFrame:
    """A table with one column of every kind the draft handles."""
    rng = np.random.default_rng(seed)
    latent = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.6], [0.6, 1.0]], N)
    u = stats.norm.cdf(latent)
    weekdays = pd.bdate_range("2024-01-01", "2024-12-31")
    created = (
        weekdays[rng.integers(0, len(weekdays), N)]
        + pd.to_timedelta(rng.integers(9, 17, N), "h")
        + pd.to_timedelta(rng.integers(0, 3600, N), "s")
    )
    frame = pd.DataFrame(
        {
            "invoice": [f"INV-{i:06d}" for i in range(1, N + 1)],
            "height": rng.normal(170.0, 10.0, N).round(1),
            "income": stats.lognorm(0.8, scale=3000.0).ppf(u[:, 0]).round(2),
            "score": stats.norm(50.0, 10.0).ppf(u[:, 1]),
            "wait": rng.gamma(2.0, 3.0, N),
            "visits": rng.poisson(3.0, N),
            "segment": rng.choice(["retail", "business", "public"], N, p=[0.6, 0.3, 0.1]),
            "vip": rng.random(N) < 0.2,
            "created": created,
            "name": generate("full_name", N, rng, locale="de_DE"),
            "email": generate("email", N, rng),
        }
    )
    frame["income"] = frame["income"].where(rng.random(N) >= 0.05)
    return frame


@cache
def drafted(seed: int) -> tuple[pd.DataFrame, Draft]:
    frame = make_frame(seed)
    return frame, draft(frame, seed=seed)


def columns(result: Draft) -> dict[str, Any]:
    return dict(result.mapping["tables"]["data"]["columns"])


def chosen(result: Draft, column: str) -> Any:
    return next(f for f in result.fits if f.column == column and f.chosen)


def test_the_right_family_wins_for_clean_samples(seed: int) -> None:
    _, result = drafted(seed)
    height = chosen(result, "height")  # or a family that is normal in shape (t with a huge df)
    skew, kurtosis = getattr(stats, height.family)(**height.params).stats(moments="sk")
    assert height.family == "norm" or (abs(skew) < 0.2 and abs(kurtosis) < 0.2)
    assert chosen(result, "income").family == "lognorm"
    assert chosen(result, "wait").family == "gamma"
    visits = chosen(result, "visits")  # nbinom tends to poisson as n grows
    assert visits.family == "poisson" or (visits.family == "nbinom" and visits.params["n"] > 20)
    assert chosen(result, "income").params["s"] == pytest.approx(0.8, abs=0.05)
    cols = columns(result)
    assert cols["segment"]["categories"] == pytest.approx(
        {"retail": 0.6, "business": 0.3, "public": 0.1}, abs=0.03
    )
    assert cols["vip"] == {"type": "boolean", "p": pytest.approx(0.2, abs=0.03)}
    assert cols["visits"]["type"] == "integer"
    assert cols["height"]["decimals"] == 1


def test_every_fit_is_reported_with_aic_and_ks(seed: int) -> None:
    _, result = drafted(seed)
    for column in ("height", "income", "score", "wait", "visits"):
        fits = [f for f in result.fits if f.column == column]
        assert len(fits) >= 3
        assert sum(f.chosen for f in fits) == 1
        named = [f for f in fits if f.family != "categorical"]  # preferred to copied shares
        assert min(named, key=lambda f: f.aic).chosen
        assert all(0 <= f.ks_statistic <= 1 and 0 <= f.ks_pvalue <= 1 for f in fits)
        assert chosen(result, column).ks_statistic < 0.05
    frame, _ = drafted(seed)
    assert chosen(result, "income").n == frame["income"].notna().sum()


def test_comments_explain_each_choice(seed: int) -> None:
    _, result = drafted(seed)
    lines = result.text.splitlines()
    assert lines[0].startswith("# Draft spec for table 'data'")
    assert "5,000 rows" in lines[0]
    assert any("Edit freely" in line for line in lines[:4])
    income = lines.index("      income:")
    above = lines[lines.index("      height:") : income]
    comment = " ".join(line.strip()[2:] for line in above if line.strip().startswith("# "))
    assert "lognorm chosen by AIC" in comment
    assert "(next: " in comment
    assert "KS D=" in comment
    assert "on 4,7" in comment or "on 4,8" in comment  # the present values, about 95% of 5,000
    assert all(len(line) <= 100 for line in lines if line.lstrip().startswith("#"))
    assert any("strongest pairs: score~income" in line for line in lines)
    assert result.to_yaml() == result.text


def test_yaml_loads_to_the_mapping_and_parses(seed: int) -> None:
    _, result = drafted(seed)
    loaded = yaml.safe_load(result.text)
    assert loaded == result.mapping
    from synthcraft.spec._parse import parse

    spec = parse(loaded)
    table = spec.tables["data"]
    dtypes = {c.name: c.dtype for c in table.columns}
    assert dtypes["visits"] == "integer"
    assert dtypes["created"] == "datetime"
    assert dtypes["vip"] == "boolean"
    assert table.primary_key == ("invoice",)


def test_no_personal_value_appears_in_the_draft(seed: int) -> None:
    frame, result = drafted(seed)
    cols = columns(result)
    assert cols["name"]["pii"] == "full_name"
    assert cols["name"]["locale"] == "de_DE"
    assert cols["email"]["pii"] == "email"
    assert cols["email"]["locale"] == "en_US"
    for column in ("name", "email", "invoice"):
        for value in frame[column].unique():
            assert str(value) not in result.text, (column, value)


def test_ids_keep_their_format_not_their_values(seed: int) -> None:
    _, result = drafted(seed)
    assert columns(result)["invoice"] == {"type": "id", "format": "INV-{n:06d}"}
    assert result.mapping["tables"]["data"]["primary_key"] == "invoice"


def test_bounds_are_clipped_quantiles_not_extremes(seed: int) -> None:
    frame, result = drafted(seed)
    cols = columns(result)
    for column in ("height", "income", "wait", "score"):
        low, high = cols[column]["truncate"]
        values = frame[column].dropna()
        assert values.min() < low < values.quantile(0.01)
        assert values.quantile(0.99) < high < values.max()


def test_missing_share_and_correlation_match_the_frame(seed: int) -> None:
    frame, result = drafted(seed)
    cols = columns(result)
    assert cols["income"]["missing"] == pytest.approx(frame["income"].isna().mean(), abs=1e-4)
    assert "missing" not in cols["height"]
    block = result.mapping["tables"]["data"]["correlations"][0]
    names = block["columns"]
    matrix = np.asarray(block["matrix"])
    assert {"income", "score"} <= set(names)
    assert np.allclose(matrix, matrix.T)
    assert np.linalg.eigvalsh(matrix).min() > 0
    order = {v: i for i, v in enumerate(cols["segment"]["categories"])}  # coded as listed
    coded = frame.assign(segment=frame["segment"].map(order))[names].astype(float)
    expected = coded.corr(method="spearman").to_numpy()
    assert np.abs(matrix - expected).max() < 0.01
    assert matrix[names.index("income"), names.index("score")] == pytest.approx(0.58, abs=0.05)


def test_datetime_keeps_business_days_and_hours(seed: int) -> None:
    frame, result = drafted(seed)
    created = columns(result)["created"]
    assert created["type"] == "datetime"
    assert created["unit"] == "s"
    assert created["weekdays"][5:] == [0.0, 0.0]
    assert created["weekdays"][:5] == pytest.approx([0.2] * 5, abs=0.03)
    hours = created["hours"]
    assert all(w == 0 for h, w in enumerate(hours) if not 9 <= h < 17)
    assert sum(hours) == pytest.approx(1.0, abs=1e-3)
    start, end = pd.Timestamp(created["start"]), pd.Timestamp(created["end"])
    assert frame["created"].min() < start < end < frame["created"].max()


def test_rare_categories_are_pooled_and_never_written(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.choice(["red", "green", "blue"], 400).astype(object)
    values[:3] = ["Zanzibar-7", "Quokka-9", "Quokka-9"]
    result = draft(pd.DataFrame({"colour": values}), seed=seed)
    categories = columns(result)["colour"]["categories"]
    assert set(categories) == {"red", "green", "blue", "other"}
    assert categories["other"] == pytest.approx(3 / 400, abs=1e-4)
    assert "Zanzibar" not in result.text
    assert "Quokka" not in result.text
    assert "2 values seen in fewer than 5 rows pooled as 'other'" in result.text


def test_integers_with_an_odd_shape_become_categories(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shares = [0.3, 0.02, 0.02, 0.1, 0.1, 0.02, 0.04, 0.4]
    stars = rng.choice([1, 2, 3, 4, 5, 6, 7, 8], 3_000, p=shares)
    result = draft(pd.DataFrame({"stars": stars}), seed=seed)
    assert chosen(result, "stars").family == "categorical"
    pairs = columns(result)["stars"]["categories"]
    assert [v for v, _ in pairs] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert pairs[0][1] == pytest.approx(0.3, abs=0.03)


def test_a_shape_no_family_fits_is_said_so(seed: int) -> None:
    rng = np.random.default_rng(seed)
    bimodal = np.concatenate([rng.normal(0.0, 1.0, 2_000), rng.normal(8.0, 1.0, 2_000)])
    families = [f for f in FAMILIES if f != "histogram"]
    result = draft(pd.DataFrame({"x": bimodal}), seed=seed, families=families)
    assert "no family passes KS (p < 0.001 for all)" in result.text
    assert "D > 0.05: the shape is kept only roughly" in result.text
    assert "distribution" in columns(result)["x"]


def test_families_restrict_the_candidates(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(10.0, 2.0, 1_000)})
    result = draft(frame, seed=seed, families=["gamma", "uniform"])
    assert {f.family for f in result.fits} == {"gamma", "uniform"}
    assert columns(result)["x"]["distribution"]["family"] == "gamma"


def test_locale_and_name_source_are_guessed(seed: int) -> None:
    rng = np.random.default_rng(seed)
    names = generate("full_name", 500, rng, locale="en_GB")
    emails = [f"{n.split()[0].lower()}.{n.split()[-1].lower()}@example.org" for n in names]
    frame = pd.DataFrame(
        {
            "name": names,
            "email": emails,
            "phone": generate("phone", 500, rng, locale="de_DE"),
            "postcode": generate("postcode", 500, rng, locale="en_GB"),
        }
    )
    result = draft(frame, seed=seed)
    cols = columns(result)
    assert cols["email"]["from"] == "name"
    assert cols["phone"]["locale"] == "de_DE"
    assert cols["postcode"]["locale"] == "en_GB"
    for value in [*names, *emails]:
        assert value not in result.text


def test_names_become_identifiers_and_metadata_is_used(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"Sepal Length": rng.normal(5.0, 0.5, 300), "2nd": rng.random(300)})
    metadata = detect(frame)
    result = draft(frame, metadata, table="iris", seed=seed)
    assert list(result.mapping["tables"]["iris"]["columns"]) == ["Sepal_Length", "c_2nd"]
    assert "# named 'Sepal Length' in the source" in result.text


def test_same_seed_same_draft_and_progress_is_reported(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.exponential(2.0, 500), "b": rng.integers(0, 3, 500)})
    calls: list[tuple[int, int]] = []
    first = draft(frame, seed=seed, progress=lambda done, total: calls.append((done, total)))
    assert draft(frame, seed=seed).text == first.text
    assert calls == [(1, 2), (2, 2)]


def test_large_tables_are_fitted_on_a_sample(seed: int) -> None:
    rng = np.random.default_rng(seed)
    latent = rng.multivariate_normal([0.0, 0.0], [[1.0, -0.5], [-0.5, 1.0]], 30_000)
    frame = pd.DataFrame({"a": np.exp(latent[:, 0]), "b": latent[:, 1] * 4.0})
    frame["b"] = frame["b"].where(rng.random(30_000) >= 0.5)
    result = draft(frame, seed=seed, families=["lognorm", "norm", "gamma"])
    assert chosen(result, "a").n == 20_000
    assert chosen(result, "a").family == "lognorm"
    assert chosen(result, "b").n == frame["b"].notna().sum()
    block = result.mapping["tables"]["data"]["correlations"][0]
    expected = frame.corr(method="spearman").iloc[0, 1]
    assert block["matrix"][0][1] == pytest.approx(expected, abs=0.03)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"table": "my table"}, "not an identifier"),
        ({"families": ["normal_ish"]}, "unknown families"),
        ({"families": []}, "families is empty"),
        ({"families": "norm"}, "must be a list"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(UserInputError, match=message):
        draft(frame, **kwargs)


def test_bad_frame_or_metadata_is_refused() -> None:
    with pytest.raises(UserInputError, match="needs a pandas DataFrame"):
        draft([[1, 2]])  # type: ignore[arg-type]
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": ["a", "b"]})
    with pytest.raises(UserInputError, match="metadata does not describe"):
        draft(frame, detect(frame[["y", "x"]]))


def test_round_trip_keeps_marginals_and_ranks(seed: int) -> None:
    from synthcraft.spec._parse import parse
    from synthcraft.spec._sampler import TableSampler

    frame, result = drafted(seed)
    spec = parse(yaml.safe_load(result.text))
    synthetic = TableSampler(spec, "data").sample(20_000, seed=seed)
    for column in ("height", "income", "score", "wait", "visits"):
        real = frame[column].dropna().astype(float)
        fake = synthetic[column].dropna().astype(float)
        assert stats.ks_2samp(real, fake).statistic < 0.05, column
    for column in ("segment", "vip"):
        real_shares = frame[column].value_counts(normalize=True)
        fake_shares = synthetic[column].value_counts(normalize=True)
        for value, share in real_shares.items():
            assert abs(fake_shares.get(value, 0.0) - share) < 0.02, (column, value)
    for column in frame.columns:
        assert abs(synthetic[column].isna().mean() - frame[column].isna().mean()) < 0.01, column
    real_rho = frame[["income", "score"]].corr(method="spearman").iloc[0, 1]
    fake_rho = synthetic[["income", "score"]].astype(float).corr(method="spearman").iloc[0, 1]
    assert abs(real_rho - fake_rho) < 0.05

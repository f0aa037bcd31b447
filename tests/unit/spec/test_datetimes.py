"""Datetime columns: ranges, units, offset distributions, weekday/hour patterns, time zones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from synthcraft.errors import SpecError
from synthcraft.spec._columns import BlockState
from synthcraft.spec._datetimes import DatetimeDrawer, from_wall, to_wall
from synthcraft.spec._model import DatetimeGen, Distribution

P_MIN = 1e-6
START, END = datetime(2020, 1, 1), datetime(2024, 12, 31, 23, 59, 59)
BUSINESS_HOURS = tuple(1.0 if 9 <= h < 17 else 0.0 for h in range(24))


def _draw(seed: int, n: int, u: Any = None, **kw: Any) -> pd.DatetimeIndex:
    gen = DatetimeGen(start=kw.pop("start", START), end=kw.pop("end", END), **kw)
    drawer = DatetimeDrawer(gen, path="c")
    values = drawer.draw(BlockState(np.random.SeedSequence(seed), n, 0), (1,), None, u)
    return pd.DatetimeIndex(from_wall(values, gen.timezone))


def test_uniform_range_and_seconds(seed: int) -> None:
    t = _draw(seed, 20_000)
    assert t.min() >= pd.Timestamp(START)
    assert t.max() <= pd.Timestamp(END)
    assert (t.microsecond == 0).all()
    span = (pd.Timestamp(END) - pd.Timestamp(START)).total_seconds()
    share = (t - pd.Timestamp(START)).total_seconds() / span
    assert stats.kstest(share, "uniform").pvalue > P_MIN
    assert str(t.dtype) == "datetime64[us]"


def test_date_unit_gives_midnights_in_range(seed: int) -> None:
    t = _draw(seed, 5_000, start=datetime(2021, 3, 1, 12), end=datetime(2021, 3, 10), unit="D")
    assert (t == t.normalize()).all()
    assert t.min() >= pd.Timestamp("2021-03-02")
    assert t.max() <= pd.Timestamp("2021-03-10")
    assert len(t.unique()) == 9


def test_weekday_weights(seed: int) -> None:
    weights = (5.0, 5.0, 5.0, 5.0, 5.0, 1.0, 1.0)
    t = _draw(seed, 40_000, weekdays=weights)
    counts = np.bincount(t.day_of_week, minlength=7)
    expected = np.array(weights) / sum(weights) * len(t)
    assert stats.chisquare(counts, expected).pvalue > P_MIN
    business = _draw(seed, 5_000, weekdays=(1.0,) * 5 + (0.0, 0.0))
    assert business.day_of_week.max() <= 4


def test_hour_weights(seed: int) -> None:
    t = _draw(seed, 20_000, hours=BUSINESS_HOURS)
    assert t.hour.min() == 9
    assert t.hour.max() == 16
    counts = np.bincount(t.hour, minlength=24)[9:17]
    assert stats.chisquare(counts).pvalue > P_MIN


def test_offset_distribution_in_days(seed: int) -> None:
    dist = Distribution("expon", {"loc": 0.0, "scale": 200.0})
    t = _draw(seed, 20_000, distribution=dist, unit="us")
    days = (t - pd.Timestamp(START)).total_seconds() / 86_400
    span = (pd.Timestamp(END) - pd.Timestamp(START)).total_seconds() / 86_400
    frozen = stats.expon(scale=200)
    assert stats.kstest(days, lambda d: frozen.cdf(d) / frozen.cdf(span)).pvalue > P_MIN


def test_offset_distribution_with_weekdays(seed: int) -> None:
    dist = Distribution("expon", {"loc": 0.0, "scale": 30.0})
    t = _draw(seed, 20_000, distribution=dist, weekdays=(1.0,) * 5 + (0.0, 0.0))
    assert t.day_of_week.max() <= 4
    days = (t - pd.Timestamp(START)).total_seconds() / 86_400
    assert np.median(days) < 60  # the offsets keep their exponential shape


def test_timezone_localises_with_dst_rules(seed: int) -> None:
    # 2024-03-31 02:00-03:00 does not exist in Berlin; 2024-10-27 02:00-03:00 happens twice
    gap = _draw(
        seed,
        2_000,
        start=datetime(2024, 3, 31, 2),
        end=datetime(2024, 3, 31, 2, 59),
        timezone="Europe/Berlin",
    )
    assert str(gap.dtype) == "datetime64[us, Europe/Berlin]"
    assert (gap.hour == 3).all()
    assert (gap.tz_convert("UTC").hour == 1).all()
    twice = _draw(
        seed,
        2_000,
        start=datetime(2024, 10, 27, 2),
        end=datetime(2024, 10, 27, 2, 59),
        timezone="Europe/Berlin",
    )
    assert (twice.hour == 2).all()
    assert (twice.tz_convert("UTC").hour == 0).all()  # the earlier (summer-time) instant


def test_to_uniform_inverts_the_draw(seed: int) -> None:
    gen = DatetimeGen(start=START, end=END, hours=BUSINESS_HOURS, unit="us")
    drawer = DatetimeDrawer(gen, path="c")
    u = np.random.default_rng(seed).random(2_000)
    state = BlockState(np.random.SeedSequence(seed), len(u), 0)
    values = drawer.draw(state, (1,), None, u)
    back = drawer.to_uniform(values, np.random.default_rng(seed))
    np.testing.assert_allclose(back, u, atol=1e-9)


def test_wall_clock_round_trip() -> None:
    zoned = pd.to_datetime(pd.Series(["2024-06-01 12:00", None])).dt.tz_localize("Europe/Berlin")
    wall = to_wall(zoned, "Europe/Berlin")
    assert str(wall[0]) == "2024-06-01T12:00:00.000000"
    assert np.isnat(wall[1])
    assert str(pd.DatetimeIndex(from_wall(wall, "Europe/Berlin"))[0]) == "2024-06-01 12:00:00+02:00"


def test_empty_or_unweighted_ranges_are_spec_errors() -> None:
    with pytest.raises(SpecError, match="no 'D' instant"):
        DatetimeDrawer(
            DatetimeGen(start=datetime(2021, 1, 1, 1), end=datetime(2021, 1, 1, 5), unit="D"),
            path="c",
        )
    weekend = datetime(2024, 6, 1), datetime(2024, 6, 2, 23)  # Saturday and Sunday
    with pytest.raises(SpecError, match="positive weight"):
        DatetimeDrawer(
            DatetimeGen(start=weekend[0], end=weekend[1], weekdays=(1.0,) * 5 + (0.0, 0.0)),
            path="c",
        )

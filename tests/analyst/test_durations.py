"""Durations to a thing's first event, open-ended periods ("since March"), the highest
single value, which words spelling correction leaves alone, and values that repeat the
measure's name, mostly on the marketplace set."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.datasets import Dataset, DatasetStore
from tandem.apps.analyst.dictionary import parse as read_dictionary
from tandem.apps.analyst.english import inflects
from tandem.apps.analyst.linking import Link
from tandem.apps.analyst.parser import _without_measure_words, parse
from tandem.apps.analyst.periods import Window, windows
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.semantic import Dimension, Measure, SemanticModel

SET = Path(__file__).resolve().parents[2] / "eval" / "analyst" / "dev_marketplace"
sys.path.insert(0, str(SET))
from generate import generate  # type: ignore[import-not-found]  # noqa: E402

TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SemanticModel, Path]:
    folder = tmp_path_factory.mktemp("market")
    generate(folder / "csv")
    store = DatasetStore(folder / "store")
    files = [(p.name, p) for p in sorted((folder / "csv").glob("*.csv"))]
    dataset = store.create("t", "market", files)
    model = read_dictionary((SET / "dictionary.md").read_text(), "dictionary.md", dataset)
    return dataset, model, store.database("t", dataset.id)


def answer(
    market: tuple[Dataset, SemanticModel, Path], question: str
) -> tuple[Plan, list[tuple[Any, ...]]]:
    dataset, model, database = market
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    planned = parse(question, model, columns, TODAY)
    assert isinstance(planned, Plan), planned
    with duckdb.connect(str(database), read_only=True) as connection:
        return planned, connection.execute(Compiler(model, columns).sql(planned)).fetchall()


def gold(market: tuple[Dataset, SemanticModel, Path], sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(market[2]), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_days_to_a_things_first_event(market: tuple[Dataset, SemanticModel, Path]) -> None:
    plan, got = answer(
        market, "On average, how many days after signing up does a buyer place their first order?"
    )
    expected = gold(
        market,
        "SELECT AVG(date_diff('day', b.signup_date, f.first)) FROM buyers b JOIN (SELECT"
        " buyer_id, MIN(order_date) AS first FROM orders GROUP BY buyer_id) f USING (buyer_id)",
    )
    assert plan.measure is not None
    assert plan.measure.per
    assert got[0][0] == pytest.approx(expected[0][0])


def test_a_period_after_since_is_open_ended() -> None:
    found, _ = windows(" buyers who signed up since march 2024 ", TODAY)
    assert found == [Window(date(2024, 3, 1), date(9999, 1, 1), "since March 2024")]
    found, _ = windows(" orders before 2024 ", TODAY)
    assert found == [Window(date(1900, 1, 1), date(2024, 1, 1), "before 2024")]
    found, _ = windows(" orders in march 2024 ", TODAY)
    assert found == [Window(date(2024, 3, 1), date(2024, 4, 1), "March 2024")]


def test_the_highest_single_value(market: tuple[Dataset, SemanticModel, Path]) -> None:
    plan, got = answer(market, "What is the highest quantity?")
    assert plan.agg == "max"
    assert got == gold(market, "SELECT MAX(quantity) FROM orders")


def test_only_inflections_of_real_words_are_corrected() -> None:
    assert inflects("spent", "spend")
    assert inflects("taken", "take")
    assert not inflects("send", "spend")


def test_a_value_that_repeats_the_measures_name_picks_no_rows() -> None:
    cost = Measure("freight cost", "shipments", '"weight" * "rate"')
    level = Dimension("service level", "shipments", "service_level", "VARCHAR")
    links = [
        Link(3, 4, "spent", [("measure", cost)]),
        Link(9, 10, "freight", [("value", (level, "Freight"))]),
        Link(11, 12, "express", [("value", (level, "Express"))]),
    ]
    kept = _without_measure_words(links)
    assert [link.text for link in kept] == ["spent", "express"]

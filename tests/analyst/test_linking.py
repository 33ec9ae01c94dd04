"""Linking on a marketplace with a dictionary written in another style (bullet lists of
columns, a metrics table, "x and y mean z"): which unlinked words make the planner ask and
which it leaves out, spelling, "N or more", split person names, and join preferences."""

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
from tandem.apps.analyst.linking import Lexicon, distance
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Clarification, Plan
from tandem.apps.analyst.semantic import SemanticModel, propose

SET = Path(__file__).resolve().parents[2] / "eval" / "analyst" / "dev_marketplace"
sys.path.insert(0, str(SET))
from generate import generate  # noqa: E402

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


def plan_of(market: tuple[Dataset, SemanticModel, Path], question: str) -> Plan | Clarification:
    dataset, model, _ = market
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    planned = parse(question, model, columns, TODAY)
    assert planned is not None, question
    return planned


def rows(market: tuple[Dataset, SemanticModel, Path], question: str) -> list[tuple[Any, ...]]:
    dataset, model, database = market
    planned = plan_of(market, question)
    assert isinstance(planned, Plan), planned
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(Compiler(model, columns).sql(planned)).fetchall()


def gold(market: tuple[Dataset, SemanticModel, Path], sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(market[2]), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_the_dictionary_style_is_read(market: tuple[Dataset, SemanticModel, Path]) -> None:
    _, model, _ = market
    measures = {m.name: m for m in model.measures}
    assert measures["gmv"].expr == "quantity * item_price"
    assert "gross sales" in measures["gmv"].synonyms
    assert {"revenue", "spend", "takings"} <= set(measures["net sales"].synonyms)
    assert "average order value" in measures["aov"].synonyms
    assert measures["refund rate"].agg == "none"
    assert {s.name for s in model.segments} == {"cancelled order", "reviewed order"}
    sellers = model.entity("sellers")
    assert sellers is not None
    assert {"shops", "makers", "stores"} <= set(sellers.synonyms)
    joins = {(r.table, r.column, r.to_table) for r in model.relationships}
    assert ("listings", "seller_id", "sellers") in joins


@pytest.mark.parametrize(
    "question",
    [
        "Hi! could you pull how many orders came from buyers in Germany in 2024? thanks so much",
        "number of shops on the platform",
        "how many distinct buyers have ordered something?",
    ],
)
def test_chatty_words_are_left_out(
    market: tuple[Dataset, SemanticModel, Path], question: str
) -> None:
    planned = plan_of(market, question)
    assert isinstance(planned, Plan), planned


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("what's the churn rate of sellers", "churn"),
        ("average parcel weight by carrier", "parcel"),
        ("show me conversion rate by category", "conversion"),
        ("gmv for EMEA", "emea"),
        ("how many orders are pending", "pending"),
        ("how many pending orders", "pending"),
    ],
)
def test_words_where_a_name_must_be_are_asked_about(
    market: tuple[Dataset, SemanticModel, Path], question: str, term: str
) -> None:
    planned = plan_of(market, question)
    assert isinstance(planned, Clarification), planned.interpretation()
    assert term in planned.term
    assert planned.phrases


def test_left_out_words_are_in_the_interpretation(
    market: tuple[Dataset, SemanticModel, Path],
) -> None:
    planned = plan_of(market, "could you pull the number of orders in 2024 asap")
    assert isinstance(planned, Plan)
    assert "left out: asap" in planned.interpretation()


def test_misspellings_are_put_right(market: tuple[Dataset, SemanticModel, Path]) -> None:
    lexicon = Lexicon(market[1])
    assert lexicon.correct("totl net salse by categry") == "total net sales by category"
    assert lexicon.correct("thanks pull pending") == "thanks pull pending"
    assert distance("salse", "sales") == 1
    got = rows(market, "totl net salse by categry")
    want = gold(
        market,
        "SELECT l.category, sum(o.quantity * o.item_price - o.discount_amt) FROM orders o "
        "JOIN listings l USING (listing_id) GROUP BY 1 ORDER BY 2 DESC",
    )
    assert [(c, round(v, 2)) for c, v in got] == [(c, round(v, 2)) for c, v in want]


def test_n_or_more_is_a_threshold(market: tuple[Dataset, SemanticModel, Path]) -> None:
    got = rows(market, "how many orders got a rating of 4 or more")
    assert got == gold(market, "SELECT count(*) FROM orders WHERE review_stars >= 4")


def test_split_names_and_keys_are_shown(market: tuple[Dataset, SemanticModel, Path]) -> None:
    got = rows(market, "buyers with no orders in 2025")
    want = gold(
        market,
        "SELECT buyer_id, first_name, last_name FROM buyers WHERE buyer_id NOT IN "
        "(SELECT buyer_id FROM orders WHERE year(order_date) = 2025)",
    )
    assert sorted(got) == sorted(want)
    top = rows(market, "which buyer spent the most?")
    assert len(top) == 1
    assert len(top[0]) == 4  # buyer_id, first_name, last_name, the amount


def test_a_dimension_follows_the_thing_it_belongs_to(
    market: tuple[Dataset, SemanticModel, Path],
) -> None:
    planned = plan_of(market, "top 2 shops per country by gmv")
    assert isinstance(planned, Plan)
    assert planned.per_group is not None
    assert planned.per_group.table == "sellers"
    by_buyer = plan_of(market, "orders from buyers in Germany")
    assert isinstance(by_buyer, Plan)
    assert [c.table for c in by_buyer.conditions] == ["buyers"]


def test_last_month_is_a_period_not_the_last_event(
    market: tuple[Dataset, SemanticModel, Path],
) -> None:
    got = rows(market, "how many orders last month")
    assert got == gold(
        market,
        "SELECT count(*) FROM orders "
        "WHERE order_date >= '2025-05-01' AND order_date < '2025-06-01'",
    )


def test_top_n_groups_by_the_word_after_it(market: tuple[Dataset, SemanticModel, Path]) -> None:
    got = rows(market, "bottom 3 categories by number of orders")
    want = gold(
        market,
        "SELECT l.category, count(*) c FROM orders o JOIN listings l USING (listing_id) "
        "GROUP BY 1 ORDER BY c LIMIT 3",
    )
    assert got == want


def test_text_months_are_dates_and_periods_without_dates_are_asked(tmp_path: Path) -> None:
    (tmp_path / "payroll.csv").write_text(
        "emp_id,Pay Month,gross\n1,2024-01,100\n2,2024-02,200\n1,2025-01,150\n"
    )
    (tmp_path / "bonuses.csv").write_text("emp_id,amount\n1,10\n2,20\n")
    store = DatasetStore(tmp_path / "store")
    dataset = store.create(
        "t",
        "hr",
        [("payroll.csv", tmp_path / "payroll.csv"), ("bonuses.csv", tmp_path / "bonuses.csv")],
    )
    month = next(c for c in dataset.tables[0].columns if c.name == "Pay Month")
    assert month.type == "DATE"
    model = propose(dataset)
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    planned = parse("total gross in 2024", model, columns, TODAY)
    assert isinstance(planned, Plan)
    assert planned.time_column == ("payroll", "Pay Month")
    asked = parse("total amount in 2024", model, columns, TODAY)
    assert isinstance(asked, Clarification)
    assert "2024" in asked.message

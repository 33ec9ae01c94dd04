"""Definitions built on definitions, on a small florist: a measure's own rows (`WHERE`, "over
lines that were not refunded") carry into the measures defined from it, blanks count as "not",
shares of a measure and of a count, rolling periods ending today, and headers said without
their unit."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.datasets import Dataset, DatasetStore
from tandem.apps.analyst.dictionary import parse as read_dictionary
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.periods import windows
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.semantic import SemanticModel

TODAY = date(2025, 6, 30)

DICTIONARY = """# Petal & Stem

## lines (`lines.csv`)
| column | meaning |
| --- | --- |
| Order # | Order number; an order has one or more lines. |
| Order Date | Day of the order. |
| Channel | Shop or Web. |
| Kind | Bouquet or Plant. |
| Qty | Stems or pots sold. |
| Unit Price (EUR) | Price per unit. |
| Unit Cost (EUR) | What a unit cost us. |
| Refunded | Y when the line was refunded; blank means not refunded. |

## Definitions
- **Refunded lines** bring no sales: `Refunded = 'Y'`.
- **Net sales** means the value of lines that were not refunded :
  `net_sales = "Qty" * "Unit Price (EUR)" WHERE Refunded IS NULL`
- **Margin** means `margin = net_sales - "Qty" * "Unit Cost (EUR)"`.
- **Average order value** (AOV) means `aov = SUM(net_sales) / COUNT(DISTINCT "Order #")`.
- **Basket size** means `basket = SUM("Qty") / COUNT(DISTINCT "Order #")`, over lines that
  were not refunded.
"""

HEADER = [
    "Order #",
    "Order Date",
    "Channel",
    "Kind",
    "Qty",
    "Unit Price (EUR)",
    "Unit Cost (EUR)",
    "Refunded",
]
LINES = [
    ("O1", "2025-01-10", "Shop", "Bouquet", 2, 10.0, 4.0, ""),
    ("O1", "2025-01-10", "Shop", "Plant", 1, 20.0, 8.0, "Y"),
    ("O2", "2025-02-14", "Web", "Bouquet", 3, 10.0, 4.0, ""),
    ("O3", "2025-04-02", "Web", "Plant", 1, 20.0, 8.0, "Y"),
    ("O4", "2025-06-05", "Shop", "Plant", 2, 20.0, 8.0, ""),
    ("O5", "2025-06-20", "Web", "Bouquet", 1, 10.0, 4.0, ""),
]


@pytest.fixture(scope="module")
def florist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SemanticModel, Path]:
    folder = tmp_path_factory.mktemp("florist")
    path = folder / "lines.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(LINES)
    store = DatasetStore(folder / "store")
    dataset = store.create("t", "florist", [(path.name, path)])
    model = read_dictionary(DICTIONARY, "dictionary.md", dataset)
    return dataset, model, store.database("t", dataset.id)


def answer(florist: tuple[Dataset, SemanticModel, Path], question: str) -> list[tuple[Any, ...]]:
    dataset, model, database = florist
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    planned = parse(question, model, columns, TODAY)
    assert isinstance(planned, Plan), (question, planned)
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(Compiler(model, columns).sql(planned)).fetchall()
    return [tuple(round(v, 2) if isinstance(v, float) else v for v in row) for row in rows]


def test_a_measure_defined_with_where_counts_only_those_rows(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    # Refunded lines (O1's plant, O3) bring nothing: 20 + 30 + 40 + 10.
    assert answer(florist, "total net sales") == [(100.0,)]


def test_measures_built_on_a_filtered_measure_keep_its_rows(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    # Margin adds up (a difference of amounts), on the lines net sales counts: 100 - 40.
    margin = next(m for m in florist[1].measures if m.name == "margin")
    assert margin.agg == "sum"
    assert answer(florist, "total margin") == [(60.0,)]
    # AOV: net sales over the orders that have a line left (O3 was wholly refunded).
    assert answer(florist, "what is our aov?") == [(25.0,)]


def test_not_refunded_keeps_the_blank_rows(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    # 8 units over 4 orders; a plain NOT (Refunded = 'Y') would have dropped every blank.
    assert answer(florist, "average basket size") == [(2.0,)]


def test_the_share_of_a_measure_and_of_a_count(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    # Bouquets: 20 + 30 + 10 of 100 net sales.
    assert answer(florist, "what share of net sales comes from bouquets?") == [(60.0,)]
    rows = answer(florist, "split of net sales by channel, in %")
    assert sorted(rows) == [("Shop", 60.0), ("Web", 40.0)]


def test_rolling_periods_end_today() -> None:
    found, _ = windows("revenue over the past 12 months", TODAY)
    assert (found[0].start, found[0].end) == (date(2024, 7, 1), date(2025, 7, 1))
    found, _ = windows("orders in the last 30 days", TODAY)
    assert (found[0].start, found[0].end) == (date(2025, 6, 1), date(2025, 7, 1))


def test_rolling_period_and_quarters_of_one_year(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(florist, "net sales in the last 30 days") == [(50.0,)]
    # The quarter's label, then its number (the year is one, so it is not repeated).
    assert answer(florist, "net sales per quarter in 2025") == [("Q1", 1, 50.0), ("Q2", 2, 50.0)]


def test_a_header_is_said_without_its_unit(
    florist: tuple[Dataset, SemanticModel, Path],
) -> None:
    # "Unit Cost (EUR)" is "unit cost": an average per row, asked without the currency.
    assert answer(florist, "average unit cost") == [(6.0,)]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SemanticModel, Path]:
    """Customers, their orders, the deliveries of orders: no dictionary, keys inferred."""
    folder = tmp_path_factory.mktemp("shop")
    tables = {
        "customers": (
            ["customer_id", "name", "tier"],
            [
                ("C1", "Ann", "Gold"),
                ("C2", "Bo", "Silver"),
                ("C3", "Cy", "Gold"),
                ("C4", "Di", "Bronze"),
            ],
        ),
        "orders": (
            ["order_id", "customer_id", "order_date", "amount", "coupon"],
            [
                ("O1", "C1", "2025-01-05", 10.0, "SPRING"),
                ("O2", "C2", "2025-02-01", 20.0, ""),
                ("O3", "C1", "2025-03-09", 5.0, ""),
            ],
        ),
        "deliveries": (
            ["delivery_id", "order_id", "delivered_on"],
            [("D1", "O1", "2025-01-07"), ("D2", "O3", "2025-03-10")],
        ),
    }
    paths = []
    for name, (header, rows) in tables.items():
        path = folder / f"{name}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        paths.append(path)
    store = DatasetStore(folder / "store")
    dataset = store.create("t", "shop", [(p.name, p) for p in paths])
    from tandem.apps.analyst.semantic import propose

    return dataset, propose(dataset), store.database("t", dataset.id)


def test_how_many_different_values_of_a_column(
    shop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(shop, "how many different tiers are there?") == [(3,)]


def test_never_without_a_period_and_along_two_relationships(
    shop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # C3 and C4 never ordered; C2 ordered but nothing was ever delivered to them.
    assert answer(shop, "how many customers have never placed an order?") == [(2,)]
    assert answer(shop, "how many customers have never had a delivery?") == [(3,)]


def test_lines_without_a_date_are_dated_by_their_header(tmp_path: Path) -> None:
    rows = {
        "jobs": (
            ["job_id", "date_in", "bay"],
            [("J1", "2025-01-10", "A"), ("J2", "2025-02-03", "B"), ("J3", "2025-02-20", "A")],
        ),
        "job_lines": (
            ["line_id", "job_id", "hours", "labour_rate"],
            [
                ("L1", "J1", 2.0, 50.0),
                ("L2", "J2", 1.0, 50.0),
                ("L3", "J3", 3.0, 60.0),
                ("L4", "J3", 1.0, 60.0),
            ],
        ),
    }
    paths = []
    for name, (header, data) in rows.items():
        path = tmp_path / f"{name}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(data)
        paths.append(path)
    store = DatasetStore(tmp_path / "store")
    dataset = store.create("t", "garage", [(p.name, p) for p in paths])
    from tandem.apps.analyst.semantic import propose

    shop = (dataset, propose(dataset), store.database("t", dataset.id))
    assert answer(shop, "total hours in february 2025") == [(5.0,)]


def test_the_share_of_rows_with_a_column_filled_in(
    shop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(shop, "what percent of orders used a coupon?") == [(33.33,)]


def test_for_each_group_first_the_ranking_restarts_per_group(
    shop: tuple[Dataset, SemanticModel, Path],
) -> None:
    rows = answer(shop, "for each tier, which are the top 1 customers by total amount?")
    assert sorted(rows) == [("Gold", "C1", "Ann", 15.0), ("Silver", "C2", "Bo", 20.0)]

"""Reading a data dictionary as its author meant it, on a small theatre chain: formulas that
do not fit are left out and asked back about, measures scoped by what they count, synonyms
aimed at rows or at rows with a column filled in, and names with accents or a shared brand."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tandem.apps.analyst.charts import chart_spec, render_png
from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.datasets import Dataset, DatasetStore
from tandem.apps.analyst.dictionary import parse as read_dictionary
from tandem.apps.analyst.linking import tokens
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.sandbox import QueryResult
from tandem.apps.analyst.semantic import SemanticModel

TODAY = date(2025, 3, 31)

DICTIONARY = """# Stagelight Theatres

## venues (`venues.csv`)
| column | meaning |
| --- | --- |
| Venue ID | Venue code. |
| Venue Name | Name of the theatre. |
| Seats (#) | Seats in the house. |

## patrons (`patrons.csv`)
| column | meaning |
| --- | --- |
| Patron ID | Patron number. |
| Patron Name | Full name. |
| Friend Level | Friends scheme level: Bronze, Gold. Blank = not a friend. |

## tickets (`tickets.csv`)
| column | meaning |
| --- | --- |
| Ticket # | Ticket number. |
| Patron ID | Buyer (-> patrons."Patron ID"). |
| Venue ID | Where (-> venues."Venue ID"). |
| Show Date | Date of the performance. |
| Price (GBP) | Price paid. |
| State | Used, Refunded. |

## Definitions
- **Attendance** (also "admission") means a ticket with `State = 'Used'`.
- **Box office** (also "takings") means the price of admissions : `box_office = "Price (GBP)"`
- **Buyers** means distinct patrons; count them with `COUNT(DISTINCT "Patron ID")`, never
  `COUNT(*)` (that counts tickets).
- **Fill rate** means seats sold as a share of seats :
  `fill = COUNT(*) / (venues."Seats (#)" * shows_in_period)`

### Synonyms
- "seat", "booking" = a row of tickets
- "friends", "members" = patrons with a Friend Level
"""

VENUES = [
    ("V1", "Stagelight Grand Café", 300),
    ("V2", "Stagelight Riverside", 200),
    ("V3", "Stagelight Old Quay", 150),
]
PATRONS = [
    ("P1", "Ada Moss", "Gold"),
    ("P2", "Ben Lord", ""),
    ("P3", "Cy Hart", "Bronze"),
    ("P4", "Di Vale", ""),
]
TICKETS = [
    ("T1", "P1", "V1", "2025-01-05", 40.0, "Used"),
    ("T2", "P2", "V1", "2025-01-05", 35.0, "Refunded"),
    ("T3", "P3", "V2", "2025-02-10", 25.0, "Used"),
    ("T4", "P1", "V3", "2025-02-11", 30.0, "Used"),
    ("T5", "P4", "V1", "2025-03-02", 45.0, "Used"),
    ("T6", "P2", "V2", "2025-03-03", 20.0, "Used"),
]


def _write(path: Path, header: list[str], rows: list[tuple[Any, ...]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def theatre(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SemanticModel, Path]:
    folder = tmp_path_factory.mktemp("theatre")
    files = [
        _write(folder / "venues.csv", ["Venue ID", "Venue Name", "Seats (#)"], VENUES),
        _write(folder / "patrons.csv", ["Patron ID", "Patron Name", "Friend Level"], PATRONS),
        _write(
            folder / "tickets.csv",
            ["Ticket #", "Patron ID", "Venue ID", "Show Date", "Price (GBP)", "State"],
            TICKETS,
        ),
    ]
    store = DatasetStore(folder / "store")
    dataset = store.create("t", "theatre", [(p.name, p) for p in files])
    model = read_dictionary(DICTIONARY, "dictionary.md", dataset)
    return dataset, model, store.database("t", dataset.id)


def answer(theatre: tuple[Dataset, SemanticModel, Path], question: str) -> list[tuple[Any, ...]]:
    dataset, model, database = theatre
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    planned = parse(question, model, columns, TODAY)
    assert isinstance(planned, Plan), (question, planned)
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(Compiler(model, columns).sql(planned)).fetchall()


def test_a_formula_naming_what_the_data_lacks_is_skipped_with_its_reason(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    _, model, _ = theatre
    assert len(model.skipped) == 1
    assert "fill rate" in {model.skipped[0].name, *model.skipped[0].synonyms}
    assert "shows_in_period" in model.skipped[0].reason
    assert "fill rate" not in {m.name for m in model.measures}


def test_the_formula_is_the_one_that_names_columns_not_the_one_warned_against(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    buyers = next(m for m in theatre[1].measures if m.name == "buyers")
    assert buyers.agg == "count_distinct"
    assert answer(theatre, "how many buyers are there?") == [(4,)]


def test_a_measure_of_admissions_counts_admissions_only(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    # T2 was refunded: the box office of admissions leaves it out.
    assert answer(theatre, "total box office") == [(160.0,)]


def test_synonyms_for_rows_and_for_rows_with_a_column_filled_in(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(theatre, "how many bookings are there?") == [(6,)]
    assert answer(theatre, "how many members do we have?") == [(2,)]
    assert answer(theatre, "how many patrons aren't members?") == [(2,)]
    assert answer(theatre, "number of show dates in february 2025") == [(2,)]


def test_names_are_matched_without_accents_or_the_brand_they_share(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert tokens("Grand Café") == ["grand", "cafe"]
    assert answer(theatre, "box office at the riverside venue") == [(45.0,)]
    assert answer(theatre, "takings at grand cafe") == [(85.0,)]


def test_a_scoped_measure_compares_two_periods(
    theatre: tuple[Dataset, SemanticModel, Path],
) -> None:
    # January: T1 (T2 was refunded); February: T3 and T4.
    rows = answer(theatre, "box office in january 2025 vs february 2025")
    assert [round(float(v), 2) for v in rows[0]] == [40.0, 55.0, 37.5]


def test_a_comparison_with_an_empty_period_gets_no_chart_and_no_error() -> None:
    # Two periods and their change, the first empty: no scatter of one point.
    one_row = QueryResult(
        ["last year", "this year", "change_pct"],
        ["DOUBLE", "DOUBLE", "DOUBLE"],
        [[None, 12.0, None]],
        1,
        False,
    )
    assert chart_spec(one_row, "growth") is None
    points = QueryResult(
        ["seats", "takings"], ["INTEGER", "DOUBLE"], [[100, 5.0], [None, 3.0], [300, 9.0]], 3, False
    )
    spec = chart_spec(points, "takings by seats")
    assert spec is not None
    assert len(spec["data"]["values"]) == 2
    assert render_png(spec).startswith(b"\x89PNG")

"""A dictionary's rules read as its author meant them, on a small repair workshop: a rule that
scopes every measure of a table, the date rows "count in the period of", several definitions
in one bullet, measures named as another measure on some rows, ratios of measures, distinct
customers, units in headers, names beside identifiers, and questions asked back."""

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
from tandem.apps.analyst.model_plan import to_plan
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Clarification, Plan
from tandem.apps.analyst.semantic import SemanticModel

TODAY = date(2025, 3, 31)

DICTIONARY = """# Spanner & Sons

## vehicles (`vehicles.csv`)
| column | meaning |
| --- | --- |
| Rego | Registration plate. Key used by jobs. |
| Cust # | Customer number. |
| Customer | Customer name. |
| Customer Type | Private or Fleet. |

## jobs (`jobs.csv`)
| column | meaning |
| --- | --- |
| Job # | Work order number. |
| Date In | Date the vehicle was booked in. **Jobs count in the period of this date.** |
| Date Out | Date the job was finished. **Blank = still in the workshop.** |
| Rego | Vehicle (→ vehicles.Rego). |
| Workshop | North or South. |

## lines (`lines.csv`)
| column | meaning |
| --- | --- |
| Job # | Job the line belongs to (→ jobs."Job #"). |
| Type | Labour or Part. |
| Part # | Part number. **Blank = labour or sundry line.** |
| Qty | Hours or units. |
| Unit Price (AUD ex GST) | Price per hour or unit. |
| Grade | Mechanic grade: Senior, Auto Electrician. |

## Definitions
- **Completed job** means `"Date Out" IS NOT NULL`; an **open job** (also "car still in")
  means `"Date Out" IS NULL`.
- **Only completed jobs are invoiced**: every measure built from `lines` counts lines of
  completed jobs only.
- **Revenue** (also "sales") means `revenue = SUM("Qty" * "Unit Price (AUD ex GST)")`.
- **Labour revenue** and **parts revenue** mean revenue on lines with `Type = 'Labour'`
  and `'Part'`.
- **Labour hours** means `SUM("Qty") WHERE Type = 'Labour'`.
- **Labour rate** means `labour_rate = labour_revenue / labour_hours`.
- **Customer** means one distinct `vehicles."Cust #"`.
- **Comeback rate** means `comeback_rate = 100 * COUNT("Date Out" IS NULL) / COUNT(*)` over jobs.
- **Recent jobs** means `"Date In"` after today.
- **Unfinished job** means a job with no `Date Out`.

### Synonyms
- "sparky" = Grade `Auto Electrician`
"""

VEHICLES = [
    ("AAA111", "C1", "Bayside Plumbing", "Fleet"),
    ("BBB222", "C1", "Bayside Plumbing", "Fleet"),
    ("CCC333", "C2", "Ada Moss", "Private"),
    ("DDD444", "C3", "Ben Lord", "Private"),
]
JOBS = [
    ("WO-1", "2025-01-05", "2025-01-06", "AAA111", "North"),
    ("WO-2", "2025-01-20", "2025-02-02", "CCC333", "South"),
    ("WO-3", "2025-02-10", "2025-02-10", "BBB222", "North"),
    ("WO-4", "2025-03-20", "", "DDD444", "South"),
]
LINES = [
    ("WO-1", "Labour", "", 2.0, 100.0, "Senior"),
    ("WO-1", "Part", "OF-1", 1.0, 50.0, ""),
    ("WO-2", "Labour", "", 1.0, 100.0, "Auto Electrician"),
    ("WO-3", "Part", "BP-2", 2.0, 80.0, ""),
    ("WO-3", "Labour", "", 3.0, 100.0, "Senior"),
    ("WO-4", "Labour", "", 5.0, 100.0, "Senior"),
]


def _write(path: Path, header: list[str], rows: list[tuple[Any, ...]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, SemanticModel, Path]:
    folder = tmp_path_factory.mktemp("workshop")
    files = [
        _write(folder / "vehicles.csv", ["Rego", "Cust #", "Customer", "Customer Type"], VEHICLES),
        _write(folder / "jobs.csv", ["Job #", "Date In", "Date Out", "Rego", "Workshop"], JOBS),
        _write(
            folder / "lines.csv",
            ["Job #", "Type", "Part #", "Qty", "Unit Price (AUD ex GST)", "Grade"],
            LINES,
        ),
    ]
    store = DatasetStore(folder / "store")
    dataset = store.create("t", "workshop", [(p.name, p) for p in files])
    model = read_dictionary(DICTIONARY, "dictionary.md", dataset)
    return dataset, model, store.database("t", dataset.id)


def planned(workshop: tuple[Dataset, SemanticModel, Path], question: str) -> Any:
    dataset, model, _ = workshop
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    return parse(question, model, columns, TODAY)


def answer(workshop: tuple[Dataset, SemanticModel, Path], question: str) -> list[tuple[Any, ...]]:
    dataset, model, database = workshop
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
    plan = planned(workshop, question)
    assert isinstance(plan, Plan), (question, plan)
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(Compiler(model, columns).sql(plan)).fetchall()


def _measure(model: SemanticModel, name: str) -> Any:
    return next(m for m in model.measures if m.name == name)


def test_a_rule_scopes_every_measure_of_its_table_through_the_lookup(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # The open job WO-4 (500 of labour) is not invoiced.
    assert answer(workshop, "total revenue") == [(810.0,)]
    assert answer(workshop, "total labour hours") == [(6.0,)]


def test_rows_count_in_the_period_the_dictionary_names(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    entity = workshop[1].entity("jobs")
    assert entity is not None
    assert entity.time == "Date In"
    # WO-2 came in in January and went out in February.
    assert answer(workshop, "how many jobs in January 2025?") == [(2,)]


def test_each_definition_of_a_bullet_is_its_own(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    segments = {s.name: s for s in workshop[1].segments}
    assert segments["completed job"].condition.replace('"', "") == "NOT Date Out IS NULL"
    assert segments["open job"].condition.replace('"', "") == "Date Out IS NULL"
    assert "car still in" not in segments["completed job"].synonyms


def test_names_for_a_measure_on_some_rows_are_measures(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(workshop, "labour revenue") == [(600.0,)]
    assert answer(workshop, "parts revenue") == [(210.0,)]


def test_a_ratio_of_measures_divides_their_totals(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert _measure(workshop[1], "labour rate").agg == "none"
    assert answer(workshop, "what is our labour rate?") == [(100.0,)]


def test_one_distinct_column_is_a_count_and_a_rate_is_not_multiplied_twice(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert _measure(workshop[1], "customer").agg == "count_distinct"
    assert answer(workshop, "how many customers do we have?") == [(3,)]
    assert answer(workshop, "comeback rate") == [(25.0,)]


def test_a_blank_meaning_two_kinds_of_rows_names_neither(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert not any(s.name.startswith("labour") for s in workshop[1].segments)


def test_a_column_compared_in_words_is_skipped_not_read_as_filled_in(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert "recent jobs" in {k.name.lower() for k in workshop[1].skipped}
    assert "recent jobs" not in {s.name for s in workshop[1].segments}


def test_a_synonym_for_a_value_of_a_named_column(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    grade = next(d for d in workshop[1].dimensions if d.column == "Grade")
    assert "sparky" in grade.value_synonyms["Auto Electrician"]
    assert answer(workshop, "labour hours on sparky lines") == [(1.0,)]


def test_units_repeated_from_a_header_name_nothing_more(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(workshop, "total revenue ex GST") == [(810.0,)]


def test_grouping_by_an_identifier_shows_the_name_beside_it(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    rows = answer(workshop, "revenue by cust #")
    assert ("C1", "Bayside Plumbing", 710.0) in rows


def test_an_amount_or_ranking_without_a_measure_is_asked_back(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert isinstance(planned(workshop, "How much did we spend on marketing?"), Clarification)
    assert isinstance(planned(workshop, "Which vehicle is the best?"), Clarification)


def test_a_model_plan_the_question_does_not_say_is_refused(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    model = workshop[1]
    guess = {
        "aggregate": "sum",
        "measure": "lines.revenue",
        "group_by": "none",
        "time_grain": "none",
        "filter_column": "jobs.Workshop",
        "filter_value": "North",
        "order": "none",
        "limit": 0,
    }
    assert to_plan(guess, model, "total sales in the North workshop") is not None
    assert to_plan(guess, model, "total sales") is None  # the filter is not asked for
    assert to_plan(guess, model, "how many jobs in the North workshop") is None


def test_the_top_thing_in_each_partition(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    rows = answer(workshop, "the top grade by labour hours at each workshop")
    assert sorted(rows) == [("North", "Senior", 5.0), ("South", "Auto Electrician", 1.0)]


def test_a_threshold_on_what_each_group_adds_up_to(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert answer(workshop, "Which workshops billed more than 4 labour hours?") == [("North", 5.0)]


def test_a_count_per_entity_is_averaged(workshop: tuple[Dataset, SemanticModel, Path]) -> None:
    plan = planned(workshop, "On average, how many jobs does a vehicle have?")
    assert isinstance(plan, Plan)
    assert plan.measure is not None
    assert plan.measure.per == "Rego"
    assert answer(workshop, "On average, how many jobs does a vehicle have?") == [(1.0,)]


def test_plans_with_group_thresholds_and_counts_per_entity_can_be_remembered(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    from tandem.apps.analyst.conversations import decode, encode

    for question in (
        "Which workshops billed more than 4 labour hours?",
        "On average, how many jobs does a vehicle have?",
    ):
        plan = planned(workshop, question)
        assert isinstance(plan, Plan)
        assert decode(encode(plan)).interpretation() == plan.interpretation()


def test_the_share_is_of_the_condition_said_last(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # The one job still in the workshop is at South; South has two jobs, one of them open.
    assert answer(workshop, "what percentage of open jobs were at South?") == [(100.0,)]
    assert answer(workshop, "what percentage of South jobs are open jobs?") == [(50.0,)]


def test_a_percentage_with_nothing_to_take_it_of_is_asked_back(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert isinstance(planned(workshop, "what percentage of jobs"), Clarification)


def test_the_date_of_the_first_thing_a_measure_also_names(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # "sales" names the revenue measure; the question asks for the date of the first one.
    assert answer(workshop, "when was the first sale at the South workshop?") == [
        (date(2025, 1, 20),)
    ]


def test_distinct_values_seen_in_both_periods(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # Bayside Plumbing (C1) came in in January and in February; Ada Moss only in January.
    assert answer(workshop, "how many customers came in both January 2025 and February 2025?") == [
        (1,)
    ]


def test_an_absence_that_cannot_be_read_is_asked_back(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert isinstance(planned(workshop, "which grades have never done a part line?"), Clarification)


def test_which_things_passed_a_threshold_on_their_total(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    rows = answer(workshop, "Which vehicles have revenue above 300?")
    assert [r[0] for r in rows] == ["BBB222"]
    assert rows[0][-1] == 460.0


def test_a_threshold_in_a_currency_names_no_column_by_itself(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    # Many columns hold dollars: "more than 90 AUD" does not pick the unit price.
    assert isinstance(planned(workshop, "How many lines came to more than 90 AUD?"), Clarification)


def test_two_quarters_of_one_year_compared(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    plan = planned(workshop, "how did the number of jobs change from Q4 2024 to Q1 2025?")
    assert isinstance(plan, Plan)
    assert plan.mode == "change"
    plan = planned(workshop, "how did the number of jobs change from Q1 to Q2 2025?")
    assert isinstance(plan, Plan)
    assert sorted(w.label for w in plan.windows) == ["Q1 2025", "Q2 2025"]


def test_over_a_period_is_no_threshold(workshop: tuple[Dataset, SemanticModel, Path]) -> None:
    assert answer(workshop, "revenue over the past 12 months") == [(810.0,)]


def test_longer_than_a_week_is_a_duration_asked_about_not_a_weekly_grain(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    from tandem.apps.analyst.periods import grain_of

    assert grain_of("how many jobs took longer than a week") is None
    assert grain_of("jobs per week") == "week"
    assert isinstance(planned(workshop, "how many jobs took longer than a week?"), Clarification)


def test_a_column_said_to_be_missing_is_blank_not_filled_in(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    unfinished = next(s for s in workshop[1].segments if s.name == "unfinished job")
    assert unfinished.condition.replace('"', "") == "Date Out IS NULL"
    assert answer(workshop, "how many unfinished jobs are there?") == [(1,)]


def test_a_place_that_names_nothing_is_asked_about(
    workshop: tuple[Dataset, SemanticModel, Path],
) -> None:
    assert isinstance(planned(workshop, "how many jobs at Eastfield"), Clarification)

"""The model's slot-filling prompt: the schema puts the measure first, the worked examples are
made from the dataset's own names and are themselves plans that compile, and a measure that
aggregates itself keeps its own aggregation whatever the model picks."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.model_plan import plan_examples, plan_prompt, plan_schema, to_plan
from tandem.apps.analyst.semantic import Dimension, Entity, Measure, SemanticModel

LAST_YEAR = date.today().year - 1
COLUMNS = {
    "orders": {
        "order id": "Order ID",
        "region": "Region",
        "channel": "Channel",
        "order date": "Order Date",
        "amount": "Amount",
        "customer": "Customer",
    }
}


@pytest.fixture
def model() -> SemanticModel:
    return SemanticModel(
        source="user",
        entities=[Entity("orders", key="Order ID", time="Order Date")],
        dimensions=[
            Dimension("order id", "orders", "Order ID", "BIGINT"),
            Dimension("region", "orders", "Region", "VARCHAR", values=["North", "South"]),
            Dimension("channel", "orders", "Channel", "VARCHAR", values=["Web", "Store"]),
            Dimension("order date", "orders", "Order Date", "DATE"),
            Dimension("customer", "orders", "Customer", "VARCHAR"),
        ],
        measures=[
            Measure("amount", "orders", '"Amount"'),
            Measure("sales", "orders", '"Amount"', synonyms=["revenue"]),
            Measure("customers", "orders", '"Customer"', agg="count_distinct"),
        ],
    )


@pytest.fixture
def database() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(
        'CREATE TABLE orders ("Order ID" BIGINT, "Region" VARCHAR, "Channel" VARCHAR,'
        ' "Order Date" DATE, "Amount" DOUBLE, "Customer" VARCHAR)'
    )
    connection.execute(
        "INSERT INTO orders VALUES"
        f" (1, 'North', 'Web', '{LAST_YEAR}-01-05', 10, 'a'),"
        f" (2, 'North', 'Store', '{LAST_YEAR}-02-05', 20, 'a'),"
        f" (3, 'South', 'Web', '{LAST_YEAR}-02-07', 5, 'b')"
    )
    return connection


def test_the_measure_is_filled_before_its_aggregation(model: SemanticModel) -> None:
    schema = plan_schema(model)
    assert list(schema["properties"])[:2] == ["measure", "aggregate"]
    assert schema["required"] == list(schema["properties"])
    assert "orders.Order ID" not in schema["properties"]["group_by"]["enum"]


def test_the_examples_use_the_models_own_names_and_are_plans_that_run(
    model: SemanticModel, database: duckdb.DuckDBPyConnection
) -> None:
    examples = plan_examples(model)
    assert len(examples) == 4
    # A defined measure (one with words for it) leads, before one read off a column.
    assert examples[0] == (
        "total sales",
        {**examples[0][1], "measure": "orders.sales", "aggregate": "sum"},
    )
    prompt = plan_prompt(model)
    results = []
    for question, answer in examples:
        assert question in prompt
        plan = to_plan(answer, model, question)
        assert plan is not None, question
        results.append(database.execute(Compiler(model, COLUMNS).sql(plan)).fetchall())
    assert results[0] == [(35.0,)]
    assert sorted(results[1]) == [("North", 2), ("South", 1)]
    assert len(results[2]) == 2  # January and February of last year


def test_a_distinct_count_keeps_its_aggregation(
    model: SemanticModel, database: duckdb.DuckDBPyConnection
) -> None:
    for picked in ("sum", "count"):
        answer = {
            "measure": "orders.customers",
            "aggregate": picked,
            "group_by": "none",
            "filter_column": "none",
            "filter_value": "",
        }
        plan = to_plan(answer, model, "how many customers")
        assert plan is not None
        assert plan.measure is not None
        assert plan.agg == "count_distinct"
        assert database.execute(Compiler(model, COLUMNS).sql(plan)).fetchall() == [(2,)]

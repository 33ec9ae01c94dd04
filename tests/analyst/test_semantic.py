"""Semantic models (dictionary, YAML, proposed), the question families, clarifications and
interpretations, on a small utilities-billing dataset of the tests' own."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

DICTIONARY = """# Data dictionary - GridCo billing

## households (`households.csv`)
| column | meaning |
| --- | --- |
| hh_id | Household identifier. |
| Household Name | Name on the account. |
| tariff | Tariff: Standard, Green, Economy. |
| city | City of the supply address. |
| joined_on | Date the household joined. |

## bills (`bills.csv`)
| column | meaning |
| --- | --- |
| bill_id | Bill number. |
| hh_id | Household billed (-> households.hh_id). |
| bill_date | Date of the bill. |
| kwh | Energy used, kWh. |
| rate | Price per kWh. |
| rebate | Rebate as a fraction. |
| status | paid, late, disputed. |

## Definitions
- **Billed amount** (also "revenue", "billings") means energy times rate after the
  rebate: `billed_amount = kwh * rate * (1 - COALESCE(rebate, 0))`
- **Dispute rate** means the share of bills disputed:
  `dispute_rate = COUNT(status = 'disputed') / COUNT(*)`

### Synonyms
- "customers", "clients", "homes" = households
- "consumption", "usage" = kwh
"""

YAML = """
name: gridco
tables:
  - name: bills
    synonyms: [invoices]
    dimensions:
      - name: bill status
        expr: status
        synonyms: [state]
    measures:
      - name: energy charge
        expr: kwh * rate
        default_aggregation: sum
        synonyms: [charges]
"""


@pytest.fixture(scope="module")
def billing(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("billing")
    rng = random.Random(7)
    cities = ["Leeds", "York", "Hull"]
    tariffs = ["Standard", "Green", "Economy"]
    homes = [
        (
            f"H{i:03d}",
            f"Home {i}",
            tariffs[i % 3],
            cities[i % 3],
            date(2022, 1, 1) + timedelta(i * 9),
        )
        for i in range(1, 31)
    ]
    with (folder / "households.csv").open("w") as f:
        f.write("hh_id,Household Name,tariff,city,joined_on\n")
        for row in homes:
            f.write(",".join(map(str, row)) + "\n")
    with (folder / "bills.csv").open("w") as f:
        f.write("bill_id,hh_id,bill_date,kwh,rate,rebate,status\n")
        n = 0
        for month in range(24):
            day = date(2023 + month // 12, month % 12 + 1, 15)
            for hh in homes[: 20 + month % 5]:
                n += 1
                rebate = "" if n % 4 else "0.1"
                status = ["paid", "paid", "paid", "late", "disputed"][rng.randrange(5)]
                kwh = rng.randint(100, 900)
                f.write(f"B{n},{hh[0]},{day},{kwh},0.{rng.randint(20, 35)},{rebate},{status}\n")
    return sorted(folder.glob("*.csv"))


def gold(files: list[Path], sql: str) -> list[list[Any]]:
    connection = duckdb.connect()
    for path in files:
        connection.execute(f"CREATE TABLE {path.stem} AS SELECT * FROM read_csv_auto('{path}')")
    return [list(r) for r in connection.execute(sql).fetchall()]


async def upload(client: httpx.AsyncClient, files: list[Path], dictionary: str | None) -> str:
    parts: list[Any] = [("files", (p.name, p.read_bytes(), "text/csv")) for p in files]
    if dictionary is not None:
        parts.append(("dictionary", ("dictionary.md", dictionary.encode(), "text/markdown")))
    response = await client.post("/v1/datasets", files=parts, data={"name": "billing"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def ask(client: httpx.AsyncClient, dataset: str, question: str) -> dict[str, Any]:
    response = await client.post(
        "/v1/analyst/ask", json={"dataset": dataset, "question": question, "method": "planner"}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def rounded(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(round(v, 2) if isinstance(v, float) else v for v in r) for r in rows), key=repr
    )


AMOUNT = "kwh * rate * (1 - COALESCE(rebate, 0))"
FAMILIES = [
    ("aggregate", "What is our total revenue?", f"SELECT sum({AMOUNT}) FROM bills"),
    ("distinct_count", "How many households are there?", "SELECT count(*) FROM households"),
    (
        "avg_per_entity",
        "average billed amount per household",
        f"SELECT avg(s) FROM (SELECT hh_id, sum({AMOUNT}) s FROM bills GROUP BY 1)",
    ),
    (
        "category_filter",
        "total billings for disputed bills",
        f"SELECT sum({AMOUNT}) FROM bills WHERE status = 'disputed'",
    ),
    ("threshold", "how many bills with kwh over 800", "SELECT count(*) FROM bills WHERE kwh > 800"),
    (
        "time_filter",
        "revenue in the first half of 2024",
        f"SELECT sum({AMOUNT}) FROM bills "
        "WHERE bill_date >= '2024-01-01' AND bill_date < '2024-07-01'",
    ),
    (
        "quarter",
        "total usage in Q3 2023",
        "SELECT sum(kwh) FROM bills WHERE bill_date >= '2023-07-01' AND bill_date < '2023-10-01'",
    ),
    (
        "relative_period",
        "revenue last month",
        f"SELECT sum({AMOUNT}) FROM bills "
        "WHERE bill_date >= '2024-11-01' AND bill_date < '2024-12-01'",
    ),
    (
        "time_grain",
        "monthly revenue in 2024",
        f"SELECT strftime(bill_date, '%Y-%m'), sum({AMOUNT}) FROM bills "
        "WHERE year(bill_date) = 2024 GROUP BY 1",
    ),
    (
        "join",
        "revenue by tariff",
        f"SELECT tariff, sum({AMOUNT}) FROM bills JOIN households USING (hh_id) GROUP BY 1",
    ),
    (
        "top_n",
        "top 3 customers by revenue",
        f'SELECT hh_id, "Household Name", sum({AMOUNT}) s FROM bills JOIN households USING (hh_id) '
        "GROUP BY 1, 2 ORDER BY s DESC LIMIT 3",
    ),
    (
        "share",
        "share of revenue by city",
        f"SELECT city, sum({AMOUNT}) * 100.0 / sum(sum({AMOUNT})) OVER () "
        "FROM bills JOIN households USING (hh_id) GROUP BY 1",
    ),
    (
        "rate_measure",
        "what is the dispute rate",
        "SELECT avg(CASE WHEN status = 'disputed' THEN 100.0 ELSE 0 END) FROM bills",
    ),
    (
        "pct_condition",
        "what percentage of bills were late",
        "SELECT avg(CASE WHEN status = 'late' THEN 100.0 ELSE 0 END) FROM bills",
    ),
    (
        "anti_join",
        "households with no bills in 2024",
        'SELECT hh_id, "Household Name" FROM households '
        "WHERE hh_id NOT IN (SELECT hh_id FROM bills WHERE year(bill_date) = 2024)",
    ),
    (
        "both_periods",
        "how many households were billed in both 2023 and 2024",
        "SELECT count(*) FROM households "
        "WHERE hh_id IN (SELECT hh_id FROM bills WHERE year(bill_date) = 2023) "
        "AND hh_id IN (SELECT hh_id FROM bills WHERE year(bill_date) = 2024)",
    ),
    ("first_last", "when was the first bill date", "SELECT min(bill_date) FROM bills"),
]


@pytest.mark.parametrize(("family", "question", "sql"), FAMILIES, ids=[f[0] for f in FAMILIES])
async def test_question_families(
    client: httpx.AsyncClient, billing: list[Path], family: str, question: str, sql: str
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    body = await ask(client, dataset, question)
    assert body["clarification"] is None, body["clarification"]
    expected = gold(billing, sql)
    got = [[str(v) if family == "first_last" else v for v in r] for r in body["rows"]]
    want = [[str(v) if family == "first_last" else v for v in r] for r in expected]
    assert rounded(got) == rounded(want), body["sql"]
    assert body["interpretation"]


async def test_growth_is_against_the_month_before(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    body = await ask(client, dataset, "month over month revenue growth in 2024")
    assert [r[0] for r in body["rows"]][:2] == ["2024-01", "2024-02"]
    assert body["rows"][0][-1] is not None  # January compares with December 2023


async def test_unknown_measure_and_value_ask_instead_of_guessing(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    for question, term in (
        ("total carbon emissions in 2024", "carbon emissions"),
        ("revenue in Atlantis", "atlantis"),
    ):
        body = await ask(client, dataset, question)
        assert body["sql"] is None
        assert body["rows"] == []
        assert body["clarification"]["term"] == term
        assert "billed amount" in body["clarification"]["candidates"]


async def test_the_interpretation_says_what_was_computed(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    body = await ask(client, dataset, "total revenue for Green households in H1 2024")
    text = body["interpretation"]
    assert "billed amount" in text
    assert "rebate" in text
    assert "Green" in text
    assert "H1 2024" in text


async def test_a_proposed_model_derives_the_obvious_amount(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, None)
    model = (await client.get(f"/v1/datasets/{dataset}/semantic-model")).json()
    assert model["source"] == "proposed"
    revenue = next(m for m in model["measures"] if m["name"] == "revenue")
    assert "kwh" in revenue["expr"]
    assert "rate" in revenue["expr"]
    assert "rebate" in revenue["expr"]
    profile = (await client.get(f"/v1/datasets/{dataset}")).json()
    assert profile["semantic_model"]["source"] == "proposed"
    body = await ask(client, dataset, "What is our total revenue?")
    assert rounded(body["rows"]) == rounded(gold(billing, f"SELECT sum({AMOUNT}) FROM bills"))


async def test_a_yaml_model_replaces_the_dictionary(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    put = await client.put(
        f"/v1/datasets/{dataset}/semantic-model",
        content=YAML.encode(),
        headers={"content-type": "application/yaml"},
    )
    assert put.status_code == 200, put.text
    assert put.json()["source"] == "yaml"
    body = await ask(client, dataset, "total charges by bill status")
    want = gold(billing, "SELECT status, sum(kwh * rate) FROM bills GROUP BY 1")
    assert rounded(body["rows"]) == rounded(want)


@pytest.mark.parametrize(
    ("dictionary", "named", "question"),
    [
        (
            DICTIONARY.replace("kwh * rate *", "kwh * price_each *"),
            "price_each",
            "What is the total revenue?",
        ),
        (
            DICTIONARY.replace("`dispute_rate = COUNT(", "`dispute_rate = COUNT(("),
            "Dispute rate",
            "What is the dispute rate by city?",
        ),
    ],
)
async def test_a_formula_that_does_not_fit_is_skipped_and_questions_on_it_are_asked_back(
    client: httpx.AsyncClient, billing: list[Path], dictionary: str, named: str, question: str
) -> None:
    parts: list[Any] = [("files", (p.name, p.read_bytes(), "text/csv")) for p in billing]
    parts.append(("dictionary", ("dictionary.md", dictionary.encode(), "text/markdown")))
    response = await client.post("/v1/datasets", files=parts)
    assert response.status_code == 201, response.text
    model = response.json()["semantic_model"]
    assert [named in k["reason"] or named == k["name"] for k in model["skipped"]] == [True]
    # The rest of the dictionary is in use.
    assert "households" in {e["table"] for e in model["entities"]}
    dataset = response.json()["id"]
    body = await ask(client, dataset, question)
    assert body["sql"] is None
    assert body["clarification"] is not None
    assert "could not be used" in body["clarification"]["message"]
    answered = await ask(client, dataset, "How many bills are there?")
    assert answered["clarification"] is None
    assert answered["rows"] == gold(billing, "SELECT COUNT(*) FROM bills")


async def test_a_bad_yaml_model_is_a_400(client: httpx.AsyncClient, billing: list[Path]) -> None:
    dataset = await upload(client, billing, None)
    bad = YAML.replace("kwh * rate", "kwh * tariff_price")
    put = await client.put(
        f"/v1/datasets/{dataset}/semantic-model",
        content=bad.encode(),
        headers={"content-type": "application/yaml"},
    )
    assert put.status_code == 400
    assert "tariff_price" in put.json()["error"]["message"]
    assert "kwh * tariff_price" in put.json()["error"]["message"]


CROSS_TABLE = """# GridCo with a price list

## households (`households.csv`)
| column | meaning |
| --- | --- |
| hh_id | Household identifier. |
| tariff | Tariff the household is on (-> tariffs."Tariff Name"). |

## bills (`bills.csv`)
| column | meaning |
| --- | --- |
| hh_id | Household billed (→ households.hh_id). |
| kwh | Energy used, kWh. |

## tariffs (`tariffs.csv`)
| column | meaning |
| --- | --- |
| Tariff Name | Name of the tariff. |
| Unit Price (p/kWh) | Price per kWh in pence. |

## Definitions
- **Energy cost** (also "charges") means the energy used at the household's tariff price:
  `energy_cost = kwh * "Unit Price (p/kWh)" / 100`
"""


@pytest.fixture(scope="module")
def priced(billing: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("priced")
    for path in billing:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "tariffs.csv").write_text(
        "Tariff Name,Unit Price (p/kWh)\nStandard,28.5\nGreen,31\nEconomy,24.25\n"
    )
    return sorted(folder.glob("*.csv"))


async def test_a_measure_may_use_columns_of_the_tables_its_rows_point_at(
    client: httpx.AsyncClient, priced: list[Path]
) -> None:
    dataset = await upload(client, priced, CROSS_TABLE)
    model = (await client.get(f"/v1/datasets/{dataset}/semantic-model")).json()
    cost = next(m for m in model["measures"] if m["name"] == "energy cost")
    assert cost["table"] == "bills"
    assert '"tariffs"."Unit Price (p/kWh)"' in cost["expr"]
    joined = (
        "FROM bills JOIN households USING (hh_id) "
        'JOIN tariffs ON households.tariff = tariffs."Tariff Name"'
    )
    amount = 'kwh * "Unit Price (p/kWh)" / 100'
    for question, sql in (
        ("what were total charges?", f"SELECT sum({amount}) {joined}"),
        ("energy cost by city", f"SELECT city, sum({amount}) {joined} GROUP BY 1"),
        (
            "energy cost in 2024",
            f"SELECT sum({amount}) {joined} WHERE year(bill_date) = 2024",
        ),
    ):
        body = await ask(client, dataset, question)
        assert body["clarification"] is None, (question, body["clarification"])
        assert rounded(body["rows"]) == rounded(gold(priced, sql)), (question, body["sql"])


async def test_a_measure_naming_a_table_it_cannot_reach_is_reported(
    client: httpx.AsyncClient, priced: list[Path]
) -> None:
    unlinked = CROSS_TABLE.replace('(-> tariffs."Tariff Name")', "")
    parts: list[Any] = [("files", (p.name, p.read_bytes(), "text/csv")) for p in priced]
    parts.append(("dictionary", ("dictionary.md", unlinked.encode(), "text/markdown")))
    response = await client.post("/v1/datasets", files=parts)
    assert response.status_code == 201, response.text
    reasons = " ".join(k["reason"] for k in response.json()["semantic_model"]["skipped"])
    assert "Unit Price (p/kWh)" in reasons


async def test_who_is_the_latest_comes_back_as_the_row_with_its_date(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    body = await ask(client, dataset, "Which household joined most recently?")
    assert body["clarification"] is None, body["clarification"]
    want = gold(
        billing,
        'SELECT "Household Name", joined_on FROM households ORDER BY joined_on DESC LIMIT 1',
    )
    assert len(body["rows"]) == 1
    assert want[0][0] in body["rows"][0]
    assert str(want[0][1]) in [str(v)[:10] for v in body["rows"][0]]


async def test_a_list_of_months_is_one_period(
    client: httpx.AsyncClient, billing: list[Path]
) -> None:
    dataset = await upload(client, billing, DICTIONARY)
    body = await ask(client, dataset, "total revenue for jan, feb and mar 2024")
    want = gold(
        billing,
        f"SELECT sum({AMOUNT}) FROM bills "
        "WHERE bill_date >= '2024-01-01' AND bill_date < '2024-04-01'",
    )
    assert rounded(body["rows"]) == rounded(want), body["sql"]


def test_identifier_columns_in_any_spelling() -> None:
    from tandem.apps.analyst.semantic import is_key

    for name in ("PatientID", "Clin_ID", "Cust No", "MPRN", "TxCode", "order_id"):
        assert is_key(name), name
    for name in ("Pt Name", "kWh Used", "Fee Charged (EUR)", "Green?", "status"):
        assert not is_key(name), name

"""Spreadsheet insights (computed in the analyst's sandbox) and formulas (checked by evaluation)."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from tests.productivity.conftest import to_pdf

CSV = (
    "month,region,revenue\n"
    + "".join(
        f"2024-{m:02d},{r},{base + 100 * m}\n"
        for m in range(1, 13)
        for r, base in (("West", 5000), ("East", 3000))
    )
).replace("2024-06,East,3600", "2024-06,East,19000")


async def test_insights_state_numbers(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/productivity/spreadsheet/insights", files={"file": ("sales.csv", CSV.encode())}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "computed"
    kinds = {i["kind"]: i for i in body["insights"]}
    rows = [line.split(",") for line in CSV.strip().splitlines()[1:]]
    total = sum(float(r[2]) for r in rows)
    assert kinds["total"]["values"]["total"] == total
    assert f"{total:,.0f}" in kinds["total"]["text"]
    assert kinds["leader"]["values"]["name"] == "West"
    assert kinds["trend"]["values"]["direction"] == "up"
    assert kinds["outlier"]["values"]["label"] == "2024-06"
    assert "19,000" in kinds["outlier"]["text"]


async def test_insights_xlsx_out(client: httpx.AsyncClient, tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sales"
    for line in CSV.strip().splitlines():
        cells = line.split(",")
        sheet.append([cells[0], cells[1], cells[2] if not cells[2].isdigit() else int(cells[2])])
    sheet["E1"] = "=SUM(C2:C25)"
    upload = io.BytesIO()
    book.save(upload)
    response = await client.post(
        "/v1/productivity/spreadsheet/insights",
        params={"format": "xlsx"},
        files={"file": ("sales.xlsx", upload.getvalue())},
    )
    assert response.status_code == 200, response.text
    path = tmp_path / "sales-insights.xlsx"
    path.write_bytes(response.content)
    result = load_workbook(path)
    assert result.sheetnames == ["Sales", "Insights"]
    assert result["Sales"]["E1"].value == "=SUM(C2:C25)"  # the user's formulas survive
    insights = result["Insights"]
    texts = [row[0].value for row in insights.iter_rows(min_row=2) if row[0].value]
    assert any("West leads region" in str(t) for t in texts)
    assert len(insights._charts) == 1
    to_pdf(path)  # LibreOffice opens it


async def test_broken_workbook_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/productivity/spreadsheet/insights", files={"file": ("bad.xlsx", b"PK\x03\x04junk")}
    )
    assert response.status_code == 400
    assert "bad.xlsx" in response.json()["error"]["message"]


HEADERS = ["Region", "Product", "Revenue", "Cost"]
ROWS = [
    ["North", "Widget", "1200", "700"],
    ["South", "Gadget", "800", "500"],
    ["North", "Gadget", "450", "300"],
]


@pytest.mark.parametrize(
    ("description", "formula", "value"),
    [
        ("total revenue", "=SUM(C:C)", 2450),
        ("sum of revenue where region is North", '=SUMIF(A:A,"North",C:C)', 1650),
        ("average revenue for product Gadget", '=AVERAGEIF(B:B,"Gadget",C:C)', 625),
        ("count rows where revenue > 500", '=COUNTIF(C:C,">500")', 2),
        ("revenue minus cost", "=C2-D2", 500),
        ("look up revenue for product Widget", '=INDEX(C:C,MATCH("Widget",B:B,0))', 1200),
        ("if revenue is greater than 1000 then High else Low", '=IF(C2>1000,"High","Low")', "High"),
    ],
)
async def test_formula_checked_on_sample_rows(
    client: httpx.AsyncClient, description: str, formula: str, value: object
) -> None:
    response = await client.post(
        "/v1/productivity/spreadsheet/formula",
        json={"description": description, "headers": HEADERS, "sample_rows": ROWS},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["formula"] == formula
    assert body["method"] == "rules"
    assert body["check"]["ok"] is True
    assert body["check"]["values"] == [value]


async def test_model_formula_is_checked(client: httpx.AsyncClient, platform: object) -> None:
    from tests.conftest import fake_of
    from tests.fakes import Script

    fake_of(platform).enqueue(  # type: ignore[arg-type]
        Script(text='{"formula": "=C2/0", "explanation": "ratio"}')
    )
    response = await client.post(
        "/v1/productivity/spreadsheet/formula",
        json={"description": "a ratio", "headers": HEADERS, "sample_rows": ROWS},
    )
    body = response.json()
    assert body["method"] == "model"
    assert body["check"]["ok"] is False
    assert "#DIV/0!" in body["check"]["detail"]


async def test_formula_that_cannot_be_made_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/productivity/spreadsheet/formula",
        json={"description": "something vague", "headers": ["A"]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "description"

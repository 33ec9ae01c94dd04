"""Writes the evaluation workbooks and the insights each should yield (workbooks.json).

Made for Tandem's productivity assistant before its insight engine existed: each workbook has
a planted leader, a trend where it has a time column, and (in most) one planted outlier; the
expected totals and leader values are computed here in plain Python, independently of DuckDB.
Deterministic (seeded); run it again and the files are identical.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "workbooks"
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
TUNED_ON = (
    "All 12 workbooks: after the first run (38/39 correct, 3 false claims: a seasonal 'rise' "
    "in hotel_nights, a 'fall' in daily expenses, two small Porto stock 'outliers' in invento"
    "ry) the trend test became Mann-Kendall with dates spanning a quarter read by month, and "
    "outliers must also lie 50% from their group's median."
)


def _write(name: str, header: list[str], rows: list[list[Any]]) -> None:
    path = OUT / name
    if name.endswith(".csv"):
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _sums(rows: list[list[Any]], key: int, value: int) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        totals[str(row[key])] += float(row[value])
    return dict(totals)


def _expect(
    rows: list[list[Any]],
    header: list[str],
    measure: str,
    dim: str | None,
    trend: str | None,
    outlier: str | None,
) -> dict[str, Any]:
    m = header.index(measure)
    expected: dict[str, Any] = {
        "total": {"measure": measure, "value": round(sum(float(r[m]) for r in rows), 2)}
    }
    if dim is not None:
        sums = _sums(rows, header.index(dim), m)
        name = max(sums, key=lambda k: sums[k])
        expected["leader"] = {
            "dimension": dim,
            "measure": measure,
            "name": name,
            "value": round(sums[name], 2),
        }
    if trend is not None:
        expected["trend"] = {"measure": measure, "direction": trend}
    if outlier is not None:
        expected["outlier"] = {"measure": measure, "label": outlier}
    return expected


def build() -> list[dict[str, Any]]:
    """Every workbook, written; their expectations."""
    rng = random.Random(20250601)
    OUT.mkdir(exist_ok=True)
    sets: list[dict[str, Any]] = []

    def add(name: str, domain: str, header: list[str], rows: list[list[Any]], **kw: Any) -> None:
        _write(name, header, rows)
        sets.append({"file": name, "domain": domain, "expected": _expect(rows, header, **kw)})

    # 1. Monthly sales by region: growing, West leads, one spike.
    rows = []
    for i, month in enumerate(MONTHS):
        for region, base in (
            ("West", 52000),
            ("Northeast", 41000),
            ("South", 30000),
            ("Midwest", 26000),
        ):
            revenue = base * (1 + 0.03 * i) + rng.randint(-900, 900)
            if (month, region) == ("2024-07", "South"):
                revenue = 118000
            rows.append([month, region, round(revenue, 2), int(revenue / 85)])
    add(
        "monthly_sales.csv",
        "retail",
        ["month", "region", "revenue", "units"],
        rows,
        measure="revenue",
        dim="region",
        trend="up",
        outlier="2024-07",
    )

    # 2. Expenses by department (xlsx): Engineering leads, one large purchase.
    rows = []
    departments = (("Engineering", 9000), ("Sales", 6000), ("Marketing", 4500), ("HR", 1500))
    for i in range(60):
        dept, base = departments[i % 4]
        amount = base + rng.randint(-800, 800)
        if i == 37:
            amount = 48500
        rows.append(
            [
                f"2024-{1 + i // 5:02d}-{1 + (i % 5) * 5:02d}",
                dept,
                rng.choice(["travel", "software", "hardware", "services"]),
                amount,
            ]
        )
    add(
        "expenses.xlsx",
        "finance",
        ["date", "department", "category", "amount"],
        rows,
        measure="amount",
        dim="department",
        trend=None,
        outlier=None,
    )
    sets[-1]["expected"]["outlier"] = {"measure": "amount", "label": str(rows[37][0])}

    # 3. Daily web traffic: rising, one viral day.
    rows = []
    for day in range(1, 31):
        visits = 4000 + 120 * day + rng.randint(-150, 150)
        if day == 18:
            visits = 21000
        rows.append([f"2024-09-{day:02d}", visits, int(visits * 0.031)])
    add(
        "web_traffic.csv",
        "marketing",
        ["date", "visits", "signups"],
        rows,
        measure="visits",
        dim=None,
        trend="up",
        outlier="2024-09-18",
    )

    # 4. Inventory by warehouse (xlsx): no time column; Rotterdam leads; one overstocked SKU.
    rows = []
    for i in range(40):
        warehouse = ("Rotterdam", "Lyon", "Gdansk", "Porto")[i % 4]
        stock = {"Rotterdam": 900, "Lyon": 600, "Gdansk": 450, "Porto": 300}[warehouse]
        stock += rng.randint(-80, 80)
        if i == 22:
            stock = 7400
        rows.append([f"SKU-{1000 + i}", warehouse, stock, round(rng.uniform(2, 40), 2)])
    add(
        "inventory.xlsx",
        "logistics",
        ["sku", "warehouse", "stock", "unit_cost"],
        rows,
        measure="stock",
        dim="warehouse",
        trend=None,
        outlier="SKU-1022",
    )

    # 5. Weekly support tickets: falling; Billing leads.
    rows = []
    for week in range(1, 21):
        for team, base in (("Billing", 340), ("Technical", 260), ("Accounts", 150)):
            tickets = int(base * (1 - 0.025 * week)) + rng.randint(-6, 6)
            rows.append([f"2024-W{week:02d}", team, tickets, int(tickets * 0.9)])
    add(
        "support_tickets.csv",
        "customer service",
        ["week", "team", "tickets", "resolved"],
        rows,
        measure="tickets",
        dim="team",
        trend="down",
        outlier=None,
    )

    # 6. Monthly energy use per site: falling after efficiency work; Plant A leads; one fault.
    rows = []
    for i, month in enumerate(MONTHS):
        for site, base in (("Plant A", 182000), ("Plant B", 121000), ("Office", 34000)):
            kwh = int(base * (1 - 0.02 * i)) + rng.randint(-1500, 1500)
            if (month, site) == ("2024-03", "Office"):
                kwh = 139000
            rows.append([month, site, kwh])
    add(
        "energy_use.csv",
        "facilities",
        ["month", "site", "kwh"],
        rows,
        measure="kwh",
        dim="site",
        trend="down",
        outlier="2024-03",
    )

    # 7. Payroll (xlsx): Engineering leads; one executive salary.
    rows = []
    for i in range(48):
        dept = ("Engineering", "Operations", "Sales", "Finance")[i % 4]
        salary = {"Engineering": 98000, "Operations": 61000, "Sales": 72000, "Finance": 69000}[
            dept
        ] + rng.randint(-6000, 6000)
        if i == 13:
            salary = 410000
        rows.append([f"E{200 + i}", dept, salary])
    add(
        "payroll.xlsx",
        "human resources",
        ["employee", "department", "salary"],
        rows,
        measure="salary",
        dim="department",
        trend=None,
        outlier="E213",
    )

    # 8. Shipments by carrier: rising; FastFreight leads.
    rows = []
    for i, month in enumerate(MONTHS):
        for carrier, base in (("FastFreight", 2100), ("BlueLine", 1600), ("Coastal", 900)):
            shipments = int(base * (1 + 0.04 * i)) + rng.randint(-40, 40)
            rows.append([month, carrier, shipments, int(shipments * rng.uniform(0.02, 0.06))])
    add(
        "shipments.csv",
        "transport",
        ["month", "carrier", "shipments", "late"],
        rows,
        measure="shipments",
        dim="carrier",
        trend="up",
        outlier=None,
    )

    # 9. Subscription revenue (xlsx): rising MRR; Business plan leads; one billing error.
    rows = []
    for i, month in enumerate(MONTHS):
        for plan, base in (("Business", 84000), ("Pro", 56000), ("Starter", 12000)):
            mrr = base * (1 + 0.05 * i) + rng.randint(-500, 500)
            if (month, plan) == ("2024-10", "Starter"):
                mrr = 96000
            rows.append([month, plan, round(mrr, 2)])
    add(
        "subscriptions.xlsx",
        "software",
        ["month", "plan", "mrr"],
        rows,
        measure="mrr",
        dim="plan",
        trend="up",
        outlier="2024-10",
    )

    # 10. Crop yields by farm and year: rising; Hillside leads.
    rows = []
    for i, year in enumerate(range(2015, 2025)):
        for farm, base in (("Hillside", 640), ("Riverbend", 510), ("Oakfield", 470)):
            rows.append([year, farm, round(base * (1 + 0.035 * i) + rng.uniform(-12, 12), 1)])
    add(
        "crop_yields.csv",
        "agriculture",
        ["year", "farm", "tonnes"],
        rows,
        measure="tonnes",
        dim="farm",
        trend="up",
        outlier=None,
    )

    # 11. Donations by campaign: Winter Appeal leads; one major gift.
    rows = []
    for i in range(50):
        campaign = ("Winter Appeal", "Spring Fun Run", "Gala Dinner")[i % 3]
        amount = {"Winter Appeal": 420, "Spring Fun Run": 180, "Gala Dinner": 300}[campaign]
        amount += rng.randint(-60, 60)
        if i == 29:
            amount = 25000
        rows.append([f"D{5000 + i}", campaign, amount])
    add(
        "donations.csv",
        "charity",
        ["donation_id", "campaign", "amount"],
        rows,
        measure="amount",
        dim="campaign",
        trend=None,
        outlier="D5029",
    )

    # 12. Hotel nights (xlsx): Harbour leads; rising into summer then falling: no trend stated.
    rows = []
    for i, month in enumerate(MONTHS):
        season = 1 + 0.6 * (1 - abs(i - 6) / 6)
        for hotel, base in (("Harbour", 3100), ("Old Town", 2400), ("Airport", 1900)):
            rows.append([month, hotel, int(base * season) + rng.randint(-50, 50)])
    add(
        "hotel_nights.xlsx",
        "hospitality",
        ["month", "hotel", "nights"],
        rows,
        measure="nights",
        dim="hotel",
        trend="flat",
        outlier=None,
    )
    return sets


def main() -> None:
    """Write the workbooks and workbooks.json."""
    sets = build()
    about = (
        "Made for Tandem's productivity assistant before its insight engine existed, by "
        "make_workbooks.py (seeded). Each entry lists what the Insights must state: the total "
        "of the main measure, the leading category with its total, the direction of the trend "
        "('flat' means no clear trend; seasonal data) and the planted outlier's label."
    )
    data = {"about": about, "tuned_on": [TUNED_ON], "workbooks": sets}
    (HERE / "workbooks.json").write_text(json.dumps(data, indent=1) + "\n")
    print(f"{len(sets)} workbooks written to {OUT}")


if __name__ == "__main__":
    main()

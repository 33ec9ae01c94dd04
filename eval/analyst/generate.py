"""A seeded retail dataset for the analyst evaluation: orders, customers, products.

Run: python eval/analyst/generate.py OUT_DIR   (writes orders.csv, customers.csv, products.csv)
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

REGIONS = ["North", "South", "East", "West"]
SEGMENTS = ["Consumer", "Corporate", "Small Business"]
COUNTRIES = ["United States", "Canada", "Germany", "France", "Japan"]
CATEGORIES = {
    "Furniture": ["Desk", "Chair", "Bookcase", "Sofa", "Lamp", "Cabinet", "Table", "Stool"],
    "Office Supplies": [
        "Paper",
        "Binder",
        "Stapler",
        "Pens",
        "Envelopes",
        "Labels",
        "Folder",
        "Tape",
    ],
    "Technology": [
        "Laptop",
        "Monitor",
        "Keyboard",
        "Mouse",
        "Printer",
        "Phone",
        "Tablet",
        "Router",
    ],
}
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jin", "Kai", "Lea"]
LAST = ["Smith", "Garcia", "Chen", "Kumar", "Novak", "Okafor", "Silva", "Tanaka", "Weber"]


def generate(out: Path, seed: int = 7) -> None:
    """Write the three CSV files to `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    products = []
    pid = 1
    for category, names in CATEGORIES.items():
        for name in names:
            base = {"Furniture": 180, "Office Supplies": 12, "Technology": 350}[category]
            price = round(base * rng.uniform(0.5, 1.8), 2)
            products.append((pid, name, category, round(price * rng.uniform(0.5, 0.8), 2), price))
            pid += 1
    with (out / "products.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product_id", "product_name", "category", "unit_cost"])
        w.writerows((p[0], p[1], p[2], p[3]) for p in products)
    customers = []
    start = date(2022, 1, 1)
    for cid in range(1, 201):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        customers.append(
            (
                cid,
                name,
                rng.choice(SEGMENTS),
                rng.choice(COUNTRIES),
                start + timedelta(days=rng.randint(0, 900)),
            )
        )
    with (out / "customers.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer_id", "customer_name", "segment", "country", "signup_date"])
        w.writerows(customers)
    with (out / "orders.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "order_id",
                "order_date",
                "customer_id",
                "product_id",
                "region",
                "quantity",
                "unit_price",
                "discount",
                "revenue",
            ]
        )
        first = date(2023, 1, 1)
        for oid in range(1, 3001):
            product = rng.choice(products)
            quantity = rng.randint(1, 9)
            discount = rng.choice([0, 0, 0, 0.05, 0.1, 0.2])
            revenue = round(quantity * product[4] * (1 - discount), 2)
            w.writerow(
                [
                    oid,
                    first + timedelta(days=rng.randint(0, 729)),
                    rng.randint(1, 200),
                    product[0],
                    rng.choice(REGIONS),
                    quantity,
                    f"${product[4]:,.2f}",
                    f"{discount:.0%}",
                    f"${revenue:,.2f}",
                ]
            )


if __name__ == "__main__":
    generate(Path(sys.argv[1]))

"""Held-out bakery evaluation data: shops, products, staff, order lines.

A small chain of bakery-cafés in the north of England ("Hearth & Crumb") with five shops. The
fact table is order_lines: one row per line item of an order (an order has one or more lines),
with quantity, unit price, discount, channel, the member of staff who served it and refunds.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 51873
START = dt.date(2024, 1, 1)
TODAY = dt.date(2025, 11, 19)
# no orders on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 11, 19), dt.date(2024, 11, 20)}

# id, name, town, region, seats, opened, closed
SHOPS = [
    ("HC01", "Hearth & Crumb Deansgate", "Manchester", "North West", 38, "2017-05-02", ""),
    ("HC02", "Hearth & Crumb Kirkgate", "Leeds", "Yorkshire", 24, "2019-03-11", ""),
    ("HC03", "Hearth & Crumb Bold St", "Liverpool", "North West", 30, "2020-09-01", ""),
    ("HC04", "Hearth & Crumb Shambles", "York", "Yorkshire", 16, "2021-06-19", "2025-03-31"),
    ("HC05", "Hearth & Crumb Ouseburn", "Newcastle", "North East", 28, "2024-09-07", ""),
]
SHOP_W = {"HC01": 30, "HC02": 22, "HC03": 20, "HC04": 12, "HC05": 16}

# sku, name, category, list price, unit cost, vegan
PRODUCTS = [
    ("BR-SOU", "Sourdough Loaf", "Bread", 4.80, 1.35, "Y"),
    ("BR-RYE", "Dark Rye Loaf", "Bread", 5.20, 1.60, "Y"),
    ("BR-FOC", "Rosemary Focaccia", "Bread", 4.20, 1.20, "Y"),
    ("VI-CRO", "Butter Croissant", "Viennoiserie", 2.60, 0.70, ""),
    ("VI-PAC", "Pain au Chocolat", "Viennoiserie", 2.90, 0.85, ""),
    ("VI-CIN", "Cinnamon Bun", "Viennoiserie", 3.20, 0.90, ""),
    ("CK-BRW", "Chocolate Brownie", "Cakes", 3.40, 0.95, ""),
    ("CK-CAR", "Carrot Cake Slice", "Cakes", 3.90, 1.10, ""),
    ("CK-LEM", "Lemon Drizzle Slice", "Cakes", 3.60, 0.95, "Y"),
    ("CK-CEL", "Celebration Cake (8in)", "Cakes", 32.00, 11.50, ""),
    ("SV-SAU", "Sausage Roll", "Savoury", 3.50, 1.05, ""),
    ("SV-CHE", "Cheese & Onion Pasty", "Savoury", 4.10, 1.30, ""),
    ("SV-VEG", "Spiced Veg Roll", "Savoury", 3.70, 1.00, "Y"),
    ("HD-FLW", "Flat White", "Hot Drinks", 3.30, 0.55, ""),
    ("HD-LAT", "Latte", "Hot Drinks", 3.40, 0.60, ""),
    ("HD-TEA", "Pot of Tea", "Hot Drinks", 2.80, 0.30, "Y"),
    ("CD-LEM", "Homemade Lemonade", "Cold Drinks", 2.90, 0.60, "Y"),
    ("CD-JUI", "Orange Juice", "Cold Drinks", 2.60, 0.75, "Y"),
    ("CT-BOX", "Catering Pastry Box (12)", "Catering", 28.00, 9.00, ""),
    ("CT-SAN", "Catering Sandwich Platter", "Catering", 45.00, 16.00, ""),
    ("SV-QUI", "Leek & Gruyere Quiche", "Savoury", 4.60, 1.50, ""),  # never sold: new line
]
PROD_W = [9, 4, 5, 10, 8, 7, 6, 5, 4, 1.2, 9, 6, 4, 10, 9, 5, 3, 3, 0, 0, 0]

CHANNELS = ["Counter", "Click & Collect", "Delivery App", "Catering"]
CH_W = [62, 18, 15, 5]

FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dan",
    "Ellie",
    "Faisal",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kezia",
    "Liam",
    "Maya",
    "Noah",
    "Orla",
    "Priya",
    "Reece",
    "Sophie",
    "Tom",
    "Zara",
]
LAST = [
    "Ahmed",
    "Barker",
    "Carter",
    "Dixon",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lawson",
    "Mills",
    "Nolan",
    "Owens",
    "Patel",
    "Quinn",
    "Robson",
]

# staff #, role, home shop, start, leave
STAFF_PLAN = [
    ("Manager", "HC01", "2017-05-02", ""),
    ("Shift Lead", "HC01", "2019-08-12", ""),
    ("Barista", "HC01", "2022-02-01", ""),
    ("Barista", "HC01", "2024-04-15", "2025-06-30"),
    ("Barista", "HC01", "2025-07-07", ""),
    ("Baker", "HC01", "2018-01-08", ""),
    ("Manager", "HC02", "2019-03-11", ""),
    ("Barista", "HC02", "2023-05-22", ""),
    ("Barista", "HC02", "2021-10-04", "2024-12-20"),
    ("Barista", "HC02", "2025-01-06", ""),
    ("Baker", "HC02", "2020-02-17", ""),
    ("Manager", "HC03", "2020-09-01", ""),
    ("Shift Lead", "HC03", "2022-03-14", ""),
    ("Barista", "HC03", "2023-09-04", ""),
    ("Baker", "HC03", "2021-01-11", ""),
    ("Manager", "HC04", "2021-06-19", "2025-03-31"),
    ("Barista", "HC04", "2022-07-01", "2025-03-31"),
    ("Manager", "HC05", "2024-08-19", ""),
    ("Barista", "HC05", "2024-08-26", ""),
    ("Barista", "HC05", "2024-08-26", ""),
    ("Baker", "HC05", "2024-08-19", ""),
    ("Barista", "HC03", "2024-02-05", "2024-09-27"),
]


def season(day):
    m = day.month
    if m == 12:
        return 1.45
    if m in (1, 2):
        return 0.8
    if m in (7, 8):
        return 0.95
    return 1.0


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    staff = []
    used = set()
    for i, (role, shop, start, leave) in enumerate(STAFF_PLAN):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used:
                used.add(name)
                break
        staff.append(
            {
                "Staff #": f"S{201 + i}",
                "Name": name,
                "Role": role,
                "Home Shop": shop,
                "Start Date": start,
                "Leave Date": leave,
            }
        )

    shops = {s[0]: s for s in SHOPS}
    prods = {p[0]: p for p in PRODUCTS}
    rows = []
    day = START
    onum = 0
    while day <= TODAY:
        if day not in SKIP_DAYS:
            growth = 1 + 0.3 * (day - START).days / (TODAY - START).days
            n = max(0, int(rng.gauss(1.6 * growth * season(day), 0.9) + 0.5))
            if day.weekday() == 5:
                n += 1
            for _ in range(n):
                sid = rng.choices(list(SHOP_W), weights=list(SHOP_W.values()))[0]
                s = shops[sid]
                if dt.date.fromisoformat(s[5]) > day or (
                    s[6] and dt.date.fromisoformat(s[6]) < day
                ):
                    continue
                ch = rng.choices(CHANNELS, weights=CH_W)[0]
                if ch == "Catering" and sid in ("HC04",):
                    ch = "Counter"
                hour = rng.choices(range(7, 18), weights=[6, 12, 10, 8, 9, 11, 9, 6, 5, 4, 2])[0]
                t = f"{hour:02d}:{rng.randint(0, 59):02d}"
                # who served: counter orders have a barista / lead / manager; online orders blank
                serv = ""
                if ch in ("Counter", "Catering") or rng.random() < 0.15:
                    cands = [
                        st
                        for st in staff
                        if st["Home Shop"] == sid
                        and st["Role"] != "Baker"
                        and dt.date.fromisoformat(st["Start Date"]) <= day
                        and (not st["Leave Date"] or dt.date.fromisoformat(st["Leave Date"]) >= day)
                    ]
                    if cands:
                        serv = rng.choice(cands)["Staff #"]
                card = ""
                if rng.random() < 0.34:
                    card = f"LC{rng.randint(1000, 1420)}"
                onum += 1
                if ch == "Catering":
                    skus = rng.sample(["CT-BOX", "CT-SAN", "CD-JUI", "CK-BRW"], rng.randint(1, 3))
                    if "CT-BOX" not in skus and "CT-SAN" not in skus:
                        skus[0] = "CT-BOX"
                else:
                    k = rng.choices([1, 2, 3, 4], weights=[32, 38, 20, 10])[0]
                    skus = []
                    while len(skus) < k:
                        sku = rng.choices([p[0] for p in PRODUCTS], weights=PROD_W)[0]
                        if sku not in skus:
                            skus.append(sku)
                disc_order = ""
                if card and rng.random() < 0.3:
                    disc_order = 10
                elif ch == "Catering":
                    disc_order = rng.choice([5, 10, ""])
                for ln, sku in enumerate(skus, 1):
                    p = prods[sku]
                    if p[2] == "Catering":
                        qty = rng.randint(1, 4)
                    elif p[2] == "Bread":
                        qty = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
                    else:
                        qty = rng.choices([1, 2, 3, 4, 6], weights=[50, 28, 10, 8, 4])[0]
                    price = p[3] if day < dt.date(2025, 4, 1) else round(p[3] * 1.06, 2)
                    if ch == "Delivery App":
                        price = round(price * 1.15, 2)
                    disc = disc_order
                    if p[0] == "SV-SAU" and day.weekday() == 0 and not disc:
                        disc = 25
                    ref = "Y" if rng.random() < 0.025 else ""
                    rows.append(
                        {
                            "Order #": f"HC-{100000 + onum}",
                            "Line": ln,
                            "Order Date": day,
                            "Order Time": t,
                            "Shop ID": sid,
                            "Staff #": serv,
                            "Channel": ch,
                            "SKU": sku,
                            "Qty": qty,
                            "Unit Price (GBP)": f"{price:.2f}",
                            "Disc %": disc,
                            "Loyalty Card": card,
                            "Refunded": ref,
                        }
                    )
        day += dt.timedelta(days=1)

    write(
        os.path.join(out, "shops.csv"),
        ["Shop ID", "Shop Name", "Town", "Region", "Seats", "Opened", "Closed"],
        [
            dict(zip(["Shop ID", "Shop Name", "Town", "Region", "Seats", "Opened", "Closed"], s))
            for s in SHOPS
        ],
    )
    pcols = ["SKU", "Product", "Category", "List Price (GBP)", "Unit Cost (GBP)", "Vegan?"]
    write(
        os.path.join(out, "products.csv"),
        pcols,
        [
            dict(zip(pcols, (p[0], p[1], p[2], f"{p[3]:.2f}", f"{p[4]:.2f}", p[5])))
            for p in PRODUCTS
        ],
    )
    write(
        os.path.join(out, "staff.csv"),
        ["Staff #", "Name", "Role", "Home Shop", "Start Date", "Leave Date"],
        staff,
    )
    write(
        os.path.join(out, "order_lines.csv"),
        [
            "Order #",
            "Line",
            "Order Date",
            "Order Time",
            "Shop ID",
            "Staff #",
            "Channel",
            "SKU",
            "Qty",
            "Unit Price (GBP)",
            "Disc %",
            "Loyalty Card",
            "Refunded",
        ],
        rows,
    )
    return out


def write(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in fields})


if __name__ == "__main__":
    d = main(sys.argv[1] if len(sys.argv) > 1 else None)
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn), encoding="utf-8") as f:
            print(fn, sum(1 for _ in f) - 1, "rows")

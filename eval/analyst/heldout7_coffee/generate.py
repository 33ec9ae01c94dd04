"""Held-out coffee roaster evaluation data: orders, order lines, wholesale accounts, sales reps.

A wholesale specialty coffee roaster in the Pacific Northwest ("Ember & Alder Coffee Roasters")
selling whole-bean coffee to cafés, restaurants, offices, grocers and hotels. An order is one
delivery to one account; each order has one or more lines (one SKU each). The fact tables are
orders and order_lines.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 81527
START = dt.date(2024, 1, 2)
TODAY = dt.date(2026, 6, 17)
PRICE_RISE = dt.date(2025, 3, 1)
# no orders on the days either side of the 12-month and 30-day boundaries (see README)
SKIP_DAYS = {
    dt.date(2025, 6, 17),
    dt.date(2025, 6, 18),
    dt.date(2026, 5, 18),
    dt.date(2026, 5, 19),
}

# rep id, name, region, hired, left, weight of new accounts
REPS = [
    ("R01", "Dana Whitfield", "Portland Metro", "2019-04-08", None, 30),
    ("R02", "Marcus Oyelaran", "Portland Metro", "2021-09-13", None, 24),
    ("R03", "Lena Sorensen", "Seattle", "2020-02-03", None, 22),
    ("R04", "Tomás Herrera", "Willamette Valley", "2022-06-20", None, 14),
    ("R05", "Priya Raman", "Seattle", "2023-01-09", "2025-08-29", 12),
    ("R06", "Jordan Kell", "Central Oregon", "2024-10-01", None, 8),
]
CITIES = {
    "Portland Metro": [("Portland", "OR"), ("Beaverton", "OR"), ("Vancouver", "WA")],
    "Seattle": [("Seattle", "WA"), ("Tacoma", "WA"), ("Bellevue", "WA")],
    "Willamette Valley": [("Salem", "OR"), ("Eugene", "OR"), ("Corvallis", "OR")],
    "Central Oregon": [("Bend", "OR"), ("Redmond", "OR")],
}
TYPES = [("Café", 52), ("Restaurant", 16), ("Office", 12), ("Grocery", 11), ("Hotel", 9)]
NAME_A = [
    "Little",
    "Rose City",
    "Fern",
    "Copper",
    "Blue Heron",
    "North Star",
    "Cedar",
    "Driftwood",
    "Basalt",
    "Union",
    "Harbor",
    "Old Mill",
    "Juniper",
    "Pioneer",
    "Red Door",
    "Salt & Pine",
    "Sparrow",
    "Lantern",
    "Moss",
    "Ironworks",
    "Riverbend",
    "Tilikum",
]
NAME_B = {
    "Café": ["Coffee", "Café", "Espresso Bar", "Coffee House", "Bakery & Café"],
    "Restaurant": ["Kitchen", "Bistro", "Diner", "Brasserie"],
    "Office": ["Labs", "Partners", "Software", "Architects"],
    "Grocery": ["Market", "Grocery", "Co-op"],
    "Hotel": ["Hotel", "Inn", "Lodge"],
}
# sku, product, roast, origin, bag size (lb), list price, unit cost, popularity
PRODUCTS = [
    ("EA-HSE-5", "House Espresso", "Medium", "Blend", 5, 62.00, 31.50, 30),
    ("EA-HSE-12", "House Espresso", "Medium", "Blend", 0.75, 13.50, 5.60, 8),
    ("EA-DRK-5", "Night Owl Dark", "Dark", "Blend", 5, 58.00, 29.00, 16),
    ("EA-BRK-5", "Breakfast Blend", "Medium", "Blend", 5, 55.00, 27.25, 18),
    ("EA-ETH-5", "Ethiopia Guji", "Light", "Ethiopia", 5, 78.00, 41.00, 9),
    ("EA-ETH-12", "Ethiopia Guji", "Light", "Ethiopia", 0.75, 17.00, 7.40, 5),
    ("EA-COL-5", "Colombia Huila", "Medium", "Colombia", 5, 66.00, 34.00, 12),
    ("EA-KEN-12", "Kenya Nyeri AA", "Light", "Kenya", 0.75, 19.50, 8.90, 3),
    ("EA-GUA-5", "Guatemala Antigua", "Medium", "Guatemala", 5, 64.00, 33.00, 8),
    ("EA-SUM-5", "Sumatra Mandheling", "Dark", "Indonesia", 5, 63.00, 32.50, 6),
    ("EA-BRZ-5", "Brazil Cerrado", "Medium", "Brazil", 5, 54.00, 26.00, 9),
    ("EA-DEC-5", "Swiss Water Decaf", "Medium", "Colombia", 5, 67.00, 36.00, 7),
    ("EA-DEC-12", "Swiss Water Decaf", "Medium", "Colombia", 0.75, 14.50, 6.30, 3),
    ("EA-CLD-5", "Cold Brew Coarse", "Dark", "Blend", 5, 57.00, 28.50, 6),
]
CHANNELS = [("Rep Visit", 30), ("Web Portal", 42), ("Phone", 16), ("Email", 12)]


# what each kind of account leans towards (SKU -> weight multiplier)
LEANS = {
    "Café": {"EA-HSE-5": 1.5, "EA-ETH-5": 1.5},
    "Restaurant": {"EA-DRK-5": 3.0, "EA-DEC-5": 2.0},
    "Office": {"EA-BRK-5": 3.0, "EA-CLD-5": 2.0},
    "Grocery": {"EA-HSE-12": 4.0, "EA-ETH-12": 5.0, "EA-KEN-12": 6.0, "EA-DEC-12": 4.0},
    "Hotel": {"EA-BRK-5": 2.5, "EA-DEC-5": 2.5},
}


def favourites(rng, typ):
    """Three products an account buys regularly, the popular ones more often."""
    lean = LEANS[typ]
    weights = [x[7] * lean.get(x[0], 1.0) for x in PRODUCTS]
    favs = []
    while len(favs) < 3:
        p = rng.choices(range(len(PRODUCTS)), weights)[0]
        if p not in favs:
            favs.append(p)
    return favs


def main(out=None):
    rng = random.Random(SEED)
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)

    reps = [
        {
            "Rep ID": r[0],
            "Rep Name": r[1],
            "Region": r[2],
            "Hired": r[3],
            "Left": r[4],
        }
        for r in REPS
    ]

    accounts = []
    used = set()
    for n in range(118):
        rep = rng.choices(REPS, weights=[r[5] for r in REPS])[0]
        hired = dt.date.fromisoformat(rep[3])
        lo = max(hired, dt.date(2021, 1, 4))
        hi = dt.date(2026, 3, 31)
        if rep[4]:
            hi = dt.date.fromisoformat(rep[4]) - dt.timedelta(days=30)
        if rng.random() < 0.55 and lo < dt.date(2023, 12, 1):
            hi = min(hi, dt.date(2023, 12, 31))
        opened = lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
        typ = rng.choices([t[0] for t in TYPES], [t[1] for t in TYPES])[0]
        while True:
            name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B[typ])}"
            if name not in used:
                used.add(name)
                break
        city, state = rng.choice(CITIES[rep[2]])
        closed = None
        if rng.random() < 0.13:
            c0 = max(opened, START) + dt.timedelta(days=90)
            if c0 < dt.date(2026, 5, 1):
                closed = c0 + dt.timedelta(days=rng.randint(0, (dt.date(2026, 5, 1) - c0).days))
        terms = rng.choices(["Net 30", "Net 15", ""], [45, 30, 25])[0]
        size = {"Café": 1.0, "Restaurant": 0.6, "Office": 0.45, "Grocery": 1.3, "Hotel": 0.8}
        accounts.append(
            {
                "Account ID": f"AC{1001 + n}",
                "Account Name": name,
                "Account Type": typ,
                "City": city,
                "State": state,
                "Sales Rep": rep[0],
                "Opened": opened,
                "Closed": closed,
                "Payment Terms": terms,
                "_gap": rng.randint(7, 28),
                "_size": size[typ] * rng.uniform(0.5, 1.8),
                "_fav": favourites(rng, typ),
            }
        )

    orders, lines = [], []
    no = 50000
    for a in accounts:
        day = max(a["Opened"], START) + dt.timedelta(days=rng.randint(0, a["_gap"]))
        end = a["Closed"] or TODAY
        while day <= end:
            if day.weekday() >= 5 or day in SKIP_DAYS:
                day += dt.timedelta(days=1)
                continue
            no += 1
            # a light seasonal swing: more coffee in the autumn and winter
            season = (
                1.15 if day.month in (10, 11, 12, 1) else (0.88 if day.month in (7, 8) else 1.0)
            )
            r = rng.random()
            status = "Shipped"
            ship = day + dt.timedelta(days=rng.choices([0, 1, 2, 3, 5], [10, 45, 28, 12, 5])[0])
            if r < 0.03:
                status, ship = "Cancelled", None
            elif ship > TODAY or ((TODAY - day).days < 2 and rng.random() < 0.7):
                status, ship = "Open", None
            while ship and ship.weekday() >= 5:
                ship += dt.timedelta(days=1)
            if ship and ship > TODAY:
                status, ship = "Open", None
            channel = rng.choices([c[0] for c in CHANNELS], [c[1] for c in CHANNELS])[0]
            total = 0.0
            picks = set()
            for _ in range(rng.choices([1, 2, 3, 4], [38, 34, 19, 9])[0]):
                if rng.random() < 0.7:
                    p = rng.choice(a["_fav"])
                else:
                    p = rng.choices(range(len(PRODUCTS)), [x[7] for x in PRODUCTS])[0]
                if p in picks:
                    continue
                picks.add(p)
                sku, prod, roast, origin, lb, price, cost, _ = PRODUCTS[p]
                if day >= PRICE_RISE:
                    price = round(price * 1.06, 2)
                    cost = round(cost * 1.09, 2)
                base = 6 if lb == 5 else 18
                qty = max(1, round(rng.uniform(0.3, 1.6) * base * a["_size"] * season / 2))
                disc = rng.choices(["", "5", "10", "15"], [78, 10, 9, 3])[0]
                if a["Account Type"] == "Grocery" and lb < 1 and not disc:
                    disc = "10"
                total += qty * price * (1 - (float(disc) if disc else 0) / 100)
                lines.append(
                    {
                        "Order No": f"SO-{no}",
                        "Line": len(picks),
                        "SKU": sku,
                        "Product": prod,
                        "Roast": roast,
                        "Origin": origin,
                        "Bag Size (lb)": lb,
                        "Qty (bags)": qty,
                        "Unit Price (USD)": f"{price:.2f}",
                        "Discount %": disc,
                        "Unit Cost (USD)": f"{cost:.2f}",
                    }
                )
            shipping = "" if total >= 250 else rng.choice(["9.50", "12.00", "14.75"])
            orders.append(
                {
                    "Order No": f"SO-{no}",
                    "Account ID": a["Account ID"],
                    "Order Date": day,
                    "Ship Date": ship,
                    "Status": status,
                    "Channel": channel,
                    "Shipping (USD)": shipping,
                }
            )
            day += dt.timedelta(days=max(3, int(a["_gap"] * rng.uniform(0.6, 1.4))))

    # number orders in date order, as the order system does
    orders.sort(key=lambda o: (o["Order Date"], o["Order No"]))
    renum = {o["Order No"]: f"SO-{50001 + i}" for i, o in enumerate(orders)}
    for o in orders:
        o["Order No"] = renum[o["Order No"]]
    for x in lines:
        x["Order No"] = renum[x["Order No"]]
    lines.sort(key=lambda x: (x["Order No"], x["Line"]))
    # accounts of a rep who left are handed to the other rep in the region
    for a in accounts:
        if a["Sales Rep"] == "R05":
            a["Sales Rep"] = "R03"

    write(
        os.path.join(out, "sales_reps.csv"),
        ["Rep ID", "Rep Name", "Region", "Hired", "Left"],
        reps,
    )
    write(
        os.path.join(out, "accounts.csv"),
        [
            "Account ID",
            "Account Name",
            "Account Type",
            "City",
            "State",
            "Sales Rep",
            "Opened",
            "Closed",
            "Payment Terms",
        ],
        accounts,
    )
    write(
        os.path.join(out, "orders.csv"),
        [
            "Order No",
            "Account ID",
            "Order Date",
            "Ship Date",
            "Status",
            "Channel",
            "Shipping (USD)",
        ],
        orders,
    )
    write(
        os.path.join(out, "order_lines.csv"),
        [
            "Order No",
            "Line",
            "SKU",
            "Product",
            "Roast",
            "Origin",
            "Bag Size (lb)",
            "Qty (bags)",
            "Unit Price (USD)",
            "Discount %",
            "Unit Cost (USD)",
        ],
        lines,
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

"""Held-out logistics evaluation data: shipments, carriers, warehouses, customers.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 77231
START = dt.date(2023, 1, 1)
END = dt.date(2025, 6, 30)

CARRIERS = [
    # carrier_id, carrier_name, mode, hq_country, contract_start
    ("CR01", "Rhine Road Freight", "Road", "DE", "2021-03-01"),
    ("CR02", "SwiftAir Cargo", "Air", "NL", "2022-06-15"),
    ("CR03", "Baltic Rail Link", "Rail", "PL", "2022-01-10"),
    ("CR04", "Alpine Haulage", "Road", "AT", "2023-04-01"),
    ("CR05", "BlueWave Ocean Lines", "Ocean", "DK", "2021-09-01"),
    ("CR06", "Iberia Express Trucking", "Road", "ES", "2023-09-01"),
    ("CR07", "NorthStar Air Logistics", "Air", "SE", "2024-02-01"),
]
WAREHOUSES = [
    # wh_code, Warehouse Name, region, city, opened, capacity_pallets
    ("WH-RTM", "Rotterdam Port DC", "Benelux", "Rotterdam", "2019-05-01", 12000),
    ("WH-DUS", "Duesseldorf Hub", "DACH", "Duesseldorf", "2020-02-01", 8000),
    ("WH-LYS", "Lyon South Depot", "France", "Lyon", "2021-07-01", 5500),
    ("WH-MAD", "Madrid Central", "Iberia", "Madrid", "2022-03-15", 6000),
    ("WH-WAW", "Warsaw East Crossdock", "CEE", "Warsaw", "2024-01-08", 4000),
]
CITIES = [
    "Berlin",
    "Paris",
    "Milan",
    "Vienna",
    "Prague",
    "Brussels",
    "Barcelona",
    "Munich",
    "Hamburg",
    "Lisbon",
    "Copenhagen",
    "Zurich",
    "Budapest",
    "Stockholm",
    "Oslo",
]
SEGMENTS = ["Retail", "E-commerce", "Industrial", "Pharma"]
COUNTRIES = ["DE", "FR", "NL", "ES", "IT", "PL", "BE"]
MGRS = ["L. Fischer", "M. Dubois", "S. Jansen", "R. Garcia"]
CUST_A = [
    "Alder",
    "Beacon",
    "Castle",
    "Delta",
    "Ember",
    "Fjord",
    "Glen",
    "Hollow",
    "Isle",
    "Jade",
    "Keystone",
    "Linden",
    "Marble",
    "Nova",
    "Oak",
    "Pine",
    "Quartz",
    "Rook",
]
CUST_B = {
    "Retail": ["Home Goods", "Outfitters", "Foods", "Beauty"],
    "E-commerce": ["Online", "Direct", "Electronics", "Marketplace"],
    "Industrial": ["Components", "Tools", "Steel", "Machinery"],
    "Pharma": ["Pharma", "Medical", "Biotech", "Labs"],
}

# service level -> (promised_days, mode preference)
SERVICE = {"Express": 2, "Standard": 5, "Economy": 8, "Freight": 12}
RATE = {"Road": (0.35, 0.9), "Air": (2.4, 4.2), "Rail": (0.25, 0.55), "Ocean": (0.12, 0.3)}


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    used = set()
    customers = []
    for i in range(64):
        segment = rng.choices(SEGMENTS, weights=[30, 35, 25, 10])[0]
        while True:
            name = f"{rng.choice(CUST_A)} {rng.choice(CUST_B[segment])}"
            if name not in used:
                used.add(name)
                break
        customers.append(
            {
                "cust_no": 3100 + i,
                "Customer Name": name,
                "segment": segment,
                "country": rng.choice(COUNTRIES),
                "account_mgr": rng.choice(MGRS) if rng.random() > 0.2 else "",
                "onboarded": START + dt.timedelta(days=int(800 * rng.random() ** 1.6)),
            }
        )
    # a few customers onboarded but (so far) never shipped
    silent = set(c["cust_no"] for c in rng.sample(customers, 4))
    weights = [rng.choice([1, 1, 2, 3, 6]) for _ in customers]

    shipments = []
    total_days = (END - START).days
    n_target = 2300
    for _ in range(n_target):
        c = rng.choices(customers, weights=weights)[0]
        if c["cust_no"] in silent:
            continue
        ship = START + dt.timedelta(days=rng.randint(0, total_days))
        if ship < c["onboarded"]:
            continue
        # volume grows over time: drop some early shipments
        if rng.random() < 0.35 * (1 - (ship - START).days / total_days):
            continue
        svc = rng.choices(list(SERVICE), weights=[18, 50, 22, 10])[0]
        mode_choices = {
            "Express": ["CR02", "CR07", "CR01", "CR06"],
            "Standard": ["CR01", "CR04", "CR06", "CR03"],
            "Economy": ["CR03", "CR05", "CR04"],
            "Freight": ["CR05", "CR03", "CR01"],
        }[svc]
        carrier = rng.choice(mode_choices)
        cinfo = next(x for x in CARRIERS if x[0] == carrier)
        if ship < dt.date.fromisoformat(cinfo[4]):
            carrier = "CR01"
            cinfo = CARRIERS[0]
        wh = rng.choices(WAREHOUSES, weights=[30, 25, 15, 18, 12])[0]
        if ship < dt.date.fromisoformat(wh[4]):
            wh = WAREHOUSES[0]
        weight = round(rng.lognormvariate(4.2, 1.1), 1)
        if svc == "Freight":
            weight = round(weight * 8, 1)
        weight = max(0.5, min(weight, 9000.0))
        lo, hi = RATE[cinfo[2]]
        rate = round(rng.uniform(lo, hi), 2)
        fuel = (
            rng.choice([0.08, 0.1, 0.12, 0.15])
            if ship.year < 2024
            else rng.choice([0.1, 0.12, 0.15, 0.18])
        )
        promised = SERVICE[svc]
        transit = max(0, promised + rng.choice([-2, -1, -1, 0, 0, 0, 0, 1, 1, 2, 3, 5]))
        delivered = ship + dt.timedelta(days=transit)
        r = rng.random()
        if delivered > END:
            status, delivered = "In Transit", ""
        elif r < 0.012:
            status, delivered = "Lost", ""
        elif r < 0.05:
            status, delivered = "Returned", ""
        else:
            status = "Delivered"
        shipments.append(
            {
                "ship_date": ship,
                "delivered_dt": delivered,
                "origin_wh": wh[0],
                "dest_city": rng.choice(CITIES),
                "carrier_id": carrier,
                "cust_no": c["cust_no"],
                "service_level": svc,
                "weight_kg": weight,
                "distance_km": rng.randint(60, 2600),
                "rate_per_kg": rate,
                "fuel_surcharge_pct": fuel,
                "status": status,
                "promised_days": promised,
                "pallets": "" if rng.random() < 0.07 else max(1, int(weight // 400) + 1),
            }
        )
    shipments.sort(key=lambda r: (r["ship_date"], r["cust_no"], r["weight_kg"]))
    for n, r in enumerate(shipments):
        r["Shipment ID"] = f"SHP{100000 + n}"

    write(
        os.path.join(out, "carriers.csv"),
        ["carrier_id", "carrier_name", "mode", "hq_country", "contract_start"],
        [
            dict(
                zip(
                    ["carrier_id", "carrier_name", "mode", "hq_country", "contract_start"],
                    c,
                    strict=False,
                )
            )
            for c in CARRIERS
        ],
    )
    wf = ["wh_code", "Warehouse Name", "region", "city", "opened", "capacity_pallets"]
    write(
        os.path.join(out, "warehouses.csv"),
        wf,
        [dict(zip(wf, w, strict=False)) for w in WAREHOUSES],
    )
    write(
        os.path.join(out, "customers.csv"),
        ["cust_no", "Customer Name", "segment", "country", "account_mgr", "onboarded"],
        customers,
    )
    write(
        os.path.join(out, "shipments.csv"),
        [
            "Shipment ID",
            "ship_date",
            "delivered_dt",
            "origin_wh",
            "dest_city",
            "carrier_id",
            "cust_no",
            "service_level",
            "weight_kg",
            "distance_km",
            "rate_per_kg",
            "fuel_surcharge_pct",
            "status",
            "promised_days",
            "pallets",
        ],
        shipments,
    )
    return out


def write(path, fields, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in fields})


if __name__ == "__main__":
    d = main(sys.argv[1] if len(sys.argv) > 1 else None)
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn)) as f:
            print(fn, sum(1 for _ in f) - 1, "rows")

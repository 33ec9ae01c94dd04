"""Held-out energy-utility evaluation data: customers, meters, tariffs, meter readings.

A retail electricity and gas supplier ("Brightwater Energy") in Ireland. The fact table is
readings: one row per meter reading (billing read), with the kWh used since the previous read.
Charges are not stored; they are derived from the tariff (see dictionary.md).

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 55213
START = dt.date(2023, 1, 1)
TODAY = dt.date(2025, 4, 20)
# no reads on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 4, 20), dt.date(2024, 4, 21)}

# TARIFF_CODE, Tariff Name, Fuel Type, unit rate c/kWh, standing EUR/day, green
TARIFFS = [
    ("E-STD", "Standard Electricity", "Electricity", 31.5, 0.72, "N"),
    ("E-FIX24", "Fixed 24 Electricity", "Electricity", 29.8, 0.78, "N"),
    ("E-GRN", "GreenPower 100", "Electricity", 33.2, 0.72, "Y"),
    ("E-EV", "EV Night Saver", "Electricity", 27.4, 0.85, "N"),
    ("E-BIZ", "Business Electricity", "Electricity", 28.9, 1.45, "N"),
    ("E-LEG", "Classic Electricity (closed)", "Electricity", 34.0, 0.70, "N"),
    ("G-STD", "Standard Gas", "Gas", 12.6, 0.38, "N"),
    ("G-FIX", "Fixed Gas", "Gas", 11.9, 0.42, "N"),
    ("G-BIZ", "Business Gas", "Gas", 10.8, 0.95, "N"),
]
CITIES = ["Dublin", "Cork", "Galway", "Limerick", "Waterford"]
SEGMENTS = ["RES", "SME", "C&I"]

FIRST = [
    "Sinead",
    "Conor",
    "Aoife",
    "Declan",
    "Brid",
    "Eoin",
    "Mairead",
    "Niall",
    "Ciaran",
    "Orlaith",
    "Ronan",
    "Siobhan",
    "Tadhg",
    "Una",
    "Killian",
    "Laoise",
    "Paul",
    "Ann",
]
LAST = [
    "O'Neill",
    "McCarthy",
    "Fitzgerald",
    "Kennedy",
    "Brady",
    "Gallagher",
    "Dunne",
    "Foley",
    "Healy",
    "Keogh",
    "Maher",
    "Nolan",
    "Ward",
    "Sheehan",
    "Tobin",
    "Cullen",
]
BIZ_A = [
    "Harbour",
    "Liffey",
    "Shannon",
    "Atlantic",
    "Corrib",
    "Lee",
    "Suir",
    "Burren",
    "Claddagh",
    "Ormond",
    "Beara",
    "Glen",
]
BIZ_B = [
    "Bakery",
    "Motors",
    "Dental",
    "Hotel",
    "Cafe",
    "Pharmacy",
    "Gym",
    "Print Works",
    "Florists",
    "Butchers",
]
CI_NAMES = [
    "Midland Cold Stores Ltd",
    "Kestrel Plastics Ltd",
    "Atlantic Seafoods Ltd",
    "Ormond Data Centre",
    "Suirside Dairy Co-op",
    "Corrib Hospital Laundry",
    "Liffey Brewing Co",
    "Shannon Packaging Ltd",
]


def month_days(y, m):
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.date(y, m, 1)).days


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # ---- customers --------------------------------------------------------
    customers = []
    used = set()
    ci_names = list(CI_NAMES)
    for i in range(92):
        seg = rng.choices(SEGMENTS, weights=[70, 22, 8])[0]
        if seg == "C&I" and not ci_names:
            seg = "SME"
        while True:
            if seg == "RES":
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            elif seg == "SME":
                name = f"{rng.choice(BIZ_A)} {rng.choice(BIZ_B)}"
            else:
                name = ci_names.pop(0)
            if name not in used:
                used.add(name)
                break
        if rng.random() < 0.45:
            joined = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))
        else:
            joined = START + dt.timedelta(days=rng.randint(0, (dt.date(2025, 1, 31) - START).days))
        left = ""
        if rng.random() < 0.2:
            lv = max(joined, START) + dt.timedelta(days=rng.randint(150, 700))
            if lv < dt.date(2025, 1, 1):
                left = lv
        customers.append(
            {
                "Cust No": 700100 + i * 7,
                "Customer Name": name,
                "Segment": seg,
                "City": rng.choices(CITIES, weights=[40, 22, 15, 13, 10])[0],
                "Joined": joined,
                "Left": left,
                "Paperless": rng.choice(["Y", "Y", "N"]),
            }
        )

    # ---- meters ------------------------------------------------------------
    meters = []
    mprn = 10004100
    for c in customers:
        seg = c["Segment"]
        fuels = ["ELEC"]
        if rng.random() < (0.55 if seg == "RES" else 0.7):
            fuels.append("GAS")
        for fuel in fuels:
            if fuel == "ELEC":
                if seg == "RES":
                    tar = rng.choices(
                        ["E-STD", "E-FIX24", "E-GRN", "E-EV"], weights=[40, 30, 18, 12]
                    )[0]
                else:
                    tar = rng.choice(["E-BIZ", "E-BIZ", "E-GRN"])
            else:
                tar = rng.choice(["G-STD", "G-FIX"]) if seg == "RES" else "G-BIZ"
            inst = c["Joined"] + dt.timedelta(days=rng.randint(0, 40))
            smart = "Smart" if rng.random() < 0.62 else "Legacy"
            mprn += rng.randint(3, 90)
            meters.append(
                {
                    "MPRN": mprn,
                    "Cust No": c["Cust No"],
                    "Fuel": fuel,
                    "TARIFF_CODE": tar,
                    "Meter Type": smart,
                    "Install Date": inst,
                    "_seg": seg,
                    "_left": c["Left"],
                    "_joined": c["Joined"],
                }
            )

    # ---- readings (fact) ---------------------------------------------------
    readings = []
    for m in meters:
        seg, fuel = m["_seg"], m["Fuel"]
        daily = {
            ("RES", "ELEC"): rng.uniform(7, 14),
            ("RES", "GAS"): rng.uniform(25, 45),
            ("SME", "ELEC"): rng.uniform(35, 80),
            ("SME", "GAS"): rng.uniform(60, 140),
            ("C&I", "ELEC"): rng.uniform(300, 700),
            ("C&I", "GAS"): rng.uniform(400, 900),
        }[(seg, fuel)]
        if m["TARIFF_CODE"] == "E-EV":
            daily *= 1.6
        read_dom = rng.randint(1, 28)
        first = max(m["Install Date"], START)
        last = m["_left"] or TODAY
        prev = None
        y, mo = first.year, first.month
        while True:
            d = dt.date(y, mo, min(read_dom, month_days(y, mo)))
            if d > last:
                break
            if d >= first:
                if d in SKIP_DAYS:
                    d += dt.timedelta(days=2)
                period = (d - prev).days if prev else rng.randint(28, 31)
                season = {
                    1: 1.45,
                    2: 1.35,
                    3: 1.2,
                    4: 1.0,
                    5: 0.85,
                    6: 0.75,
                    7: 0.7,
                    8: 0.72,
                    9: 0.85,
                    10: 1.0,
                    11: 1.25,
                    12: 1.45,
                }[d.month]
                if fuel == "GAS":
                    season = season**2.2
                kwh = round(daily * season * period * rng.uniform(0.85, 1.15), 1)
                rtype = (
                    "A"
                    if m["Meter Type"] == "Smart"
                    else rng.choices(["A", "E", "C"], weights=[55, 30, 15])[0]
                )
                if m["Meter Type"] == "Smart" and rng.random() < 0.04:
                    rtype = "E"
                readings.append(
                    {
                        "MPRN": m["MPRN"],
                        "Read Date": d,
                        "Read Type": rtype,
                        "kWh Used": kwh,
                        "Days in Period": period,
                    }
                )
                prev = d
            mo += 1
            if mo == 13:
                y, mo = y + 1, 1
    # guarantee activity on the last day
    smart_meters = [m for m in meters if not m["_left"] and m["Meter Type"] == "Smart"]
    last_read = {(r["MPRN"]): r for r in readings}
    m0 = smart_meters[0]
    r0 = last_read[m0["MPRN"]]
    if r0["Read Date"] != TODAY:
        readings.append(
            {
                "MPRN": m0["MPRN"],
                "Read Date": TODAY,
                "Read Type": "C",
                "kWh Used": round(9.5 * (TODAY - r0["Read Date"]).days, 1),
                "Days in Period": (TODAY - r0["Read Date"]).days,
            }
        )
    readings.sort(key=lambda r: (r["Read Date"], r["MPRN"]))
    for n, r in enumerate(readings):
        r["Reading ID"] = f"RD{500001 + n}"

    write(
        os.path.join(out, "customers.csv"),
        ["Cust No", "Customer Name", "Segment", "City", "Joined", "Left", "Paperless"],
        customers,
    )
    tcols = [
        "TARIFF_CODE",
        "Tariff Name",
        "Fuel Type",
        "Unit Rate (c/kWh)",
        "Standing Charge (EUR/day)",
        "Green?",
    ]
    write(os.path.join(out, "tariffs.csv"), tcols, [dict(zip(tcols, t)) for t in TARIFFS])
    write(
        os.path.join(out, "meters.csv"),
        ["MPRN", "Cust No", "Fuel", "TARIFF_CODE", "Meter Type", "Install Date"],
        meters,
    )
    write(
        os.path.join(out, "readings.csv"),
        ["Reading ID", "MPRN", "Read Date", "Read Type", "kWh Used", "Days in Period"],
        readings,
    )
    return out


def write(path, fields, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in fields})


if __name__ == "__main__":
    d = main(sys.argv[1] if len(sys.argv) > 1 else None)
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn)) as f:
            print(fn, sum(1 for _ in f) - 1, "rows")

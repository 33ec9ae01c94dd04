"""Held-out bike-share evaluation data: stations, bikes, members, trips.

A small-town public bike scheme ("Kilbride CityCycle") with 14 docking stations, a mixed
fleet of classic bikes and e-bikes, members on plans, and casual (pay-as-you-go) riders. The
fact table is trips: one row per ride, with its start and end, stations, bike, rider,
duration, distance and fare.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 61829
START = dt.date(2024, 3, 1)
TODAY = dt.date(2025, 6, 18)
# no trips on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 6, 18), dt.date(2024, 6, 19)}

# id, name, district, docks, opened, closed
STATIONS = [
    ("S01", "Central Station", "Town Centre", 24, "2021-05-01", ""),
    ("S02", "Market Square", "Town Centre", 18, "2021-05-01", ""),
    ("S03", "Library & Civic Offices", "Town Centre", 12, "2021-05-01", ""),
    ("S04", "St. Brigid's Hospital", "Northside", 14, "2021-05-01", ""),
    ("S05", "Northgate Shopping Centre", "Northside", 16, "2022-03-15", ""),
    ("S06", "Kilbride University - Main Gate", "University Quarter", 22, "2021-05-01", ""),
    ("S07", "Science Park", "University Quarter", 12, "2022-09-01", ""),
    ("S08", "Student Village", "University Quarter", 14, "2022-09-01", ""),
    ("S09", "Riverside Walk", "Riverside", 10, "2021-05-01", ""),
    ("S10", "Old Mill Quay", "Riverside", 10, "2023-04-01", ""),
    ("S11", "Harbour Road", "Harbour", 12, "2021-05-01", ""),
    ("S12", "Ferry Terminal", "Harbour", 16, "2021-05-01", "2025-02-28"),
    ("S13", "Beach Promenade", "Harbour", 10, "2025-04-01", ""),
    ("S14", "Eastfield Park & Ride", "Eastfield", 20, "2022-03-15", ""),
]
ST_WEIGHT = {
    "S01": 16,
    "S02": 11,
    "S03": 6,
    "S04": 6,
    "S05": 7,
    "S06": 13,
    "S07": 5,
    "S08": 8,
    "S09": 5,
    "S10": 3,
    "S11": 5,
    "S12": 5,
    "S13": 6,
    "S14": 4,
}
KM = {  # rough km position along two axes, for distances
    "S01": (0, 0),
    "S02": (0.6, 0.3),
    "S03": (0.4, -0.5),
    "S04": (-0.8, 2.1),
    "S05": (0.3, 2.6),
    "S06": (2.4, 1.0),
    "S07": (3.1, 1.6),
    "S08": (2.9, 0.4),
    "S09": (-0.9, -0.6),
    "S10": (-1.7, -1.1),
    "S11": (-1.2, -2.4),
    "S12": (-1.9, -2.9),
    "S13": (-0.3, -3.2),
    "S14": (3.6, -1.4),
}

# model, type, how many, in service
MODELS = [
    ("Urbana 3", "Classic", 34, "2021-05-01"),
    ("Urbana 4", "Classic", 12, "2023-03-01"),
    ("Volt E2", "E-bike", 14, "2022-06-01"),
    ("Volt E3", "E-bike", 10, "2024-11-15"),
]

PLANS = ["Annual", "Monthly", "Student"]
PLAN_W = [45, 30, 25]
DISTRICTS = ["Town Centre", "Northside", "University Quarter", "Riverside", "Harbour", "Eastfield"]


def season(day):
    return {
        1: 0.55,
        2: 0.6,
        3: 0.75,
        4: 0.9,
        5: 1.1,
        6: 1.25,
        7: 1.3,
        8: 1.25,
        9: 1.15,
        10: 0.9,
        11: 0.7,
        12: 0.55,
    }[day.month]


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # ---- bikes -------------------------------------------------------------
    bikes = []
    n = 101
    for model, btype, count, since in MODELS:
        for _ in range(count):
            ins = dt.date.fromisoformat(since) + dt.timedelta(days=rng.randint(0, 40))
            retired = ""
            if model == "Urbana 3" and rng.random() < 0.25:
                retired = dt.date(2024, 6, 1) + dt.timedelta(days=rng.randint(0, 320))
            bikes.append(
                {
                    "Bike #": f"B{n}",
                    "Model": model,
                    "Type": btype,
                    "In Service": ins,
                    "Retired": retired,
                }
            )
            n += 1

    # ---- members -----------------------------------------------------------
    members = []
    for i in range(420):
        plan = rng.choices(PLANS, weights=PLAN_W)[0]
        if rng.random() < 0.3:
            joined = dt.date(2021, 5, 1) + dt.timedelta(days=rng.randint(0, 1000))
        else:
            joined = START + dt.timedelta(days=int((TODAY - START).days * rng.random() ** 1.1))
        by = rng.randint(1999, 2006) if plan == "Student" else rng.randint(1950, 2001)
        cancelled = ""
        if plan != "Annual" and rng.random() < 0.25:
            c = joined + dt.timedelta(days=rng.randint(40, 400))
            if c < TODAY:
                cancelled = c
        members.append(
            {
                "Member ID": f"M{5001 + i}",
                "Plan": plan,
                "Joined": joined,
                "Birth Yr": by,
                "Home District": "University Quarter"
                if plan == "Student" and rng.random() < 0.7
                else rng.choice(DISTRICTS),
                "Cancelled": cancelled,
            }
        )
    never = set(m["Member ID"] for m in members if rng.random() < 0.05)
    keen = set(m["Member ID"] for m in members if rng.random() < 0.15)

    st = {s[0]: s for s in STATIONS}
    trips = []
    day = START
    while day <= TODAY:
        if day not in SKIP_DAYS:
            wk = 1.0 if day.weekday() < 5 else 0.8
            growth = 1 + 0.3 * (day - START).days / (TODAY - START).days
            k = max(0, int(rng.gauss(5.0 * season(day) * wk * growth, 1.6) + 0.5))
            if day == TODAY:
                k = max(k, 3)
            for _ in range(k):
                open_st = [
                    s
                    for s in ST_WEIGHT
                    if dt.date.fromisoformat(st[s][4]) <= day
                    and not (st[s][5] and dt.date.fromisoformat(st[s][5]) < day)
                ]
                a = rng.choices(open_st, weights=[ST_WEIGHT[s] for s in open_st])[0]
                if rng.random() < 0.07:
                    b = a  # round trip
                else:
                    b = rng.choices(open_st, weights=[ST_WEIGHT[s] for s in open_st])[0]
                    if b == a:
                        b = rng.choice([s for s in open_st if s != a])
                fleet = [
                    x
                    for x in bikes
                    if x["In Service"] <= day and not (x["Retired"] and x["Retired"] < day)
                ]
                bike = rng.choice(fleet)
                ebike = bike["Type"] == "E-bike"
                rider = None
                if rng.random() < 0.62:
                    cands = [
                        m
                        for m in rng.sample(members, 8)
                        if m["Joined"] <= day
                        and m["Member ID"] not in never
                        and not (m["Cancelled"] and m["Cancelled"] < day)
                    ]
                    if rng.random() < 0.4:
                        cands = [m for m in cands if m["Member ID"] in keen] or cands
                    rider = cands[0] if cands else None
                (x1, y1), (x2, y2) = KM[a], KM[b]
                dist = abs(x1 - x2) + abs(y1 - y2)
                if a == b:
                    dist = rng.uniform(2, 9)
                dist = round(dist * rng.uniform(1.05, 1.4) + 0.2, 2)
                speed = rng.uniform(15, 21) if ebike else rng.uniform(10, 15)
                dur = max(2, int(dist / speed * 60 + rng.uniform(0, 6)))
                if rider is None and rng.random() < 0.08:
                    dur += rng.randint(20, 90)  # tourists wandering
                hour = rng.choices(
                    range(6, 24), weights=[2, 7, 10, 7, 4, 4, 5, 6, 5, 4, 6, 9, 9, 6, 4, 3, 2, 1]
                )[0]
                t0 = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)))
                t1 = t0 + dt.timedelta(minutes=dur, seconds=rng.randint(0, 59))
                promo = ""
                if rider is None:
                    fare = 1.0 + dur * (0.30 if ebike else 0.15)
                    if rng.random() < 0.06:
                        promo = "FIRSTRIDE"
                        fare = 0.0
                else:
                    fare = dur * 0.10 if ebike else max(0, dur - 30) * 0.10
                    if rng.random() < 0.03:
                        promo = "SPRINGFREE" if day.month in (3, 4, 5) else "REFERRAL"
                        fare = 0.0
                trips.append(
                    {
                        "Start Time": t0,
                        "End Time": t1.replace(microsecond=0),
                        "From Stn": a,
                        "To Stn": b,
                        "Bike #": bike["Bike #"],
                        "Member ID": rider["Member ID"] if rider else "",
                        "Duration (min)": dur,
                        "Distance (km)": dist,
                        "Fare (EUR)": round(fare, 2),
                        "Promo": promo,
                    }
                )
        day += dt.timedelta(days=1)
    trips.sort(key=lambda r: r["Start Time"])
    for i, r in enumerate(trips):
        r["Trip ID"] = f"T{700001 + i}"
        r["Start Time"] = r["Start Time"].strftime("%Y-%m-%d %H:%M:%S")
        r["End Time"] = r["End Time"].strftime("%Y-%m-%d %H:%M:%S")

    scols = ["Stn ID", "Station Name", "District", "Docks", "Opened", "Closed"]
    write(os.path.join(out, "stations.csv"), scols, [dict(zip(scols, s)) for s in STATIONS])
    write(
        os.path.join(out, "bikes.csv"), ["Bike #", "Model", "Type", "In Service", "Retired"], bikes
    )
    write(
        os.path.join(out, "members.csv"),
        ["Member ID", "Plan", "Joined", "Birth Yr", "Home District", "Cancelled"],
        members,
    )
    write(
        os.path.join(out, "trips.csv"),
        [
            "Trip ID",
            "Start Time",
            "End Time",
            "From Stn",
            "To Stn",
            "Bike #",
            "Member ID",
            "Duration (min)",
            "Distance (km)",
            "Fare (EUR)",
            "Promo",
        ],
        trips,
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

"""Held-out solar evaluation data: quotes, installs, crews, service visits.

A residential solar installer in the US South-West ("Sunward Solar") selling rooftop systems in
Arizona, Nevada and Colorado. A quote is one proposal to one homeowner; a signed quote becomes an
install done by one crew; installed systems get service visits. Quotes and installs are the fact
tables; crews is a dimension.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 81527
START = dt.date(2024, 1, 8)
TODAY = dt.date(2025, 11, 19)
# no quotes, signatures, installs or visits on the days either side of the 12-month and 30-day
# boundaries (see README)
SKIP_DAYS = {
    dt.date(2024, 11, 19),
    dt.date(2024, 11, 20),
    dt.date(2025, 10, 20),
    dt.date(2025, 10, 21),
}

# state, cities, weight, base price per watt
STATES = {
    "AZ": (["Phoenix", "Mesa", "Scottsdale", "Tucson", "Chandler", "Gilbert"], 50, 2.85),
    "NV": (["Las Vegas", "Henderson", "Reno"], 25, 2.95),
    "CO": (["Denver", "Aurora", "Colorado Springs", "Boulder"], 25, 3.20),
}
# crew id, crew name, base, state, size, day rate, licensed electrician, started, disbanded
CREWS = [
    ("CR-01", "Copper Crew", "Phoenix", "AZ", 4, 2400, "Y", "2019-04-01", ""),
    ("CR-02", "Saguaro Crew", "Phoenix", "AZ", 3, 1850, "", "2021-02-15", ""),
    ("CR-03", "Desert Sun Crew", "Tucson", "AZ", 3, 1900, "Y", "2022-06-06", ""),
    ("CR-04", "Mesa Blue Crew", "Phoenix", "AZ", 4, 2350, "", "2024-01-08", "2025-03-28"),
    ("CR-05", "Neon Crew", "Las Vegas", "NV", 4, 2500, "Y", "2020-09-14", ""),
    ("CR-06", "Sierra Crew", "Las Vegas", "NV", 3, 1950, "", "2025-04-07", ""),
    ("CR-07", "Front Range Crew", "Denver", "CO", 4, 2650, "Y", "2021-03-01", ""),
    ("CR-08", "Foothills Crew", "Denver", "CO", 3, 2100, "", "2023-05-22", ""),
]
REPS = {
    "AZ": ["Dana Whitfield", "Marco Ruiz", "Priya Raman", "Tyler Begay"],
    "NV": ["Jasmine Cole", "Evan Park"],
    "CO": ["Hannah Lindqvist", "Luis Ortega", "Brooke Tanner"],
}
FIRST = [
    "James",
    "Maria",
    "Robert",
    "Linda",
    "David",
    "Patricia",
    "Carlos",
    "Jennifer",
    "Michael",
    "Aaliyah",
    "Kevin",
    "Sofia",
    "Brian",
    "Mei",
    "Jose",
    "Emily",
    "Daniel",
    "Rachel",
    "Anthony",
    "Grace",
    "Hector",
    "Olivia",
    "Nathan",
    "Fatima",
    "Scott",
    "Leah",
]
LAST = [
    "Garcia",
    "Johnson",
    "Martinez",
    "Nguyen",
    "Hernandez",
    "Smith",
    "Lopez",
    "Williams",
    "Yazzie",
    "Kim",
    "Anderson",
    "Gonzalez",
    "Patel",
    "Miller",
    "Ramirez",
    "Davis",
    "Chavez",
    "Thompson",
    "Brooks",
    "Sandoval",
    "Fischer",
    "Okafor",
]
SOURCES = [
    ("Referral", 22),
    ("Website", 30),
    ("Door-to-Door", 25),
    ("Home Show", 8),
    ("Utility Rebate Program", 15),
]
ROOFS = [("Tile", 40), ("Asphalt Shingle", 38), ("Metal", 12), ("Flat / Foam", 10)]
PANELS = ["Qcells Q.TRON 425", "REC Alpha Pure 410", "Canadian Solar HiKu 440"]
REASONS = [
    ("Inverter Fault", 20, True),
    ("Monitoring Offline", 22, True),
    ("Roof Leak", 8, True),
    ("Battery Issue", 9, True),
    ("Panel Cleaning", 18, False),
    ("Critter Guard Install", 9, False),
    ("Annual Inspection", 14, False),
]


def skip(d):
    return d in SKIP_DAYS or d.weekday() == 6 or (d.month == 12 and d.day == 25)


def next_ok(d):
    while skip(d):
        d += dt.timedelta(days=1)
    return d


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    used = set()

    crews = [
        {
            "Crew ID": c[0],
            "Crew Name": c[1],
            "Base": c[2],
            "Crew Size": c[4],
            "Day Rate (USD)": c[5],
            "Licensed Electrician": c[6],
            "Formed": c[7],
            "Disbanded": c[8],
        }
        for c in CREWS
    ]

    quotes, installs, visits = [], [], []
    qn, inst_n, tk = 0, 0, 0
    day = START
    while day <= TODAY:
        if skip(day):
            day += dt.timedelta(days=1)
            continue
        season = {5: 1.2, 6: 1.25, 7: 1.1, 12: 0.7, 1: 0.8}.get(day.month, 1.0)
        growth = 1.0 + 0.25 * (day - START).days / 680
        n = max(0, int(rng.gauss(3.4 * season * growth * (0.5 if day.weekday() == 5 else 1), 1.2)))
        for _ in range(n):
            st = rng.choices(list(STATES), weights=[s[1] for s in STATES.values()])[0]
            cities, _w, ppw = STATES[st]
            while True:
                name = f"{rng.choice(FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(LAST)}"
                if name not in used:
                    used.add(name)
                    break
            kw = round(rng.choice([4.5, 5.5, 6.4, 7.2, 8.1, 8.5, 9.6, 10.8, 12.0, 13.6]), 1)
            panels = round(kw * 1000 / 425)
            batt = ""
            batt_price = ""
            p_batt = 0.22 if st != "CO" else 0.35
            if day >= dt.date(2025, 1, 1):
                p_batt += 0.12
            if rng.random() < p_batt:
                batt = rng.choice([10, 13.5, 13.5, 20])
                batt_price = {10: 9800, 13.5: 12900, 20: 18400}[batt]
            price = round(ppw + rng.uniform(-0.25, 0.3), 2)
            src = rng.choices([s[0] for s in SOURCES], weights=[s[1] for s in SOURCES])[0]
            disc = ""
            if src == "Referral":
                disc = 500
            elif rng.random() < 0.1:
                disc = rng.choice([250, 750, 1000])
            qn += 1
            qid = f"Q{day.year % 100:02d}-{qn:05d}"
            p_win = {"Referral": 0.52, "Website": 0.3, "Door-to-Door": 0.22}.get(src, 0.33)
            if price > ppw + 0.15:
                p_win -= 0.08
            r = rng.random()
            age = (TODAY - day).days
            signed = None
            if r < p_win:
                signed = next_ok(day + dt.timedelta(days=rng.randint(2, 40)))
                status = "Signed"
                if signed > TODAY:
                    signed = None
                    status = "Open"
            elif r < p_win + 0.45:
                status = "Lost"
            else:
                status = "Open" if age < 45 else "Expired"
            fin = ""
            if status == "Signed":
                fin = rng.choices(["Cash", "Loan", "Lease"], weights=[30, 50, 20])[0]
            quotes.append(
                {
                    "Quote #": qid,
                    "Quote Date": day,
                    "Homeowner": name,
                    "City": rng.choice(cities),
                    "State": st,
                    "Lead Source": src,
                    "Sales Rep": rng.choice(REPS[st]),
                    "System Size (kW DC)": f"{kw:.1f}",
                    "Panel Count": panels,
                    "Battery (kWh)": batt,
                    "Price per Watt (USD)": f"{price:.2f}",
                    "Battery Price (USD)": batt_price,
                    "Discount (USD)": disc,
                    "Status": status,
                    "Signed Date": signed,
                    "Financing": fin,
                }
            )
            if status != "Signed":
                continue
            # install
            start = next_ok(signed + dt.timedelta(days=rng.randint(18, 75)))
            if st == "CO" and start.month in (12, 1, 2):
                start = next_ok(start + dt.timedelta(days=rng.randint(5, 20)))
            if start > TODAY:
                continue
            ok = [
                c
                for c in CREWS
                if c[3] == st
                and dt.date.fromisoformat(c[7]) <= start
                and (not c[8] or dt.date.fromisoformat(c[8]) >= start)
            ]
            crew = rng.choice(ok)
            roof = rng.choices([r[0] for r in ROOFS], weights=[r[1] for r in ROOFS])[0]
            days_n = 1 if kw < 7 else 2
            if roof == "Tile":
                days_n += 1
            if batt:
                days_n += rng.choice([0, 1])
            if crew[4] == 3 and rng.random() < 0.4:
                days_n += 1
            equip = kw * 1000 * rng.uniform(1.05, 1.2) + (float(batt) * 640 if batt else 0)
            insp = next_ok(start + dt.timedelta(days=days_n + rng.randint(6, 30)))
            pto = next_ok(insp + dt.timedelta(days=rng.randint(7, 45)))
            if rng.random() < 0.06:
                insp = next_ok(insp + dt.timedelta(days=rng.randint(10, 30)))  # failed once
                pto = next_ok(insp + dt.timedelta(days=rng.randint(7, 45)))
            if insp > TODAY:
                insp, pto = None, None
            elif pto > TODAY:
                pto = None
            inst_n += 1
            iid = f"INS-{inst_n + 3000}"
            installs.append(
                {
                    "Install ID": iid,
                    "Quote #": qid,
                    "Crew ID": crew[0],
                    "Install Start": start,
                    "Install Days": days_n,
                    "Roof Type": roof,
                    "Panel Model": rng.choice(PANELS),
                    "Equipment Cost (USD)": f"{equip:.2f}",
                    "Inspection Passed": insp,
                    "PTO Date": pto,
                }
            )
            # service visits after switch-on
            if not pto:
                continue
            vday = pto
            for _v in range(rng.choices([0, 1, 2, 3], weights=[40, 35, 17, 8])[0]):
                vday = next_ok(vday + dt.timedelta(days=rng.randint(10, 240)))
                if vday > TODAY:
                    break
                reason, _w, warr = rng.choices(REASONS, weights=[r[1] for r in REASONS])[0]
                if reason == "Battery Issue" and not batt:
                    reason, warr = "Inverter Fault", True
                hrs = rng.choice([1.0, 1.5, 2.0, 3.0])
                charge = ""
                if not warr:
                    charge = 149 + (hrs - 1) * 95 if reason != "Annual Inspection" else 199
                res = vday + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 7, 14]))
                if res > TODAY or rng.random() < 0.02:
                    res = None
                tk += 1
                visits.append(
                    {
                        "Ticket #": f"SV-{tk + 500}",
                        "Install ID": iid,
                        "Visit Date": vday,
                        "Reason": reason,
                        "Warranty Claim": "Y" if warr else "",
                        "Tech Hours": hrs,
                        "Charge (USD)": "" if charge == "" else f"{charge:.2f}",
                        "Resolved On": res,
                        "_crew": crew[0],
                    }
                )
        day += dt.timedelta(days=1)

    visits.sort(key=lambda v: (v["Visit Date"], v["Install ID"]))
    for i, v in enumerate(visits, 1):
        v["Ticket #"] = f"SV-{i + 500}"
    write(
        os.path.join(out, "crews.csv"),
        [
            "Crew ID",
            "Crew Name",
            "Base",
            "Crew Size",
            "Day Rate (USD)",
            "Licensed Electrician",
            "Formed",
            "Disbanded",
        ],
        crews,
    )
    write(
        os.path.join(out, "quotes.csv"),
        [
            "Quote #",
            "Quote Date",
            "Homeowner",
            "City",
            "State",
            "Lead Source",
            "Sales Rep",
            "System Size (kW DC)",
            "Panel Count",
            "Battery (kWh)",
            "Price per Watt (USD)",
            "Battery Price (USD)",
            "Discount (USD)",
            "Status",
            "Signed Date",
            "Financing",
        ],
        quotes,
    )
    write(
        os.path.join(out, "installs.csv"),
        [
            "Install ID",
            "Quote #",
            "Crew ID",
            "Install Start",
            "Install Days",
            "Roof Type",
            "Panel Model",
            "Equipment Cost (USD)",
            "Inspection Passed",
            "PTO Date",
        ],
        installs,
    )
    write(
        os.path.join(out, "service_visits.csv"),
        [
            "Ticket #",
            "Install ID",
            "Visit Date",
            "Reason",
            "Warranty Claim",
            "Tech Hours",
            "Charge (USD)",
            "Resolved On",
        ],
        visits,
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

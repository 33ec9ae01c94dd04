"""Held-out garage evaluation data: jobs (work orders), job lines, mechanics, vehicles.

An independent car repair workshop chain in Melbourne and Geelong ("Southern Cross Auto") with
three workshops. A job (work order) is one visit of one vehicle; its lines are the labour, parts
and sundries charged on it. The fact table is job_lines; jobs is the job header.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 60419
START = dt.date(2025, 1, 6)
TODAY = dt.date(2026, 2, 18)
# no jobs on the days either side of the 12-month and 30-day boundaries (see README)
SKIP_DAYS = {
    dt.date(2025, 2, 18),
    dt.date(2025, 2, 19),
    dt.date(2026, 1, 19),
    dt.date(2026, 1, 20),
}

WORKSHOPS = {"Brunswick": 40, "Dandenong": 33, "Geelong": 27}

# tech #, grade, workshop, hourly cost, started, finished, EV cert
MECHANICS = [
    ("T01", "Workshop Manager", "Brunswick", 58.0, "2016-03-01", "", "Y"),
    ("T02", "Senior Technician", "Brunswick", 52.0, "2018-07-16", "", "Y"),
    ("T03", "Technician", "Brunswick", 44.0, "2022-01-10", "", ""),
    ("T04", "Apprentice", "Brunswick", 26.0, "2024-02-05", "", ""),
    ("T05", "Auto Electrician", "Brunswick", 50.0, "2020-05-04", "", "Y"),
    ("T06", "Workshop Manager", "Dandenong", 57.0, "2017-09-11", "", ""),
    ("T07", "Senior Technician", "Dandenong", 51.0, "2019-02-18", "", ""),
    ("T08", "Technician", "Dandenong", 43.0, "2021-06-28", "2025-08-29", ""),
    ("T09", "Technician", "Dandenong", 45.0, "2025-09-15", "", "Y"),
    ("T10", "Apprentice", "Dandenong", 25.0, "2025-02-03", "", ""),
    ("T11", "Workshop Manager", "Geelong", 56.0, "2019-11-04", "", "Y"),
    ("T12", "Technician", "Geelong", 44.0, "2023-03-20", "", ""),
    ("T13", "Apprentice", "Geelong", 25.0, "2024-01-15", "2025-05-30", ""),
    ("T14", "Technician", "Geelong", 46.0, "2026-02-16", "", "Y"),
]

FIRST = [
    "Aiden",
    "Bella",
    "Chloe",
    "Darcy",
    "Ethan",
    "Fatima",
    "Georgia",
    "Harvey",
    "Imogen",
    "Jai",
    "Kiara",
    "Lachlan",
    "Mia",
    "Nikhil",
    "Olivia",
    "Patrick",
    "Quynh",
    "Riley",
    "Sienna",
    "Tariq",
    "Vinh",
    "Willow",
    "Zoe",
    "Angus",
    "Ruby",
    "Kostas",
    "Mei",
    "Declan",
]
LAST = [
    "Anderson",
    "Brown",
    "Chen",
    "Doyle",
    "Evans",
    "Fraser",
    "Giannopoulos",
    "Harris",
    "Ibrahim",
    "Jones",
    "Kelly",
    "Le",
    "Martin",
    "Nguyen",
    "O'Brien",
    "Papadopoulos",
    "Quinn",
    "Ryan",
    "Singh",
    "Taylor",
    "Walsh",
    "Wilson",
    "Young",
    "Zhang",
]
SUBURBS = {
    "Brunswick": ["Brunswick", "Coburg", "Fitzroy North", "Northcote", "Pascoe Vale"],
    "Dandenong": ["Dandenong", "Noble Park", "Springvale", "Keysborough", "Berwick"],
    "Geelong": ["Geelong", "Belmont", "Geelong West", "Lara", "Torquay"],
}
FLEETS = [
    ("Bayside Plumbing Pty Ltd", "Dandenong", 9),
    ("Merri Creek Couriers", "Brunswick", 8),
    ("Surf Coast Electrical", "Geelong", 6),
    ("Northside Florists", "Brunswick", 4),
    ("Cityline Property Services", "Dandenong", 5),
]

# make, model, fuel, weight
MODELS = [
    ("Toyota", "Corolla", "Petrol", 10),
    ("Toyota", "RAV4", "Hybrid", 7),
    ("Toyota", "HiLux", "Diesel", 8),
    ("Mazda", "CX-5", "Petrol", 8),
    ("Mazda", "3", "Petrol", 6),
    ("Hyundai", "i30", "Petrol", 7),
    ("Ford", "Ranger", "Diesel", 8),
    ("Mitsubishi", "Triton", "Diesel", 4),
    ("Kia", "Cerato", "Petrol", 4),
    ("Volkswagen", "Golf", "Petrol", 4),
    ("Subaru", "Forester", "Petrol", 4),
    ("Tesla", "Model 3", "EV", 3),
    ("BYD", "Atto 3", "EV", 2),
    ("Toyota", "Camry", "Hybrid", 3),
    ("Nissan", "Navara", "Diesel", 3),
]
FLEET_MODELS = [
    ("Toyota", "HiLux", "Diesel"),
    ("Ford", "Ranger", "Diesel"),
    ("Toyota", "HiAce", "Diesel"),
    ("Hyundai", "i30", "Petrol"),
]

# part #, description, unit cost, unit sell price (ex GST)
PARTS = {
    "OIL-5W30": ("Engine oil 5W-30 (per litre)", 6.20, 14.50),
    "OF-2210": ("Oil filter", 7.80, 22.00),
    "AF-1180": ("Air filter", 14.50, 39.00),
    "CF-0950": ("Cabin filter", 12.00, 34.00),
    "WB-600": ("Wiper blade", 9.50, 24.00),
    "BP-F220": ("Brake pads (front set)", 48.00, 110.00),
    "BP-R180": ("Brake pads (rear set)", 42.00, 95.00),
    "BR-PAIR": ("Brake rotors (pair)", 96.00, 210.00),
    "BF-DOT4": ("Brake fluid DOT 4", 11.00, 28.00),
    "TY-205": ("Tyre 205/55R16", 105.00, 165.00),
    "TY-265": ("Tyre 265/65R17 4WD", 178.00, 265.00),
    "TV-STD": ("Tyre valve", 2.00, 6.00),
    "BAT-MF": ("Battery (maintenance free)", 145.00, 265.00),
    "SP-IR4": ("Spark plugs (set of 4)", 38.00, 89.00),
    "WP-KIT": ("Water pump kit", 165.00, 340.00),
    "TB-KIT": ("Timing belt kit", 210.00, 430.00),
    "ALT-RX": ("Alternator (reconditioned)", 260.00, 520.00),
    "CL-KIT": ("Clutch kit", 380.00, 720.00),
    "GAS-R134": ("A/C refrigerant (per 100 g)", 9.00, 24.00),
    "COOL-5L": ("Coolant 5 L", 22.00, 49.00),
    "O2-SENS": ("Oxygen sensor", 85.00, 189.00),
}

JOB_TYPES = [
    "Logbook Service",
    "Brakes",
    "Tyres & Alignment",
    "Roadworthy",
    "Diagnostics",
    "Air Con",
    "Repair",
    "EV/Hybrid Service",
]
JT_W = [38, 12, 12, 7, 9, 5, 13, 0]


def add(jl, kind, part, desc, qty, price, cost, who):
    jl.append([kind, part, desc, qty, price, cost, who])


def rego(rng, used):
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    while True:
        if rng.random() < 0.5:
            r = "".join(rng.choice(letters) for _ in range(3)) + f"{rng.randint(0, 999):03d}"
        else:
            r = (
                str(rng.randint(1, 9))
                + "".join(rng.choice(letters) for _ in range(2))
                + str(rng.randint(1, 9))
                + "".join(rng.choice(letters) for _ in range(2))
            )
        if r not in used:
            used.add(r)
            return r


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    used_names = set()
    mechanics = []
    for m in MECHANICS:
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used_names:
                used_names.add(name)
                break
        mechanics.append(
            {
                "Tech #": m[0],
                "Name": name,
                "Workshop": m[2],
                "Grade": m[1],
                "Hourly Cost (AUD)": f"{m[3]:.2f}",
                "Started": m[4],
                "Finished": m[5],
                "EV Cert": m[6],
            }
        )

    # vehicles and their owners
    used_regos = set()
    vehicles = []
    cust = 1000
    for fname, home, n in FLEETS:
        cust += 1
        for _ in range(n):
            mk, md, fuel = rng.choice(FLEET_MODELS)
            vehicles.append(
                {
                    "Rego": rego(rng, used_regos),
                    "Make": mk,
                    "Model": md,
                    "Year": rng.randint(2017, 2024),
                    "Fuel Type": fuel,
                    "Cust #": f"C{cust}",
                    "Customer": fname,
                    "Customer Type": "Fleet",
                    "Suburb": SUBURBS[home][0],
                    "SMS Opt-In": "Y",
                    "_home": home,
                    "_w": 3.0,
                }
            )
    for _ in range(330):
        cust += 1
        home = rng.choices(list(WORKSHOPS), weights=list(WORKSHOPS.values()))[0]
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used_names:
                used_names.add(name)
                break
        opt = "Y" if rng.random() < 0.55 else ""
        suburb = rng.choice(SUBURBS[home])
        for _ in range(2 if rng.random() < 0.12 else 1):
            mk, md, fuel, _w = rng.choices(MODELS, weights=[m[3] for m in MODELS])[0]
            vehicles.append(
                {
                    "Rego": rego(rng, used_regos),
                    "Make": mk,
                    "Model": md,
                    "Year": rng.randint(2008, 2025),
                    "Fuel Type": fuel,
                    "Cust #": f"C{cust}",
                    "Customer": name,
                    "Customer Type": "Private",
                    "Suburb": suburb,
                    "SMS Opt-In": opt,
                    "_home": home,
                    "_w": rng.choice([0.0, 0.6, 1.0, 1.0, 1.4]),
                }
            )
    odo = {v["Rego"]: rng.randint(20000, 160000) for v in vehicles}
    by_home = {w: [v for v in vehicles if v["_home"] == w and v["_w"] > 0] for w in WORKSHOPS}

    jobs, lines = [], []
    last_job = {}
    day = START
    jnum = 104000
    while day <= TODAY:
        if day.weekday() == 6 or day in SKIP_DAYS or (day.month == 12 and day.day in (25, 26)):
            day += dt.timedelta(days=1)
            continue
        for ws, wsw in WORKSHOPS.items():
            base = wsw / 40 * (0.45 if day.weekday() == 5 else 1.05)
            if day.month == 12 or day.month == 1:
                base *= 0.85
            n = max(0, int(rng.gauss(base, 0.8) + 0.5))
            for _ in range(n):
                veh = rng.choices(by_home[ws], weights=[v["_w"] for v in by_home[ws]])[0]
                techs = [
                    m
                    for m in mechanics
                    if m["Workshop"] == ws
                    and dt.date.fromisoformat(m["Started"]) <= day
                    and (not m["Finished"] or dt.date.fromisoformat(m["Finished"]) >= day)
                    and m["Tech #"] != "T14"
                ]
                jt = rng.choices(JOB_TYPES, weights=JT_W)[0]
                if veh["Fuel Type"] in ("EV", "Hybrid") and jt == "Logbook Service":
                    jt = "EV/Hybrid Service"
                if veh["Fuel Type"] == "EV" and jt in ("Air Con", "Roadworthy"):
                    jt = "Diagnostics"
                comeback = ""
                prev = last_job.get(veh["Rego"])
                if (
                    prev
                    and (day - prev[0]).days <= 30
                    and rng.random() < 0.45
                    and prev[1] in ("Repair", "Diagnostics", "Brakes", "Air Con")
                ):
                    comeback = "Y"
                    jt = prev[1]
                if jt == "EV/Hybrid Service":
                    ev = [m for m in techs if m["EV Cert"] == "Y"]
                    techs = ev or techs
                if jt in ("Diagnostics", "Air Con"):
                    el = [m for m in techs if m["Grade"] == "Auto Electrician"]
                    if el and rng.random() < 0.7:
                        techs = el
                tech = rng.choice(techs)["Tech #"]
                odo[veh["Rego"]] += rng.randint(3000, 12000)
                jnum += 1
                job_no = f"WO-{jnum}"
                # parts and labour on the job
                jl = []
                rate = 165.0 if day < dt.date(2026, 1, 1) else 175.0

                if jt in ("Logbook Service", "EV/Hybrid Service"):
                    hrs = rng.choice([1.5, 2.0, 2.0, 2.5, 3.0])
                    if jt == "EV/Hybrid Service":
                        hrs = rng.choice([1.0, 1.5, 1.5, 2.0])
                    add(jl, "Labour", "", f"{jt} labour", hrs, rate, "", tech)
                    if veh["Fuel Type"] != "EV":
                        add(jl, "Part", "OIL-5W30", "", rng.choice([4, 5, 5, 6]), 0, 0, "")
                        add(jl, "Part", "OF-2210", "", 1, 0, 0, "")
                    else:
                        add(jl, "Part", "COOL-5L", "", 1, 0, 0, "")
                    if rng.random() < 0.35:
                        add(
                            jl,
                            "Part",
                            rng.choice(["AF-1180", "CF-0950", "SP-IR4"]),
                            "",
                            1,
                            0,
                            0,
                            "",
                        )
                    if rng.random() < 0.25:
                        add(jl, "Part", "WB-600", "", 2, 0, 0, "")
                    add(jl, "Sundry", "", "Shop supplies", 1, 18.0, "", "")
                elif jt == "Brakes":
                    add(
                        jl,
                        "Labour",
                        "",
                        "Brake repair labour",
                        rng.choice([1.0, 1.5, 2.0, 2.5]),
                        rate,
                        "",
                        tech,
                    )
                    add(jl, "Part", rng.choice(["BP-F220", "BP-F220", "BP-R180"]), "", 1, 0, 0, "")
                    if rng.random() < 0.45:
                        add(jl, "Part", "BR-PAIR", "", 1, 0, 0, "")
                    if rng.random() < 0.4:
                        add(jl, "Part", "BF-DOT4", "", 1, 0, 0, "")
                elif jt == "Tyres & Alignment":
                    k = rng.choice([2, 2, 4, 4, 4, 1])
                    big = veh["Model"] in ("HiLux", "Ranger", "Triton", "Navara", "HiAce")
                    add(jl, "Part", "TY-265" if big else "TY-205", "", k, 0, 0, "")
                    add(jl, "Part", "TV-STD", "", k, 0, 0, "")
                    add(
                        jl,
                        "Labour",
                        "",
                        "Fit, balance and wheel alignment",
                        rng.choice([0.5, 1.0]),
                        rate,
                        "",
                        tech,
                    )
                    add(jl, "Sundry", "", "Tyre disposal", k, 5.5, "", "")
                elif jt == "Roadworthy":
                    add(jl, "Labour", "", "Roadworthy certificate inspection", 1.0, rate, "", tech)
                    if rng.random() < 0.4:
                        add(
                            jl, "Part", rng.choice(["WB-600", "BP-F220", "TY-205"]), "", 1, 0, 0, ""
                        )
                elif jt == "Diagnostics":
                    add(
                        jl,
                        "Labour",
                        "",
                        "Diagnostic scan and testing",
                        rng.choice([0.5, 1.0, 1.5]),
                        rate,
                        "",
                        tech,
                    )
                    if rng.random() < 0.35:
                        add(
                            jl, "Part", rng.choice(["O2-SENS", "BAT-MF", "SP-IR4"]), "", 1, 0, 0, ""
                        )
                elif jt == "Air Con":
                    add(jl, "Labour", "", "Air con re-gas and leak test", 1.0, rate, "", tech)
                    add(jl, "Part", "GAS-R134", "", rng.randint(4, 8), 0, 0, "")
                else:  # Repair
                    part = rng.choice(["WP-KIT", "TB-KIT", "ALT-RX", "CL-KIT", "BAT-MF", "COOL-5L"])
                    hrs = {"WP-KIT": 3.0, "TB-KIT": 4.5, "ALT-RX": 2.0, "CL-KIT": 6.0}.get(
                        part, 1.0
                    )
                    hrs += rng.choice([0, 0.5, 1.0])
                    add(jl, "Labour", "", "Repair labour", hrs, rate, "", tech)
                    add(jl, "Part", part, "", 1, 0, 0, "")
                    if part in ("WP-KIT", "TB-KIT"):
                        add(jl, "Part", "COOL-5L", "", 1, 0, 0, "")
                    if rng.random() < 0.25:
                        helper = rng.choice(techs)["Tech #"]
                        add(
                            jl,
                            "Labour",
                            "",
                            "Repair labour (second technician)",
                            1.0,
                            rate,
                            "",
                            helper,
                        )
                # discounts: fleet 10 % on everything, comeback labour free, odd promo
                fleet = veh["Customer Type"] == "Fleet"
                promo = 10 if (not fleet and rng.random() < 0.06) else ""
                for ln, (kind, part, desc, qty, price, cost, who) in enumerate(jl, 1):
                    if kind == "Part":
                        desc, cost, price = PARTS[part]
                        if day >= dt.date(2025, 10, 1):
                            price = round(price * 1.05, 2)
                    disc = ""
                    if fleet:
                        disc = 10
                    elif promo and kind == "Labour":
                        disc = promo
                    if comeback and kind == "Labour":
                        disc = 100
                    lines.append(
                        {
                            "Job #": job_no,
                            "Line": ln,
                            "Type": kind,
                            "Part #": part,
                            "Description": desc,
                            "Qty/Hrs": qty,
                            "Unit Price (AUD ex GST)": f"{price:.2f}",
                            "Unit Cost (AUD)": "" if cost == "" else f"{cost:.2f}",
                            "Disc %": disc,
                            "Tech #": who,
                        }
                    )
                stay = rng.choices([0, 1, 2, 3, 5], weights=[58, 25, 8, 5, 4])[0]
                if jt == "Repair":
                    stay += rng.choice([0, 1, 1, 2])
                out_day = day + dt.timedelta(days=stay)
                if (TODAY - day).days < 10 and rng.random() < 0.25:
                    out_day = None  # waiting on parts
                if out_day and out_day > TODAY:
                    out_day = None
                paid = None
                if out_day:
                    if fleet:
                        paid = out_day + dt.timedelta(days=rng.randint(7, 45))
                    elif rng.random() < 0.9:
                        paid = out_day
                    else:
                        paid = out_day + dt.timedelta(days=rng.randint(1, 20))
                    if rng.random() < 0.015:
                        paid = None  # bad debt chase
                    if paid and paid > TODAY:
                        paid = None
                src = (
                    "Fleet Portal"
                    if fleet
                    else rng.choices(["Phone", "Online", "Walk-in"], weights=[50, 35, 15])[0]
                )
                jobs.append(
                    {
                        "Job #": job_no,
                        "Workshop": ws,
                        "Date In": day,
                        "Date Out": out_day,
                        "Rego": veh["Rego"],
                        "Job Type": jt,
                        "Odometer (km)": odo[veh["Rego"]],
                        "Booked Via": src,
                        "Comeback": comeback,
                        "Paid On": paid,
                    }
                )
                last_job[veh["Rego"]] = (day, jt)
        day += dt.timedelta(days=1)

    write(
        os.path.join(out, "mechanics.csv"),
        [
            "Tech #",
            "Name",
            "Workshop",
            "Grade",
            "Hourly Cost (AUD)",
            "Started",
            "Finished",
            "EV Cert",
        ],
        mechanics,
    )
    write(
        os.path.join(out, "vehicles.csv"),
        [
            "Rego",
            "Make",
            "Model",
            "Year",
            "Fuel Type",
            "Cust #",
            "Customer",
            "Customer Type",
            "Suburb",
            "SMS Opt-In",
        ],
        vehicles,
    )
    write(
        os.path.join(out, "jobs.csv"),
        [
            "Job #",
            "Workshop",
            "Date In",
            "Date Out",
            "Rego",
            "Job Type",
            "Odometer (km)",
            "Booked Via",
            "Comeback",
            "Paid On",
        ],
        jobs,
    )
    write(
        os.path.join(out, "job_lines.csv"),
        [
            "Job #",
            "Line",
            "Type",
            "Part #",
            "Description",
            "Qty/Hrs",
            "Unit Price (AUD ex GST)",
            "Unit Cost (AUD)",
            "Disc %",
            "Tech #",
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

"""Held-out fitness studio evaluation data: members, instructors, classes, bookings.

A boutique fitness studio with two locations in Austin, Texas ("Ironbark Fitness Studio"):
spin, yoga, HIIT, reformer pilates and barre classes, booked by members on three plans
(Unlimited, 10-Class Pack, Drop-In). The fact tables are classes (the schedule) and bookings.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 24968
START = dt.date(2024, 1, 2)
TODAY = dt.date(2025, 11, 20)
PRICE_RISE = dt.date(2025, 4, 1)
# no classes or bookings on the days either side of the 12-month and 30-day boundaries
SKIP_DAYS = {
    dt.date(2024, 11, 20),
    dt.date(2024, 11, 21),
    dt.date(2025, 10, 21),
    dt.date(2025, 10, 22),
}
STUDIOS = ["South Congress", "Mueller"]
# instructor id, name, specialty, pay per class, hired, left
INSTRUCTORS = [
    ("I01", "Tessa Morales", "Spin", 55, "2021-02-01", None),
    ("I02", "Devon Price", "HIIT", 60, "2021-06-14", None),
    ("I03", "Anika Shah", "Vinyasa Yoga", 58, "2022-01-10", None),
    ("I04", "Marco Bellini", "Reformer Pilates", 70, "2022-08-22", None),
    ("I05", "Jade Whitaker", "Barre", 55, "2023-03-06", "2025-05-30"),
    ("I06", "Callum Reyes", "Spin", 50, "2023-09-18", None),
    ("I07", "Noor Haddad", "Reformer Pilates", 65, "2024-05-06", None),
    ("I08", "Brianna Cole", "Barre", 52, "2025-05-12", None),
    ("I09", "Felix Ortega", "HIIT", 48, "2025-08-04", None),
]
# class type, capacity, length (min)
CLASS_TYPES = {
    "Spin": (10, 45),
    "HIIT": (10, 45),
    "Vinyasa Yoga": (12, 60),
    "Reformer Pilates": (6, 50),
    "Barre": (8, 50),
}
# weekday slots per studio: (time, class type Monday ... Friday)
SLOTS = {
    "South Congress": [
        ("06:00", ["Spin", "HIIT", "Spin", "HIIT", "Spin"]),
        ("18:00", ["Vinyasa Yoga", "Spin", "HIIT", "Vinyasa Yoga", "Vinyasa Yoga"]),
    ],
    "Mueller": [
        ("06:30", ["Reformer Pilates"] * 5),
        ("17:30", ["Barre", "Reformer Pilates", "Barre", "Barre", "Spin"]),
    ],
}
SAT_SLOTS = {
    "South Congress": [("09:00", ["Vinyasa Yoga"])],
    "Mueller": [("09:30", ["Reformer Pilates"])],
}
PLANS = [("Unlimited", 35), ("10-Class Pack", 40), ("Drop-In", 25)]
RATES = {"10-Class Pack": (20.00, 22.00), "Drop-In": (28.00, 32.00)}
FIRST = [
    "Sofia",
    "Jayden",
    "Camila",
    "Mateo",
    "Avery",
    "Elijah",
    "Riley",
    "Gabriel",
    "Layla",
    "Isaiah",
    "Zoey",
    "Julian",
    "Aria",
    "Andrew",
    "Nova",
    "Xavier",
    "Brooklyn",
    "Carter",
    "Savannah",
    "Dylan",
    "Maya",
    "Hudson",
    "Paisley",
    "Jose",
    "Skylar",
    "Quinn",
    "Reese",
    "Priya",
    "Wei",
    "Tomas",
    "Amani",
    "Ingrid",
    "Rafael",
    "Keisha",
    "Hana",
    "Liam",
]
LAST = [
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
]
REFERRALS = [("Instagram", 30), ("Friend", 35), ("ClassPass", 20), ("Google", 15)]


def pick(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def days(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def main(out_dir=None):
    rng = random.Random(SEED)
    out = out_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)

    instructors = [
        {
            "Instructor ID": i[0],
            "Instructor Name": i[1],
            "Specialty": i[2],
            "Pay per Class (USD)": f"{i[3]:.2f}",
            "Hired": i[4],
            "Left": i[5],
        }
        for i in INSTRUCTORS
    ]

    members, names = [], set()
    for i in range(430):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in names:
                names.add(name)
                break
        if i < 180:
            joined = START - dt.timedelta(days=rng.randint(20, 900))
        else:
            joined = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days - 3))
        while joined in SKIP_DAYS:
            joined += dt.timedelta(days=2)
        plan = pick(rng, PLANS)
        cancelled = None
        if rng.random() < 0.22:
            c = max(joined, START) + dt.timedelta(days=rng.randint(40, 500))
            if c < TODAY - dt.timedelta(days=3) and c not in SKIP_DAYS:
                cancelled = c
        members.append(
            {
                "Member ID": f"M{3001 + i}",
                "Member Name": name,
                "Home Studio": rng.choice([*STUDIOS, "South Congress"]),
                "Plan": plan,
                "Joined": joined,
                "Cancelled": cancelled,
                "Referral": "" if rng.random() < 0.3 else pick(rng, REFERRALS),
                "Birth Year": rng.randint(1962, 2005),
                "_freq": {"Unlimited": 2.2, "10-Class Pack": 0.9, "Drop-In": 0.35}[plan]
                * rng.uniform(0.4, 1.6),
            }
        )

    def teacher(ctype, day):
        ok = [
            i
            for i in INSTRUCTORS
            if i[2] == ctype
            and dt.date.fromisoformat(i[4]) <= day
            and (i[5] is None or day <= dt.date.fromisoformat(i[5]))
        ]
        if not ok or rng.random() < 0.12:
            ok = [
                i
                for i in INSTRUCTORS
                if dt.date.fromisoformat(i[4]) <= day
                and (i[5] is None or day <= dt.date.fromisoformat(i[5]))
                and i[2] in ("HIIT", "Spin", "Barre")
                and ctype in ("HIIT", "Spin", "Barre")
            ] or ok
        return rng.choice(ok)[0]

    classes = []
    for day in days(START, TODAY):
        if day in SKIP_DAYS or day.weekday() == 6:
            continue
        for studio in STUDIOS:
            slots = SAT_SLOTS[studio] if day.weekday() == 5 else SLOTS[studio]
            for time, types in slots:
                ctype = types[day.weekday() % len(types)]
                cap, length = CLASS_TYPES[ctype]
                classes.append(
                    {
                        "Class ID": "",
                        "Class Date": day,
                        "Start Time": time,
                        "Studio": studio,
                        "Class Type": ctype,
                        "Instructor ID": teacher(ctype, day),
                        "Capacity": cap,
                        "Length (min)": length,
                        "Cancelled by Studio": "Y" if rng.random() < 0.02 else "",
                    }
                )
    for i, c in enumerate(classes):
        c["Class ID"] = f"CL{10001 + i}"

    bookings = []
    seasonal = {1: 1.35, 2: 1.15, 3: 1.05, 6: 0.85, 7: 0.8, 8: 0.85, 12: 0.75}
    for c in classes:
        if c["Cancelled by Studio"]:
            continue
        day = c["Class Date"]
        pool = [
            m
            for m in members
            if m["Joined"] <= day and (m["Cancelled"] is None or day <= m["Cancelled"])
        ]
        cap = c["Capacity"]
        demand = seasonal.get(day.month, 1.0) * (1.0 + 0.25 * (day.year - 2024))
        want = min(cap, max(0, int(rng.gauss(0.5 * cap * demand, 1.6))))
        near = [m for m in pool if m["Home Studio"] == c["Studio"]] or pool
        chosen = set()
        while len(chosen) < want and len(chosen) < len(pool):
            src = near if rng.random() < 0.85 else pool
            m = rng.choices(src, weights=[x["_freq"] for x in src])[0]
            chosen.add(m["Member ID"])
        by_id = {m["Member ID"]: m for m in pool}
        for mid in sorted(chosen):
            m = by_id[mid]
            booked = day - dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5, 7]))
            if booked in SKIP_DAYS:
                booked = day
            r = rng.random()
            if day == TODAY:
                status = "Booked"
            elif r < 0.80:
                status = "Attended"
            elif r < 0.88:
                status = "Cancelled"
            elif r < 0.94:
                status = "No-Show"
            else:
                status = "Late Cancel"
            spots = 2 if rng.random() < 0.06 else 1
            rate = ""
            if m["Plan"] in RATES:
                rate = RATES[m["Plan"]][1 if day >= PRICE_RISE else 0]
                rate = f"{rate:.2f}"
            promo = ""
            if rate and rng.random() < 0.1:
                promo = rng.choice([10, 20, 50])
            bookings.append(
                {
                    "Booking ID": "",
                    "Class ID": c["Class ID"],
                    "Member ID": mid,
                    "Booked On": booked,
                    "Status": status,
                    "Spots": spots,
                    "Rate (USD)": rate,
                    "Promo %": promo,
                }
            )
    for i, b in enumerate(bookings):
        b["Booking ID"] = f"B{700001 + i}"

    write(os.path.join(out, "instructors.csv"), list(instructors[0]), instructors)
    write(
        os.path.join(out, "members.csv"),
        [
            "Member ID",
            "Member Name",
            "Home Studio",
            "Plan",
            "Joined",
            "Cancelled",
            "Referral",
            "Birth Year",
        ],
        members,
    )
    write(os.path.join(out, "classes.csv"), list(classes[0]), classes)
    write(os.path.join(out, "bookings.csv"), list(bookings[0]), bookings)
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

"""Held-out library evaluation data: loans, members (library cards), items, branches.

A public library service in an English borough ("Wrenfield Libraries") with a central library,
three community branches and a mobile library. A loan is one item checked out on one card; the
fact table is loans. Renewals stay on the same loan row.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 70213
START = dt.date(2024, 9, 2)
TODAY = dt.date(2026, 3, 11)
# no loans on the days either side of the 12-month and 30-day boundaries (see README)
SKIP_DAYS = {
    dt.date(2025, 3, 11),
    dt.date(2025, 3, 12),
    dt.date(2026, 2, 9),
    dt.date(2026, 2, 10),
}

# code, name, type, opened, sunday opening, public PCs, weight of loans, closed weekday
BRANCHES = [
    ("CEN", "Wrenfield Central Library", "Central", "1968-05-14", "Y", 24, 40, None),
    ("ABB", "Abbeygate Library", "Community", "1981-09-01", "", 8, 22, 2),
    ("MIL", "Millbrook Library", "Community", "2004-03-22", "Y", 10, 20, 0),
    ("STX", "Stonecross Library", "Community", "1995-11-06", "", 6, 13, 3),
    ("MOB", "Mobile Library", "Mobile", "2019-06-03", "", 0, 5, None),
]

FIRST = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Freya",
    "Arthur",
    "Priya",
    "Mohammed",
    "Grace",
    "Leo",
    "Ruby",
    "Harry",
    "Zara",
    "Oscar",
    "Evie",
    "Jack",
    "Maya",
    "Theo",
    "Aisha",
    "Samuel",
    "Niamh",
    "Callum",
    "Hannah",
    "Tomasz",
    "Ewa",
    "Rhys",
    "Sophie",
    "Kwame",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Patel",
    "Khan",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Kowalski",
    "Begum",
    "Murphy",
    "O'Neill",
    "Mensah",
    "Baker",
    "Turner",
]
CATEGORIES = [("Adult", 52), ("Child", 18), ("Teen", 8), ("Senior", 15), ("Concession", 7)]

WORDS_A = [
    "Silent",
    "Hidden",
    "Winter",
    "Broken",
    "Golden",
    "Last",
    "Lost",
    "Northern",
    "Quiet",
    "Burning",
    "Paper",
    "Glass",
    "Secret",
    "Wild",
    "Distant",
]
WORDS_B = [
    "Garden",
    "River",
    "House",
    "Harbour",
    "Orchard",
    "Station",
    "Kingdom",
    "Island",
    "Letters",
    "Shore",
    "Tide",
    "Lantern",
    "Meadow",
    "Crown",
    "Bridge",
]
NONFIC = [
    "A Short History of {}",
    "The {} Cookbook",
    "Understanding {}",
    "Notes on {}",
    "{}: A Field Guide",
    "Everyday {}",
]
NF_TOPICS = [
    "Bread",
    "Birds",
    "Money",
    "the Tudors",
    "Gardening",
    "Sleep",
    "the Brain",
    "Fungi",
    "Pennines",
    "Coastline",
    "Football",
    "Knitting",
]
KIDS = [
    "The {} Who Lost Her Hat",
    "Dinosaur {}",
    "Captain {} and the Moon",
    "The Great {} Mystery",
    "Busy {}",
]
KID_WORDS = ["Hedgehog", "Pirate", "Robot", "Badger", "Dragon", "Penguin", "Fox", "Tractor"]
DVDS = [
    "{} Nights (DVD)",
    "The {} Affair (DVD)",
    "Planet {} (DVD)",
    "Return to {} (DVD)",
]
GAMES = ["Ticket to {}", "Settlers of {}", "{} Quest", "Castle {}"]
AUTH_F = ["Claire", "Hilary", "Kazuo", "Maggie", "Ian", "Sally", "Zadie", "Anne", "Robert", "Ali"]
AUTH_L = ["Ashdown", "Fenn", "Morrow", "Pike", "Quill", "Rowe", "Sato", "Thorne", "Vance", "Yeats"]

# format, collection choices, loan days, daily fine, replacement cost range, weight
FORMATS = [
    ("Book", ["Adult Fiction", "Adult Non-Fiction", "Children's", "Teen"], 21, 0.25, (8, 22), 62),
    ("Large Print", ["Adult Fiction", "Adult Non-Fiction"], 21, 0.25, (14, 26), 7),
    ("Audiobook CD", ["Adult Fiction", "Children's"], 21, 0.25, (18, 40), 5),
    ("Graphic Novel", ["Teen", "Adult Fiction"], 21, 0.25, (10, 20), 6),
    ("DVD", ["Film & TV"], 7, 1.00, (6, 15), 12),
    ("Board Game", ["Games"], 14, 0.50, (20, 45), 3),
    ("Local Studies", ["Local Studies"], 21, 0.25, (15, 35), 2),
]
FINE_CAP = 6.00


def person(rng, used):
    while True:
        n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if n not in used:
            used.add(n)
            return n


def title_for(rng, fmt, coll):
    if fmt == "DVD":
        return rng.choice(DVDS).format(rng.choice(WORDS_B)), ""
    if fmt == "Board Game":
        return rng.choice(GAMES).format(rng.choice(WORDS_B)), ""
    author = f"{rng.choice(AUTH_F)} {rng.choice(AUTH_L)}"
    if coll == "Adult Non-Fiction" or fmt == "Local Studies":
        topic = rng.choice(NF_TOPICS)
        if fmt == "Local Studies":
            topic = rng.choice(["Wrenfield", "the Wren Valley", "Abbeygate Mills", "Stonecross"])
        return rng.choice(NONFIC).format(topic), author
    if coll == "Children's":
        return rng.choice(KIDS).format(rng.choice(KID_WORDS)), author
    return f"The {rng.choice(WORDS_A)} {rng.choice(WORDS_B)}", author


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    codes = [b[0] for b in BRANCHES]
    bw = [b[6] for b in BRANCHES]

    branches = [
        {
            "Branch Code": b[0],
            "Branch Name": b[1],
            "Branch Type": b[2],
            "Opened": b[3],
            "Open Sundays": b[4],
            "Public PCs": b[5],
        }
        for b in BRANCHES
    ]

    # items (stock)
    items = []
    seen_titles = {}
    barcode = 30112000400
    for _ in range(960):
        fmt, colls, days, fine, cost, _w = rng.choices(FORMATS, weights=[f[5] for f in FORMATS])[0]
        coll = rng.choice(colls)
        t, a = title_for(rng, fmt, coll)
        key = (t, fmt)
        if key in seen_titles:
            a = seen_titles[key]
        else:
            seen_titles[key] = a
        home = rng.choices(codes, weights=bw)[0]
        if home == "MOB" and fmt in ("Board Game", "Local Studies"):
            home = "CEN"
        added = START - dt.timedelta(days=rng.randint(30, 4000))
        if rng.random() < 0.16:
            added = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days - 5))
        barcode += rng.randint(1, 9)
        withdrawn = ""
        if rng.random() < 0.05:
            w = added + dt.timedelta(days=rng.randint(60, 900))
            if START < w < TODAY:
                withdrawn = w
        items.append(
            {
                "Barcode": str(barcode),
                "Title": t,
                "Author": a,
                "Format": fmt,
                "Collection": coll,
                "Home Branch": home,
                "Date Added": added,
                "Replacement Cost (GBP)": f"{rng.uniform(*cost):.2f}",
                "Withdrawn": withdrawn,
                "_days": days,
                "_fine": fine,
                "_pop": rng.choice([0.0, 0.3, 0.6, 1.0, 1.0, 1.5, 2.5]),
            }
        )

    # members (library cards)
    used = set()
    members = []
    card = 4100
    for _ in range(640):
        card += rng.randint(1, 6)
        cat = rng.choices([c[0] for c in CATEGORIES], weights=[c[1] for c in CATEGORIES])[0]
        home = rng.choices(codes[:4], weights=bw[:4])[0]
        if rng.random() < 0.04:
            home = "MOB"
        joined = START - dt.timedelta(days=rng.randint(20, 5000))
        if rng.random() < 0.2:
            joined = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days - 3))
        if cat in ("Child", "Teen"):
            joined = max(joined, START - dt.timedelta(days=rng.randint(100, 2400)))
        closed = ""
        if rng.random() < 0.06:
            c = joined + dt.timedelta(days=rng.randint(200, 1500))
            if START < c < TODAY:
                closed = c
        members.append(
            {
                "Card Number": f"WL{card:06d}",
                "Name": person(rng, used),
                "Category": cat,
                "Home Branch": home,
                "Joined": joined,
                "Email Notices": "Y" if rng.random() < 0.62 else "",
                "Card Closed": closed,
                "_act": rng.choice([0.0, 0.0, 0.2, 0.5, 1.0, 1.0, 1.5, 2.5, 4.0]),
            }
        )

    loans = []
    busy = {}  # barcode -> first day it can go out again (None = never: lost or still out)
    ref = 880000
    day = START
    while day <= TODAY:
        if (
            day in SKIP_DAYS
            or (day.month == 12 and day.day in (25, 26))
            or day == dt.date(2026, 1, 1)
        ):
            day += dt.timedelta(days=1)
            continue
        season = {7: 1.25, 8: 1.3, 12: 0.75, 1: 1.05}.get(day.month, 1.0)
        for b in BRANCHES:
            code = b[0]
            if day.weekday() == 6 and b[4] != "Y":
                continue
            if b[7] is not None and day.weekday() == b[7]:
                continue
            if code == "MOB" and day.weekday() not in (1, 4):
                continue
            base = b[6] / 40 * 6.0 * season * (0.6 if day.weekday() == 6 else 1.0)
            if code == "MOB":
                base = 7.0
            n = max(0, int(rng.gauss(base, 1.6) + 0.5))
            pool_m = [
                m
                for m in members
                if m["_act"] > 0
                and m["Joined"] <= day
                and (not m["Card Closed"] or m["Card Closed"] > day)
            ]
            for _ in range(n):
                local = [m for m in pool_m if m["Home Branch"] == code]
                pm = local if local and rng.random() < 0.8 else pool_m
                mem = rng.choices(pm, weights=[m["_act"] for m in pm])[0]
                pi = [
                    it
                    for it in items
                    if it["_pop"] > 0
                    and it["Date Added"] <= day
                    and (not it["Withdrawn"] or it["Withdrawn"] > day)
                    and (it["Barcode"] not in busy or (busy[it["Barcode"]] or day) < day)
                ]
                if mem["Category"] == "Child":
                    kids = [it for it in pi if it["Collection"] in ("Children's", "Games")]
                    pi = kids if rng.random() < 0.9 else pi
                elif mem["Category"] == "Teen":
                    t = [it for it in pi if it["Collection"] in ("Teen", "Games", "Film & TV")]
                    pi = t if rng.random() < 0.7 else pi
                it = rng.choices(pi, weights=[i["_pop"] for i in pi])[0]
                ref += 1
                renewals = rng.choices([0, 1, 2, 3], weights=[64, 22, 10, 4])[0]
                if it["Format"] == "DVD":
                    renewals = rng.choices([0, 1], weights=[85, 15])[0]
                due = day + dt.timedelta(days=it["_days"] * (1 + renewals))
                r = rng.random()
                if r < 0.62:
                    back = day + dt.timedelta(days=rng.randint(3, it["_days"] * (1 + renewals)))
                elif r < 0.985:
                    back = due + dt.timedelta(days=rng.choice([1, 2, 3, 5, 8, 12, 20, 35]))
                else:
                    back = None  # lost
                lost = ""
                if back is None:
                    if (TODAY - due).days > 60:
                        lost = "Y"
                elif back > TODAY:
                    back = None
                busy[it["Barcode"]] = back
                fine = ""
                waived = ""
                if back and back > due and mem["Category"] not in ("Child", "Teen"):
                    days_late = (back - due).days
                    rate = it["_fine"]
                    if mem["Category"] in ("Senior", "Concession"):
                        rate = rate / 2
                    fine = f"{min(FINE_CAP, days_late * rate):.2f}"
                    if rng.random() < 0.12:
                        waived = "Y"
                via = rng.choices(
                    ["Self-Service Kiosk", "Counter", "Click & Collect"], [58, 34, 8]
                )[0]
                if code == "MOB":
                    via = "Counter"
                loans.append(
                    {
                        "Loan Ref": f"L{ref}",
                        "Barcode": it["Barcode"],
                        "Card Number": mem["Card Number"],
                        "Issued At": code,
                        "Issue Date": day,
                        "Due Date": due,
                        "Return Date": back,
                        "Renewals": renewals,
                        "Issued Via": via,
                        "Fine (GBP)": fine,
                        "Fine Waived": waived,
                        "Lost": lost,
                    }
                )
        day += dt.timedelta(days=1)

    write(
        os.path.join(out, "branches.csv"),
        ["Branch Code", "Branch Name", "Branch Type", "Opened", "Open Sundays", "Public PCs"],
        branches,
    )
    write(
        os.path.join(out, "items.csv"),
        [
            "Barcode",
            "Title",
            "Author",
            "Format",
            "Collection",
            "Home Branch",
            "Date Added",
            "Replacement Cost (GBP)",
            "Withdrawn",
        ],
        items,
    )
    write(
        os.path.join(out, "members.csv"),
        [
            "Card Number",
            "Name",
            "Category",
            "Home Branch",
            "Joined",
            "Email Notices",
            "Card Closed",
        ],
        members,
    )
    write(
        os.path.join(out, "loans.csv"),
        [
            "Loan Ref",
            "Barcode",
            "Card Number",
            "Issued At",
            "Issue Date",
            "Due Date",
            "Return Date",
            "Renewals",
            "Issued Via",
            "Fine (GBP)",
            "Fine Waived",
            "Lost",
        ],
        loans,
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

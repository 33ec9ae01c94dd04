"""Held-out hotel evaluation data: properties, room types, guests, bookings.

A small Iberian chain of boutique hotels ("Lanterna Hotels") with six properties. The fact
table is bookings: one row per reservation, with its nights, nightly rate, discount, extras
and status (Stayed, Cancelled, No-show).

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 40211
START = dt.date(2024, 1, 1)
TODAY = dt.date(2025, 10, 12)
# no check-ins on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 10, 12), dt.date(2024, 10, 13)}

# code, name, city, country, stars, rooms, opened
PROPERTIES = [
    ("LIS", "Lanterna Alfama", "Lisbon", "Portugal", 4, 14, "2016-04-01"),
    ("OPO", "Lanterna Ribeira", "Porto", "Portugal", 3, 10, "2018-06-15"),
    ("MAD", "Lanterna Gran Vía", "Madrid", "Spain", 4, 16, "2015-03-01"),
    ("BCN", "Lanterna Eixample", "Barcelona", "Spain", 5, 12, "2019-09-01"),
    ("SVQ", "Lanterna Triana", "Seville", "Spain", 3, 8, "2021-02-01"),
    ("FAO", "Lanterna Marina Faro", "Faro", "Portugal", 4, 9, "2025-05-02"),
]
PROP_WEIGHT = {"LIS": 22, "OPO": 15, "MAD": 24, "BCN": 18, "SVQ": 11, "FAO": 10}
STAR_FACTOR = {3: 0.85, 4: 1.0, 5: 1.35}

# code, name, max guests, rack rate EUR/night
ROOM_TYPES = [
    ("DBL", "Standard Double", 2, 110),
    ("TWN", "Standard Twin", 2, 110),
    ("SUP", "Superior Double", 2, 145),
    ("FAM", "Family Room", 4, 185),
    ("JST", "Junior Suite", 3, 260),
    ("PEN", "Penthouse Suite", 4, 520),  # on the list, never booked
]
RT_WEIGHT = {"DBL": 34, "TWN": 18, "SUP": 22, "FAM": 12, "JST": 8}

CHANNELS = ["Direct", "Booking.com", "Expedia", "Corporate", "Phone"]
CH_WEIGHT = [30, 32, 16, 12, 10]

COUNTRIES = [
    "Portugal",
    "Spain",
    "United Kingdom",
    "Germany",
    "France",
    "United States",
    "Netherlands",
    "Ireland",
    "Brazil",
    "Italy",
]
CO_WEIGHT = [14, 16, 16, 12, 10, 10, 6, 5, 6, 5]

FIRST = [
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Elena",
    "Filipe",
    "Greta",
    "Hannah",
    "Ines",
    "James",
    "Klaus",
    "Laura",
    "Miguel",
    "Nora",
    "Oliver",
    "Paula",
    "Rui",
    "Sofia",
    "Tomas",
    "Ursula",
    "Victor",
    "Wendy",
    "Xavier",
    "Yara",
    "Zach",
    "Amelie",
    "Bernd",
    "Chloe",
    "David",
    "Emma",
    "Felix",
    "Giulia",
    "Hugo",
    "Iris",
    "Joao",
    "Lucia",
]
LAST = [
    "Silva",
    "Santos",
    "Garcia",
    "Martinez",
    "Smith",
    "Jones",
    "Muller",
    "Schmidt",
    "Dubois",
    "Martin",
    "Rossi",
    "Bianchi",
    "de Vries",
    "Jansen",
    "Murphy",
    "Walsh",
    "Oliveira",
    "Costa",
    "Lopez",
    "Fernandez",
    "Brown",
    "Taylor",
    "Weber",
    "Moreau",
    "Ferreira",
    "Pereira",
    "Sanchez",
    "Romero",
    "Clarke",
    "Becker",
]


def season(day):
    m = day.month
    if m in (7, 8):
        return 1.35
    if m in (6, 9):
        return 1.15
    if m in (4, 5, 10):
        return 1.0
    if m == 12:
        return 0.95
    return 0.8


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # ---- guests ------------------------------------------------------------
    guests = []
    used = set()
    for i in range(1050):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used:
                used.add(name)
                break
        tier = rng.choices(["", "Silver", "Gold", "Platinum"], weights=[58, 24, 13, 5])[0]
        since = ""
        if tier:
            since = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2400))
            if since > TODAY:
                since = TODAY - dt.timedelta(days=rng.randint(30, 400))
        guests.append(
            {
                "Guest ID": f"G{10001 + i}",
                "Guest Name": name,
                "Home Country": rng.choices(COUNTRIES, weights=CO_WEIGHT)[0],
                "Loyalty Tier": tier,
                "Member Since": since,
            }
        )
    # about 6 % of guest profiles never booked (newsletter sign-ups)
    never = set(g["Guest ID"] for g in guests if rng.random() < 0.06)
    active = [g for g in guests if g["Guest ID"] not in never]
    regulars = [g for g in active if g["Loyalty Tier"] in ("Gold", "Platinum")]

    props = {p[0]: p for p in PROPERTIES}
    rts = {r[0]: r for r in ROOM_TYPES}
    rows = []
    day = START
    while day <= TODAY:
        if day not in SKIP_DAYS:
            growth = 1 + 0.25 * (day - START).days / (TODAY - START).days
            n = max(0, int(rng.gauss(3.6 * growth * (0.7 + 0.3 * season(day)), 1.3) + 0.5))
            if day.weekday() in (4, 5):
                n += 1
            for _ in range(n):
                pc = rng.choices(list(PROP_WEIGHT), weights=list(PROP_WEIGHT.values()))[0]
                p = props[pc]
                if dt.date.fromisoformat(p[6]) > day:
                    continue
                g = rng.choice(regulars) if rng.random() < 0.18 else rng.choice(active)
                rt = rng.choices(list(RT_WEIGHT), weights=list(RT_WEIGHT.values()))[0]
                if pc == "SVQ" and rt == "JST":
                    rt = "SUP"  # Triana has no suites
                nights = rng.choices(
                    range(1, 15), weights=[18, 24, 20, 12, 8, 5, 6, 2, 1, 1, 1, 0.5, 0.5, 1]
                )[0]
                cout = day + dt.timedelta(days=nights)
                if cout > TODAY:
                    continue
                channel = rng.choices(CHANNELS, weights=CH_WEIGHT)[0]
                if channel == "Corporate" and pc not in ("MAD", "BCN", "LIS"):
                    channel = "Direct"
                lead = int(rng.expovariate(1 / 24))
                if channel == "Corporate":
                    lead = int(rng.expovariate(1 / 8))
                booked = day - dt.timedelta(days=lead)
                maxg = rts[rt][2]
                adults = 1 if channel == "Corporate" else rng.choices([1, 2], weights=[25, 75])[0]
                children = 0
                if rt == "FAM":
                    adults = 2
                    children = rng.randint(1, 2)
                elif maxg >= 3 and rng.random() < 0.3:
                    children = 1
                rate = rts[rt][3] * STAR_FACTOR[p[4]] * season(day)
                if day.weekday() in (4, 5):
                    rate *= 1.1
                if day.year == 2025:
                    rate *= 1.04
                rate = round(rate * rng.uniform(0.92, 1.08))
                disc = ""
                if channel == "Corporate":
                    disc = 15
                elif channel == "Direct" and g["Loyalty Tier"] in ("Gold", "Platinum"):
                    disc = 10
                elif rng.random() < 0.07:
                    disc = 20  # promo code
                status = rng.choices(["Stayed", "Cancelled", "No-show"], weights=[81, 15, 4])[0]
                if channel == "Booking.com" and rng.random() < 0.08:
                    status = "Cancelled"
                cancelled_on = ""
                extras = ""
                if status == "Cancelled":
                    if lead == 0:
                        cancelled_on = booked
                    else:
                        cancelled_on = booked + dt.timedelta(days=rng.randint(0, lead))
                elif status == "Stayed" and rng.random() < 0.42:
                    extras = round(rng.uniform(12, 70) * nights**0.7 * (adults + children), 2)
                rows.append(
                    {
                        "Guest ID": g["Guest ID"],
                        "Prop Code": pc,
                        "RoomType": rt,
                        "Booked On": booked,
                        "Check-in": day,
                        "Check-out": cout,
                        "Nights": nights,
                        "Adults": adults,
                        "Children": children,
                        "Channel": channel,
                        "Status": status,
                        "Rate (EUR/night)": rate,
                        "Disc %": disc,
                        "Extras (EUR)": extras,
                        "Cancelled On": cancelled_on,
                    }
                )
        day += dt.timedelta(days=1)
    rows.sort(key=lambda r: (r["Check-in"], r["Booked On"], r["Guest ID"]))
    for n, r in enumerate(rows):
        r["Conf #"] = f"LH{500001 + n}"

    pcols = ["Prop Code", "Hotel Name", "City", "Country", "Stars", "Rooms (#)", "Opened"]
    write(os.path.join(out, "properties.csv"), pcols, [dict(zip(pcols, p)) for p in PROPERTIES])
    rcols = ["RoomType", "Room Type Name", "Max Guests", "Rack Rate (EUR)"]
    write(os.path.join(out, "room_types.csv"), rcols, [dict(zip(rcols, r)) for r in ROOM_TYPES])
    write(
        os.path.join(out, "guests.csv"),
        ["Guest ID", "Guest Name", "Home Country", "Loyalty Tier", "Member Since"],
        guests,
    )
    write(
        os.path.join(out, "bookings.csv"),
        [
            "Conf #",
            "Guest ID",
            "Prop Code",
            "RoomType",
            "Booked On",
            "Check-in",
            "Check-out",
            "Nights",
            "Adults",
            "Children",
            "Channel",
            "Status",
            "Rate (EUR/night)",
            "Disc %",
            "Extras (EUR)",
            "Cancelled On",
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

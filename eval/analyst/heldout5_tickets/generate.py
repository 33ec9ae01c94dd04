"""Held-out ticketing evaluation data: ticket sales, events, venues, promoters.

A Canadian independent ticketing company ("Lantern Live") that sells tickets for concerts and
comedy nights at small and mid-sized venues on behalf of promoters. The fact table is
ticket_sales: one row per order (one customer buying one or more tickets of one tier for one
event), with face value, booking fee, channel, promo code and refunds.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 72215
TODAY = dt.date(2025, 8, 14)
# no sales on the days either side of the 12-month and 30-day boundaries (see README)
SKIP_DAYS = {
    dt.date(2024, 8, 14),
    dt.date(2024, 8, 15),
    dt.date(2025, 7, 15),
    dt.date(2025, 7, 16),
}

# id, name, city, province, capacity, type, licensed bar
VENUES = [
    ("V01", "The Lamplighter", "Toronto", "ON", 200, "Club", "Y"),
    ("V02", "Queen West Music Hall", "Toronto", "ON", 300, "Hall", "Y"),
    ("V03", "Le Petit Royal", "Montréal", "QC", 160, "Club", "Y"),
    ("V04", "Théâtre Saint-Laurent", "Montréal", "QC", 260, "Theatre", ""),
    ("V05", "Granville Room", "Vancouver", "BC", 120, "Club", "Y"),
    ("V06", "Seawall Stage", "Vancouver", "BC", 320, "Outdoor", "Y"),
    ("V07", "Bytown Playhouse", "Ottawa", "ON", 140, "Theatre", ""),
    ("V08", "Harbourfront Loft", "Halifax", "NS", 180, "Club", "Y"),
    ("V09", "Cowtown Ballroom", "Calgary", "AB", 250, "Hall", "Y"),
]
SEATED = {"Theatre"}

# id, name, commission %, account manager, signed, exclusive
PROMOTERS = [
    ("P01", "Northern Sound Presents", 6.0, "Dana Okafor", "2019-04-01", "Y"),
    ("P02", "Maple Leaf Comedy Co.", 8.0, "Luc Tremblay", "2021-09-15", ""),
    ("P03", "Blue Hour Jazz Society", 5.0, "Dana Okafor", "2020-01-20", ""),
    ("P04", "Frontier Live", 7.0, "Priya Sandhu", "2022-06-01", "Y"),
    ("P05", "Saltwater Events", 6.5, "Luc Tremblay", "2023-03-10", ""),
    ("P06", "Basement Beats Collective", 9.0, "Priya Sandhu", "2024-02-01", ""),
    ("P07", "Aurora Classical Series", 4.5, "Dana Okafor", "2025-05-12", ""),
]
# which promoter books which genres
GENRE_PROMOTER = {
    "Indie Rock": ["P01", "P04", "P05"],
    "Folk": ["P01", "P05"],
    "Comedy": ["P02"],
    "Jazz": ["P03"],
    "Hip-Hop": ["P04", "P06"],
    "Electronic": ["P06"],
    "Classical": ["P07", "P03"],
}
ACTS = {
    "Indie Rock": [
        "The Paper Lanterns",
        "Glass Harbour",
        "Velvet Moose",
        "Nightshift Radio",
        "Static Prairie",
        "The Cold Coast",
    ],
    "Folk": ["Ada & the Pines", "Tamsin Rowe", "The Birch Road Band", "Lowland Hymns"],
    "Comedy": ["Jen Kowalski", "Raj Mehta", "Marc-André Fortin", "Sketchbook Live"],
    "Jazz": ["The Okoro Quartet", "Midnight Standard Trio", "Lena Baptiste"],
    "Hip-Hop": ["Kid Borealis", "Sable Six", "MC Tundra"],
    "Electronic": ["Polar Drift", "Nova Loop"],
    "Classical": ["Aurora String Quartet", "Ensemble Laurentide"],
}
GENRE_W = {
    "Indie Rock": 12,
    "Folk": 6,
    "Comedy": 8,
    "Jazz": 5,
    "Hip-Hop": 5,
    "Electronic": 3,
    "Classical": 3,
}
TOURS = ["Live", "On Tour", "In Concert", "Album Launch", "Late Show", "Unplugged", "Homecoming"]
PROMOS = ["LANTERN10", "FANCLUB", "STUDENT15", "EARLYFAN"]
CHANNELS = ["Web", "Mobile App", "Box Office", "Partner Reseller"]
CH_W = [52, 28, 12, 8]


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    venues = {v[0]: v for v in VENUES}

    # events: dates from mid-2024 to the end of 2025
    events = []
    d = dt.date(2024, 6, 7)
    eid = 1000
    used_names = set()
    while d <= dt.date(2025, 12, 13):
        genre = rng.choices(list(GENRE_W), weights=list(GENRE_W.values()))[0]
        pid = rng.choice(GENRE_PROMOTER[genre])
        if pid == "P07" and d < dt.date(2025, 6, 1):
            pid = "P03"
        act = rng.choice(ACTS[genre])
        vid = rng.choice([v[0] for v in VENUES])
        if genre == "Classical":
            vid = rng.choice(["V04", "V07"])
        if genre == "Comedy" and vid == "V06":
            vid = "V01"
        v = venues[vid]
        name = f"{act} \u2013 {rng.choice(TOURS)}"
        while name in used_names:
            name = f"{act} \u2013 {rng.choice(TOURS)}"
        used_names.add(name)
        eid += 1
        lead = rng.choice([42, 56, 70, 84, 98])
        alloc = int(v[4] * rng.choice([0.8, 0.9, 1.0, 1.0]))
        support = ""
        if genre not in ("Comedy", "Classical") and rng.random() < 0.6:
            support = rng.choice(
                ["Juniper Kids", "Hollow Pines", "DJ Marrow", "Ivy Lane", "The Understudies"]
            )
        status = "Played" if d < TODAY else "On Sale"
        if d - dt.timedelta(days=lead) > TODAY:
            status = "Announced"
        events.append(
            {
                "Event ID": f"EV{eid}",
                "Event Name": name,
                "Headliner": act,
                "Genre": genre,
                "Event Date": d,
                "Venue ID": vid,
                "Promoter ID": pid,
                "Allocation": alloc,
                "On Sale": d - dt.timedelta(days=lead),
                "Status": status,
                "Support Act": support,
                "_pop": rng.choice([0.3, 0.45, 0.6, 0.75, 0.9, 1.0]),
            }
        )
        d += dt.timedelta(days=rng.choice([7, 9, 10, 11, 12, 14]))
    # one cancelled show (everything refunded) and one that never went on sale with us
    cancelled = events[17]
    cancelled["Status"] = "Cancelled"
    cancel_day = cancelled["Event Date"] - dt.timedelta(days=9)

    sales = []
    onum = 500000
    customers = [f"CU{20000 + i}" for i in range(1400)]
    cw = [1.0 / (1 + i % 97) ** 0.35 for i in range(1400)]
    for ev in events:
        v = venues[ev["Venue ID"]]
        span = (ev["Event Date"] - ev["On Sale"]).days
        elapsed = min(1.0, max(0, (TODAY - ev["On Sale"]).days + 1) / span)
        target = int(ev["Allocation"] * ev["_pop"] * elapsed**0.8)
        sold = 0
        tries = 0
        while sold < target and tries < 5000:
            tries += 1
            # demand is front-loaded at on-sale and picks up again in the last fortnight
            # (an event still on sale only has the days up to today)
            r = rng.random()
            if r < 0.3:
                off = rng.randint(0, 6)
            elif r < 0.75:
                off = rng.randint(0, span - 1)
            else:
                off = rng.randint(max(0, span - 14), span - 1)
            day = ev["On Sale"] + dt.timedelta(days=off)
            if day > TODAY or day in SKIP_DAYS:
                continue
            if ev is cancelled and day >= cancel_day:
                continue
            ch = rng.choices(CHANNELS, weights=CH_W)[0]
            if ch == "Box Office" and (ev["Event Date"] - day).days > 21:
                ch = "Web"
            seated = v[5] in SEATED
            tiers = ["GA", "VIP"] if not seated else ["Reserved", "Premium Reserved"]
            tw = [88, 12]
            if off < 14 and not seated:
                tiers, tw = ["Early Bird", "GA", "VIP"], [45, 45, 10]
            tier = rng.choices(tiers, weights=tw)[0]
            qty = rng.choices([1, 2, 3, 4, 6], weights=[26, 48, 10, 12, 4])[0]
            qty = min(qty, ev["Allocation"] - sold)
            if qty <= 0:
                break
            base = {
                "Indie Rock": 38,
                "Folk": 32,
                "Comedy": 35,
                "Jazz": 42,
                "Hip-Hop": 45,
                "Electronic": 40,
                "Classical": 55,
            }[ev["Genre"]]
            base += 3 * (ev["_pop"] > 0.9)
            mult = {
                "Early Bird": 0.8,
                "GA": 1.0,
                "VIP": 2.2,
                "Reserved": 1.0,
                "Premium Reserved": 1.6,
            }[tier]
            promo = ""
            if ch in ("Web", "Mobile App") and rng.random() < 0.1:
                promo = rng.choice(PROMOS)
            face = base * mult * (0.9 if promo else 1.0)
            fee = 0.0 if ch == "Box Office" else max(3.5, round(face * 0.12, 2))
            cust = ""
            if ch != "Box Office" or rng.random() < 0.3:
                cust = rng.choices(customers, weights=cw)[0]
            refunded = None
            if ev is cancelled:
                refunded = cancel_day
            elif rng.random() < 0.03:
                refunded = min(TODAY, day + dt.timedelta(days=rng.randint(1, 10)))
                if refunded > ev["Event Date"]:
                    refunded = ev["Event Date"]
            onum += 1
            sold += qty
            sales.append(
                {
                    "Order Ref": f"LL-{onum}",
                    "Sale Date": day,
                    "Event ID": ev["Event ID"],
                    "Tier": tier,
                    "Qty": qty,
                    "Face Value (CAD)": f"{face:.2f}",
                    "Booking Fee (CAD)": f"{fee:.2f}",
                    "Channel": ch,
                    "Promo Code": promo,
                    "Customer ID": cust,
                    "Refunded On": refunded,
                }
            )
    sales.sort(key=lambda s: (s["Sale Date"], s["Order Ref"]))

    vcols = ["Venue ID", "Venue", "City", "Province", "Capacity", "Venue Type", "Licensed Bar"]
    write(os.path.join(out, "venues.csv"), vcols, [dict(zip(vcols, v)) for v in VENUES])
    pcols = ["Promoter ID", "Promoter", "Commission %", "Account Manager", "Signed", "Exclusive"]
    write(
        os.path.join(out, "promoters.csv"),
        pcols,
        [dict(zip(pcols, (p[0], p[1], f"{p[2]:.1f}", p[3], p[4], p[5]))) for p in PROMOTERS],
    )
    write(
        os.path.join(out, "events.csv"),
        [
            "Event ID",
            "Event Name",
            "Headliner",
            "Genre",
            "Event Date",
            "Venue ID",
            "Promoter ID",
            "Allocation",
            "On Sale",
            "Status",
            "Support Act",
        ],
        events,
    )
    write(
        os.path.join(out, "ticket_sales.csv"),
        [
            "Order Ref",
            "Sale Date",
            "Event ID",
            "Tier",
            "Qty",
            "Face Value (CAD)",
            "Booking Fee (CAD)",
            "Channel",
            "Promo Code",
            "Customer ID",
            "Refunded On",
        ],
        sales,
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

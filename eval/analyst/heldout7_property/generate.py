"""Held-out property management evaluation data: units, leases, rent ledger, maintenance.

A residential property manager in Columbus, Ohio ("Larkspur Residential") running four
buildings. Each unit has a run of leases; each lease has one rent ledger row per month it is
billed; maintenance tickets are raised against units. The fact tables are rent_ledger and
maintenance_requests.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 40917
FIRST_MONTH = dt.date(2024, 1, 1)
TODAY = dt.date(2025, 10, 8)
# no payments or tickets on the days either side of the 12-month and 30-day boundaries
SKIP_DAYS = {
    dt.date(2024, 10, 8),
    dt.date(2024, 10, 9),
    dt.date(2025, 9, 8),
    dt.date(2025, 9, 9),
}

# building, prefix, floors, units per floor, base rent, pet friendly share, in-unit laundry
BUILDINGS = [
    ("Maple Court", "MC", 3, 8, 1050, 0.5, False),
    ("The Linden", "LN", 4, 9, 1390, 0.7, True),
    ("Riverside Lofts", "RL", 4, 5, 1680, 1.0, True),
    ("Oak Hollow Townhomes", "OH", 1, 12, 1825, 1.0, True),
]
FIRST = [
    "Aaliyah",
    "Brandon",
    "Camila",
    "DeShawn",
    "Emily",
    "Fatima",
    "Gabriel",
    "Hannah",
    "Isaiah",
    "Jasmine",
    "Kevin",
    "Lauren",
    "Miguel",
    "Nadia",
    "Owen",
    "Paige",
    "Quinn",
    "Rashid",
    "Sofia",
    "Tyler",
    "Uma",
    "Victor",
    "Whitney",
    "Xavier",
    "Yasmin",
    "Zach",
    "Abdi",
    "Megan",
]
LAST = [
    "Anderson",
    "Brooks",
    "Carter",
    "Diallo",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Kim",
    "Lopez",
    "Miller",
    "Nguyen",
    "Okafor",
    "Patel",
    "Reyes",
    "Schmidt",
    "Thompson",
    "Warsame",
    "Young",
    "Zimmerman",
]
CATS = [
    ("Plumbing", 26),
    ("Appliance", 18),
    ("HVAC", 17),
    ("Electrical", 10),
    ("Pest Control", 9),
    ("Doors & Locks", 8),
    ("General", 12),
]
VENDORS = {
    "Plumbing": "Buckeye Plumbing Co.",
    "HVAC": "Scioto Heating & Air",
    "Electrical": "Brightline Electric",
    "Pest Control": "Orkin",
    "Appliance": "Midwest Appliance Repair",
}


def add_months(d, n):
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def shift(d):
    while d in SKIP_DAYS:
        d += dt.timedelta(days=2)
    return d


def main(out=None):
    rng = random.Random(SEED)
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)

    units = []
    for bname, pre, floors, per, base, pets, laundry in BUILDINGS:
        for fl in range(1, floors + 1):
            for k in range(1, per + 1):
                beds = rng.choices([0, 1, 2, 3], [12, 42, 34, 12])[0]
                if pre == "OH":
                    beds = rng.choice([2, 3, 3])
                sqft = {0: 480, 1: 690, 2: 960, 3: 1240}[beds] + rng.randint(-40, 90)
                if pre == "OH":
                    sqft += 260
                rent = base + {0: -230, 1: 0, 2: 260, 3: 520}[beds] + rng.randint(-3, 6) * 10
                units.append(
                    {
                        "Unit ID": f"{pre}-{fl}{k:02d}" if pre != "OH" else f"{pre}-{k:02d}",
                        "Building": bname,
                        "Bedrooms": beds,
                        "Bathrooms": 1 if beds < 2 else rng.choice([1, 1.5, 2]),
                        "Sq Ft": sqft,
                        "Market Rent (USD)": rent,
                        "Pet Friendly": "Y" if rng.random() < pets else "",
                        "Washer/Dryer": "In-Unit" if laundry or rng.random() < 0.2 else "",
                        "_rent": rent,
                    }
                )

    names = set()

    def tenant():
        while True:
            n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if n not in names:
                names.add(n)
                return n

    leases, ledger = [], []
    lid = 3000
    for u in units:
        # the lease in place at the start of 2024 began some time in 2022 or 2023
        start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        start = dt.date(start.year, start.month, 1)
        while start <= TODAY:
            lid += 1
            ltype = rng.choices(["12 Month", "6 Month", "Month-to-Month"], [74, 12, 14])[0]
            term = {"12 Month": 12, "6 Month": 6, "Month-to-Month": 0}[ltype]
            end = add_months(start, term) - dt.timedelta(days=1) if term else None
            # asking rents rise about 3.5% a year, so older leases sit below today's market rent
            behind = 1 - 0.035 * max(0, (TODAY - start).days) / 365
            rent = round(u["_rent"] * behind * rng.uniform(0.96, 1.02) / 5) * 5
            stay = rng.choices([term or 5, term * 2 or 11, term * 3 or 20], [45, 35, 20])[0]
            stay = max(stay, 1) + rng.choice([0, 0, 0, 1, 2])
            moveout = add_months(start, stay) - dt.timedelta(days=1)
            if rng.random() < 0.15:
                moveout -= dt.timedelta(days=rng.randint(3, 20))
            while moveout in SKIP_DAYS:
                moveout -= dt.timedelta(days=2)
            if moveout > TODAY:
                moveout = None
            share = {"Maple Court": 0.3, "The Linden": 0.08}.get(u["Building"], 0.0)
            voucher = "Y" if rng.random() < share else ""
            leases.append(
                {
                    "Lease ID": f"LS-{lid}",
                    "Unit ID": u["Unit ID"],
                    "Tenant Name": tenant(),
                    "Lease Start": start,
                    "Lease End": end,
                    "Lease Type": ltype,
                    "Monthly Rent (USD)": rent,
                    "Security Deposit (USD)": rent if rng.random() < 0.8 else 500,
                    "Move-Out Date": moveout,
                    "Housing Voucher": voucher,
                    "_u": u,
                }
            )
            payer = rng.choices(["good", "late", "bad"], [70, 23, 7])[0]
            usual = rng.choices(["ACH", "Portal Card", "Check", "Money Order"], [55, 25, 14, 6])[0]
            m = max(start, FIRST_MONTH)
            last = moveout or TODAY
            while m <= last and m <= TODAY:
                due = float(rent)
                paid_amt, paid_on, fee, method = due, None, "", ""
                r = rng.random()
                if payer == "good":
                    paid_on = m + dt.timedelta(days=rng.randint(-6, 2))
                elif payer == "late":
                    paid_on = m + dt.timedelta(days=rng.choice([-3, 0, 1, 3, 6, 9, 14]))
                else:
                    paid_on = m + dt.timedelta(days=rng.choice([2, 8, 15, 24, 40]))
                    if r < 0.25:
                        paid_amt = round(due * rng.choice([0.5, 0.6, 0.75]), 2)
                    elif r < 0.35:
                        paid_amt, paid_on = None, None
                if paid_on and paid_on > TODAY:
                    paid_amt, paid_on = None, None
                if paid_on:
                    paid_on = shift(paid_on)
                    method = usual
                    if rng.random() < 0.03:
                        method = rng.choice(["ACH", "Portal Card", "Check"])
                if (paid_on is None and (TODAY - m).days > 5) or (
                    paid_on and (paid_on - m).days >= 5
                ):
                    fee = "75.00"
                ledger.append(
                    {
                        "Lease ID": f"LS-{lid}",
                        "Rent Month": m,
                        "Due Date": m,
                        "Amount Due (USD)": f"{due:.2f}",
                        "Amount Paid (USD)": "" if paid_amt is None else f"{paid_amt:.2f}",
                        "Paid Date": paid_on,
                        "Method": method,
                        "Late Fee (USD)": fee,
                    }
                )
                m = add_months(m, 1)
            if moveout is None:
                break
            gap = rng.choices([1, 2, 3], [55, 35, 10])[0]
            start = add_months(moveout + dt.timedelta(days=1), gap - 1)
            if start.day != 1:
                start = add_months(start, 1)

    ledger.sort(key=lambda x: (x["Rent Month"], x["Lease ID"]))
    for i, x in enumerate(ledger):
        x["Ledger ID"] = f"RL{100001 + i}"

    by_unit = {}
    for ls in leases:
        by_unit.setdefault(ls["Unit ID"], []).append(ls)
    tickets = []
    day = dt.date(2024, 1, 2)
    while day <= TODAY:
        if day in SKIP_DAYS:
            day += dt.timedelta(days=1)
            continue
        winter = 1.3 if day.month in (12, 1, 2) else 1.0
        for _ in range(rng.choices([0, 1, 2, 3], [38, 38, 18, 6 * winter])[0]):
            u = rng.choice(units)
            cur = None
            for ls in by_unit[u["Unit ID"]]:
                mo = ls["Move-Out Date"] or TODAY
                if ls["Lease Start"] <= day <= mo:
                    cur = ls
            cat = rng.choices([c[0] for c in CATS], [c[1] for c in CATS])[0]
            if cat == "HVAC" and day.month in (12, 1, 2, 6, 7, 8) and rng.random() < 0.3:
                cat = "HVAC"
            pri = rng.choices(["Emergency", "High", "Normal", "Low"], [7, 20, 55, 18])[0]
            hours = {"Emergency": 0, "High": 2, "Normal": 5, "Low": 10}[pri]
            done = day + dt.timedelta(days=hours + rng.choice([0, 0, 1, 2, 4, 7, 12]))
            if done > TODAY or rng.random() < 0.02:
                done = None
            vendor = VENDORS.get(cat, "") if rng.random() < 0.45 else ""
            cost = ""
            if vendor:
                cost = f"{rng.uniform(90, 900 if cat != 'HVAC' else 2200):.2f}"
            elif rng.random() < 0.3:
                cost = f"{rng.uniform(8, 120):.2f}"  # parts bought for in-house jobs
            charge = "Y" if cur and rng.random() < 0.08 else ""
            tickets.append(
                {
                    "Unit ID": u["Unit ID"],
                    "Lease ID": cur["Lease ID"] if cur else "",
                    "Opened": day,
                    "Category": cat,
                    "Priority": pri,
                    "Completed": done,
                    "Vendor": vendor,
                    "Cost (USD)": cost,
                    "Tenant Chargeback": charge,
                }
            )
        day += dt.timedelta(days=1)
    for i, t in enumerate(tickets):
        t["Ticket #"] = f"WO-{24001 + i}"

    write(
        os.path.join(out, "units.csv"),
        [
            "Unit ID",
            "Building",
            "Bedrooms",
            "Bathrooms",
            "Sq Ft",
            "Market Rent (USD)",
            "Pet Friendly",
            "Washer/Dryer",
        ],
        units,
    )
    write(
        os.path.join(out, "leases.csv"),
        [
            "Lease ID",
            "Unit ID",
            "Tenant Name",
            "Lease Start",
            "Lease End",
            "Lease Type",
            "Monthly Rent (USD)",
            "Security Deposit (USD)",
            "Move-Out Date",
            "Housing Voucher",
        ],
        leases,
    )
    write(
        os.path.join(out, "rent_ledger.csv"),
        [
            "Ledger ID",
            "Lease ID",
            "Rent Month",
            "Due Date",
            "Amount Due (USD)",
            "Amount Paid (USD)",
            "Paid Date",
            "Method",
            "Late Fee (USD)",
        ],
        ledger,
    )
    write(
        os.path.join(out, "maintenance_requests.csv"),
        [
            "Ticket #",
            "Unit ID",
            "Lease ID",
            "Opened",
            "Category",
            "Priority",
            "Completed",
            "Vendor",
            "Cost (USD)",
            "Tenant Chargeback",
        ],
        tickets,
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

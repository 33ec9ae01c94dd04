"""Held-out SaaS evaluation data: accounts, plans, invoices, support tickets.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 41017
START = dt.date(2023, 1, 1)
END = dt.date(2025, 6, 30)

PLANS = [
    # plan_code, plan_name, list_price_usd (per seat / month), max_seats, tier_rank
    ("STR", "Starter", 12, 20, 1),
    ("TEAM", "Team", 25, 75, 2),
    ("BIZ", "Business", 45, 300, 3),
    ("ENT", "Enterprise", 80, "", 4),
]
PRICE = {p[0]: p[2] for p in PLANS}

PREFIX = [
    "Northwind",
    "Bluefin",
    "Cobalt",
    "Juniper",
    "Harbor",
    "Summit",
    "Redwood",
    "Lumen",
    "Quarry",
    "Atlas",
    "Brightline",
    "Copperleaf",
    "Driftwood",
    "Evergreen",
    "Foxglove",
    "Granite",
    "Helix",
    "Ironbark",
    "Kestrel",
    "Larch",
    "Meridian",
    "Nimbus",
    "Orchard",
    "Pioneer",
    "Quill",
    "Riverstone",
    "Saffron",
    "Tidewater",
]
SUFFIX = {
    "Fintech": ["Pay", "Capital", "Ledger", "Finance"],
    "Healthcare": ["Health", "Clinics", "Care", "Medical"],
    "Retail": ["Retail Co", "Foods", "Outfitters", "Stores"],
    "Education": ["Learning", "Academy", "School Group", "Tutors"],
    "Manufacturing": ["Works", "Manufacturing", "Industries", "Fabrication"],
    "": ["Labs", "Systems", "Group", "Partners"],
}
INDUSTRIES = ["Fintech", "Healthcare", "Retail", "Education", "Manufacturing"]
REGIONS = ["North America", "EMEA", "APAC", "LATAM"]
SIZES = ["SMB", "Mid-Market", "Enterprise"]
CSMS = ["Priya Shah", "Tom Becker", "Ana Lima", "Kenji Sato", "Grace Okafor"]


def month_iter(first, last):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield y, m
        m += 1
        if m == 13:
            y, m = y + 1, 1


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # ---- accounts -------------------------------------------------------
    used = set()
    accounts = []
    span = (dt.date(2025, 5, 31) - START).days
    for i in range(95):
        size = rng.choices(SIZES, weights=[50, 32, 18])[0]
        signup = START + dt.timedelta(days=int(span * (rng.random() ** 1.4)))
        industry = rng.choice(INDUSTRIES) if rng.random() > 0.04 else ""
        while True:
            name = f"{rng.choice(PREFIX)} {rng.choice(SUFFIX[industry])}"
            if name not in used:
                used.add(name)
                break
        churned = ""
        if rng.random() < 0.28:
            c = signup + dt.timedelta(days=rng.randint(120, 700))
            if c < dt.date(2025, 6, 1):
                churned = c
        csm = rng.choice(CSMS) if (size != "SMB" or rng.random() < 0.3) else ""
        accounts.append(
            {
                "acct_id": f"AC-{1001 + i}",
                "Account Name": name,
                "industry": industry,
                "Region": rng.choices(REGIONS, weights=[40, 30, 18, 12])[0],
                "company_size": size,
                "signup_date": signup,
                "csm_owner": csm,
                "churned_on": churned,
            }
        )

    # ---- invoices (fact) ------------------------------------------------
    invoices = []
    for a in accounts:
        size = a["company_size"]
        plan = {
            "SMB": rng.choice(["STR", "STR", "TEAM"]),
            "Mid-Market": rng.choice(["TEAM", "BIZ"]),
            "Enterprise": rng.choice(["BIZ", "ENT", "ENT"]),
        }[size]
        seats = {
            "SMB": rng.randint(2, 14),
            "Mid-Market": rng.randint(15, 60),
            "Enterprise": rng.randint(60, 220),
        }[size]
        disc = rng.choice([None, None, None, 0.05, 0.1, 0.15, 0.2])
        custom_price = None
        if plan == "ENT" and rng.random() < 0.5:
            custom_price = rng.choice([68, 72, 75])
        first_inv = a["signup_date"] + dt.timedelta(days=rng.randint(7, 30))
        last_day = a["churned_on"] or END
        if first_inv > last_day:
            continue
        day = min(first_inv.day, 28)
        for y, m in month_iter(first_inv, last_day):
            d = dt.date(y, m, day)
            if d < first_inv or d > last_day:
                continue
            # occasional upgrade and seat growth
            if rng.random() < 0.02 and plan != "ENT":
                plan = {"STR": "TEAM", "TEAM": "BIZ", "BIZ": "ENT"}[plan]
                custom_price = None
            if rng.random() < 0.12:
                seats = max(1, seats + rng.randint(-2, max(2, seats // 8)))
            status = rng.choices(["paid", "overdue", "refunded", "void"], weights=[88, 6, 3, 3])[0]
            if d > dt.date(2025, 5, 15) and status == "paid" and rng.random() < 0.35:
                status = "overdue"
            invoices.append(
                {
                    "acct_id": a["acct_id"],
                    "plan_code": plan,
                    "Invoice Date": d,
                    "seats": seats,
                    "price_per_seat_usd": custom_price if custom_price else PRICE[plan],
                    "disc_pct": "" if disc is None else disc,
                    "status": status,
                }
            )
    invoices.sort(key=lambda r: (r["Invoice Date"], r["acct_id"]))
    for n, r in enumerate(invoices):
        r["invoice_no"] = f"INV-{230000 + n}"

    # ---- support tickets -------------------------------------------------
    tickets = []
    heavy = set(a["acct_id"] for a in accounts if rng.random() < 0.25)
    for a in accounts:
        if rng.random() < 0.12:
            continue  # a few accounts never contact support
        start = a["signup_date"] + dt.timedelta(days=3)
        stop = a["churned_on"] or END
        if start >= stop:
            continue
        base = {"SMB": 3, "Mid-Market": 6, "Enterprise": 10}[a["company_size"]]
        n = rng.randint(max(1, base - 2), base + 4) + (6 if a["acct_id"] in heavy else 0)
        for _ in range(n):
            opened = start + dt.timedelta(days=rng.randint(0, (stop - start).days))
            priority = rng.choices(["Low", "Medium", "High", "Urgent"], weights=[35, 38, 19, 8])[0]
            days = {
                "Low": rng.randint(1, 14),
                "Medium": rng.randint(0, 9),
                "High": rng.randint(0, 5),
                "Urgent": rng.randint(0, 2),
            }[priority]
            closed = opened + dt.timedelta(days=days)
            if closed > END or (opened > dt.date(2025, 6, 10) and rng.random() < 0.5):
                closed = ""
            csat = ""
            if closed and rng.random() < 0.6:
                csat = rng.choices([1, 2, 3, 4, 5], weights=[6, 8, 18, 35, 33])[0]
            tickets.append(
                {
                    "acct_id": a["acct_id"],
                    "opened_date": opened,
                    "Closed Date": closed,
                    "priority": priority,
                    "category": rng.choices(
                        ["Billing", "Bug", "How-to", "Feature Request"], weights=[22, 34, 30, 14]
                    )[0],
                    "csat": csat,
                }
            )
    tickets.sort(key=lambda r: (r["opened_date"], r["acct_id"]))
    for n, r in enumerate(tickets):
        r["ticket_id"] = 5001 + n

    write(
        os.path.join(out, "plans.csv"),
        ["plan_code", "plan_name", "list_price_usd", "max_seats", "tier_rank"],
        [
            dict(
                zip(
                    ["plan_code", "plan_name", "list_price_usd", "max_seats", "tier_rank"],
                    p,
                    strict=False,
                )
            )
            for p in PLANS
        ],
    )
    write(
        os.path.join(out, "accounts.csv"),
        [
            "acct_id",
            "Account Name",
            "industry",
            "Region",
            "company_size",
            "signup_date",
            "csm_owner",
            "churned_on",
        ],
        accounts,
    )
    write(
        os.path.join(out, "invoices.csv"),
        [
            "invoice_no",
            "acct_id",
            "plan_code",
            "Invoice Date",
            "seats",
            "price_per_seat_usd",
            "disc_pct",
            "status",
        ],
        invoices,
    )
    write(
        os.path.join(out, "support_tickets.csv"),
        ["ticket_id", "acct_id", "opened_date", "Closed Date", "priority", "category", "csat"],
        tickets,
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

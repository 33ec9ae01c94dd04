"""Held-out insurance evaluation data: agents, customers, policies, claims.

A small Irish car and home insurer ("Shamrock Mutual"). Policies are motor or home, sold by an
agent or online (no agent). The fact table is claims: one row per claim, with its loss date,
report date, peril, amount claimed, amount paid and status.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 77342
START = dt.date(2023, 1, 1)
TODAY = dt.date(2025, 9, 24)
# no claims reported on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 9, 24), dt.date(2024, 9, 25)}

# code, name, branch, hired, left
AGENTS = [
    ("AG01", "Siobhan Byrne", "Dublin", "2014-02-03", ""),
    ("AG02", "Ciaran Walsh", "Dublin", "2017-09-18", ""),
    ("AG03", "Aoife Kelly", "Cork", "2016-05-09", ""),
    ("AG04", "Padraig Doyle", "Cork", "2020-01-13", "2024-11-29"),
    ("AG05", "Niamh O'Brien", "Galway", "2018-03-05", ""),
    ("AG06", "Declan Ryan", "Limerick", "2021-06-21", ""),
    ("AG07", "Orla Murphy", "Galway", "2024-04-08", ""),
    ("AG08", "Eoin Gallagher", "Limerick", "2025-02-03", ""),
]
AG_W = {
    "AG01": 18,
    "AG02": 15,
    "AG03": 14,
    "AG04": 10,
    "AG05": 12,
    "AG06": 10,
    "AG07": 8,
    "AG08": 6,
}
COUNTIES = [
    "Dublin",
    "Cork",
    "Galway",
    "Limerick",
    "Kildare",
    "Meath",
    "Wicklow",
    "Kerry",
    "Clare",
    "Waterford",
]
CO_W = [30, 16, 9, 8, 8, 7, 6, 6, 5, 5]
FIRST = [
    "Aisling",
    "Brian",
    "Caoimhe",
    "Darragh",
    "Emer",
    "Fionn",
    "Grainne",
    "Liam",
    "Maeve",
    "Niall",
    "Roisin",
    "Sean",
    "Tadhg",
    "Una",
    "Cillian",
    "Sinead",
    "Conor",
    "Deirdre",
    "Eamon",
    "Fiona",
    "Gavin",
    "Helen",
    "Jack",
    "Karen",
    "Mark",
    "Nora",
    "Paul",
    "Sarah",
]
LAST = [
    "Murphy",
    "Kelly",
    "Byrne",
    "Ryan",
    "O'Sullivan",
    "Walsh",
    "O'Connor",
    "McCarthy",
    "Doyle",
    "Gallagher",
    "Kennedy",
    "Lynch",
    "Quinn",
    "Moore",
    "Brennan",
    "Burke",
    "Daly",
    "Dunne",
    "Farrell",
    "Hayes",
    "Keane",
    "Nolan",
    "Power",
    "Reilly",
    "Sheehan",
]
MOTOR_COVER = [
    ("Comprehensive", 62, 780),
    ("Third Party Fire & Theft", 26, 590),
    ("Third Party Only", 12, 470),
]
HOME_COVER = [
    ("Buildings & Contents", 55, 520),
    ("Buildings Only", 25, 380),
    ("Contents Only", 20, 210),
]
MOTOR_PERILS = [
    ("Collision", 48, 3800),
    ("Windscreen", 24, 420),
    ("Theft", 9, 7200),
    ("Vandalism", 11, 1300),
    ("Fire", 3, 6500),
    ("Third-party injury", 5, 14000),
]
HOME_PERILS = [
    ("Escape of water", 34, 4200),
    ("Storm", 24, 2900),
    ("Burglary", 17, 3100),
    ("Accidental damage", 15, 900),
    ("Fire", 5, 16000),
    ("Subsidence", 5, 21000),
]


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    customers = []
    used = set()
    for i in range(2000):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            if name in used:
                name = f"{first} {rng.choice('ABCDEFGHJKLMNPRST')}. {last}"
            if name not in used:
                used.add(name)
                break
        dob = dt.date(1948, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 54))
        customers.append(
            {
                "Cust No": f"C{40001 + i}",
                "Full Name": name,
                "DOB": dob,
                "County": rng.choices(COUNTIES, weights=CO_W)[0],
                "Email Opt-in": "Y" if rng.random() < 0.45 else "",
            }
        )

    policies = []
    ag = {a[0]: a for a in AGENTS}
    pn = 0
    for c in customers:
        lines = rng.choices([["Motor"], ["Home"], ["Motor", "Home"]], weights=[50, 28, 22])[0]
        if rng.random() < 0.05:
            continue  # quote only, never bought
        for line in lines:
            start = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days - 1))
            # renewals: a policy row per annual term until today or lapse
            term_start = start
            agent = ""
            if rng.random() < 0.62:
                while True:
                    a = rng.choices(list(AG_W), weights=list(AG_W.values()))[0]
                    hired = dt.date.fromisoformat(ag[a][3])
                    left = ag[a][4] and dt.date.fromisoformat(ag[a][4])
                    if hired <= term_start and (not left or left >= term_start):
                        agent = a
                        break
            if line == "Motor":
                cover, _, base = rng.choices(MOTOR_COVER, weights=[m[1] for m in MOTOR_COVER])[0]
                ncd = rng.choices(range(0, 10), weights=[14, 10, 10, 10, 10, 10, 9, 9, 9, 9])[0]
            else:
                cover, _, base = rng.choices(HOME_COVER, weights=[h[1] for h in HOME_COVER])[0]
                ncd = None
            excess = (
                rng.choice([250, 350, 500])
                if line == "Motor"
                else rng.choice([150, 250, 500, 1000])
            )
            while term_start <= TODAY:
                pn += 1
                prem = base * rng.uniform(0.75, 1.35)
                if line == "Motor":
                    prem *= 1 - 0.045 * ncd
                prem *= 1 + 0.06 * (term_start.year - 2023)
                if excess >= 500:
                    prem *= 0.93
                end = dt.date(
                    term_start.year + 1, term_start.month, min(term_start.day, 28)
                ) - dt.timedelta(days=1)
                canc = ""
                if rng.random() < 0.07:
                    cd = term_start + dt.timedelta(days=rng.randint(14, 330))
                    if cd <= TODAY:
                        canc = cd
                policies.append(
                    {
                        "Policy No": f"{'MT' if line == 'Motor' else 'HM'}-{200000 + pn}",
                        "Cust No": c["Cust No"],
                        "Agent Code": agent,
                        "Product Line": line,
                        "Cover Type": cover,
                        "Start Date": term_start,
                        "End Date": end,
                        "Annual Premium (EUR)": f"{prem:.2f}",
                        "Excess (EUR)": excess,
                        "NCD Yrs": "" if ncd is None else ncd,
                        "Cancelled On": canc,
                    }
                )
                if canc or rng.random() < 0.16:
                    break
                term_start = end + dt.timedelta(days=1)
                if line == "Motor" and ncd < 9:
                    ncd += 1

    claims = []
    for p in policies:
        ps = p["Start Date"]
        pe = p["Cancelled On"] or p["End Date"]
        pe = min(pe, TODAY)
        if pe <= ps:
            continue
        freq = 0.36 if p["Product Line"] == "Motor" else 0.22
        if p["Product Line"] == "Motor" and p["NCD Yrs"] != "" and int(p["NCD Yrs"]) <= 1:
            freq *= 1.6
        frac = (pe - ps).days / 365
        k = 0
        while rng.random() < freq * frac and k < 3:
            k += 1
            perils = MOTOR_PERILS if p["Product Line"] == "Motor" else HOME_PERILS
            peril, _, sev = rng.choices(perils, weights=[x[1] for x in perils])[0]
            loss = ps + dt.timedelta(days=rng.randint(0, (pe - ps).days))
            if peril == "Storm" and rng.random() < 0.6:
                # storm season: Jan-Feb or Oct-Dec
                m = rng.choice([1, 2, 10, 11, 12])
                cand = dt.date(loss.year, m, rng.randint(1, 28))
                if ps <= cand <= pe:
                    loss = cand
            rep = loss + dt.timedelta(
                days=int(rng.expovariate(1 / (4 if peril != "Subsidence" else 40)))
            )
            if rep > TODAY or rep in SKIP_DAYS:
                continue
            claimed = round(0.6 * sev * rng.lognormvariate(0, 0.55), 2)
            age = (TODAY - rep).days
            p_open = 0.85 if age < 30 else (0.35 if age < 120 else 0.04)
            if rng.random() < p_open:
                status, paid, settled = "Open", "", ""
            else:
                status = rng.choices(["Settled", "Declined", "Withdrawn"], weights=[80, 13, 7])[0]
                days = int(rng.expovariate(1 / (22 if claimed < 2000 else 55))) + 3
                settled = min(rep + dt.timedelta(days=days), TODAY)
                if status == "Settled":
                    paid = round(
                        max(0.0, claimed * rng.uniform(0.7, 1.0) - int(p["Excess (EUR)"])), 2
                    )
                    if paid == 0:
                        paid = round(claimed * 0.5, 2)
                elif status == "Declined":
                    paid = 0
                else:
                    paid, settled = "", settled
            claims.append(
                {
                    "Policy No": p["Policy No"],
                    "Loss Date": loss,
                    "Reported": rep,
                    "Peril": peril,
                    "Claimed (EUR)": f"{claimed:.2f}",
                    "Paid (EUR)": "" if paid == "" else f"{paid:.2f}",
                    "Status": status,
                    "Closed On": settled,
                    "Fraud Flag": "Y" if rng.random() < 0.03 else "",
                }
            )
    claims.sort(key=lambda r: (r["Reported"], r["Policy No"]))
    for n, r in enumerate(claims):
        r["Claim Ref"] = f"CL{700001 + n}"

    acols = ["Agent Code", "Agent Name", "Branch", "Hired", "Left"]
    write(os.path.join(out, "agents.csv"), acols, [dict(zip(acols, a)) for a in AGENTS])
    write(
        os.path.join(out, "customers.csv"),
        ["Cust No", "Full Name", "DOB", "County", "Email Opt-in"],
        customers,
    )
    write(
        os.path.join(out, "policies.csv"),
        [
            "Policy No",
            "Cust No",
            "Agent Code",
            "Product Line",
            "Cover Type",
            "Start Date",
            "End Date",
            "Annual Premium (EUR)",
            "Excess (EUR)",
            "NCD Yrs",
            "Cancelled On",
        ],
        policies,
    )
    write(
        os.path.join(out, "claims.csv"),
        [
            "Claim Ref",
            "Policy No",
            "Loss Date",
            "Reported",
            "Peril",
            "Claimed (EUR)",
            "Paid (EUR)",
            "Status",
            "Closed On",
            "Fraud Flag",
        ],
        claims,
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

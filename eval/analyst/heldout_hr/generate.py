"""Held-out HR evaluation data: employees, departments, monthly payroll, leave requests.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 90125
START = dt.date(2023, 1, 1)
END = dt.date(2025, 6, 30)

DEPTS = [
    # dept_id, dept_name, division, cost_center, size weight, salary base
    ("D10", "Engineering", "Product & Tech", "CC-4100", 30, 72000),
    ("D20", "Sales", "Go-to-Market", "CC-5200", 20, 58000),
    ("D30", "Marketing", "Go-to-Market", "CC-5300", 9, 56000),
    ("D40", "Finance", "G&A", "CC-6100", 7, 62000),
    ("D50", "People Ops", "G&A", "CC-6200", 5, 52000),
    ("D60", "Customer Support", "Go-to-Market", "CC-5400", 16, 41000),
    ("D70", "Data & Analytics", "Product & Tech", "CC-4200", 8, 68000),
]
TITLES = {
    "D10": ["Software Engineer", "Senior Software Engineer", "QA Engineer", "Engineering Manager"],
    "D20": ["Account Executive", "Sales Development Rep", "Sales Manager"],
    "D30": ["Marketing Specialist", "Content Lead", "Marketing Manager"],
    "D40": ["Accountant", "Financial Analyst", "Finance Manager"],
    "D50": ["HR Generalist", "Recruiter", "People Partner"],
    "D60": ["Support Agent", "Support Specialist", "Support Team Lead"],
    "D70": ["Data Analyst", "Data Engineer", "Analytics Manager"],
}
FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Elif",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Maya",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wim",
    "Yara",
    "Zoe",
    "Arjun",
    "Bea",
    "Carlos",
    "Dana",
    "Emil",
    "Fatima",
]
LAST = [
    "Schmidt",
    "Novak",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Jensen",
    "Garcia",
    "Meyer",
    "Okafor",
    "Tanaka",
    "Silva",
    "Berg",
    "Hughes",
    "Moreau",
    "Larsen",
    "Fischer",
    "Costa",
    "Weber",
    "Nowak",
    "Ahmed",
]
LOCS = ["Berlin", "London", "Austin", "Remote"]
LEVEL_MULT = {"L1": 0.75, "L2": 0.9, "L3": 1.05, "L4": 1.3, "L5": 1.65}


def month_starts(first, last):
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        yield dt.date(y, m, 1)
        m += 1
        if m == 13:
            y, m = y + 1, 1


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    names = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(names)
    employees = []
    for i in range(118):
        d = rng.choices(DEPTS, weights=[x[4] for x in DEPTS])[0]
        if i < 70:  # staff already there at the start of 2023
            hire = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randint(0, 2150))
        else:  # hired during the period
            hire = START + dt.timedelta(days=rng.randint(0, (dt.date(2025, 6, 2) - START).days))
        term = ""
        if rng.random() < 0.24:
            t = max(hire, START) + dt.timedelta(days=rng.randint(60, 800))
            if t < dt.date(2025, 6, 28):
                term = t
        level = rng.choices(list(LEVEL_MULT), weights=[18, 30, 28, 16, 8])[0]
        titles = TITLES[d[0]]
        title = titles[-1] if level == "L5" else rng.choice(titles[:-1])
        salary = round(d[5] * LEVEL_MULT[level] * rng.uniform(0.9, 1.12) / 500) * 500
        etype = rng.choices(["Full-time", "Part-time", "Contractor"], weights=[82, 10, 8])[0]
        employees.append(
            {
                "emp_id": f"E{1001 + i:05d}",
                "First Name": names[i][0],
                "Last Name": names[i][1],
                "dept_id": d[0],
                "job_title": title,
                "job_level": level,
                "hire_date": hire,
                "termination_date": term,
                "location": rng.choices(LOCS, weights=[40, 25, 15, 20])[0],
                "employment_type": etype,
                "base_salary_eur": salary,
                "manager_id": "",
            }
        )
    # managers: the highest-level person in each department (first by id on ties)
    for d in DEPTS:
        staff = [e for e in employees if e["dept_id"] == d[0]]
        boss = sorted(staff, key=lambda e: (-int(e["job_level"][1]), e["emp_id"]))[0]
        for e in staff:
            if e is not boss and rng.random() > 0.05:
                e["manager_id"] = boss["emp_id"]

    payroll = []
    for e in employees:
        first = max(e["hire_date"], START)
        last = e["termination_date"] or END
        monthly = e["base_salary_eur"] / 12.0
        if e["employment_type"] == "Part-time":
            monthly *= 0.6
        for ms in month_starts(first, last):
            yr_raise = {2023: 1.0, 2024: 1.035, 2025: 1.07}[ms.year]
            base = round(monthly * yr_raise, 2)
            if ms.year == first.year and ms.month == first.month and e["hire_date"] > START:
                base = round(base * (1 - (e["hire_date"].day - 1) / 30.0), 2)
            bonus = ""
            if e["dept_id"] == "D20" and ms.month in (3, 6, 9, 12) and rng.random() < 0.8:
                bonus = round(rng.uniform(800, 6000), 2)
            elif ms.month == 12 and rng.random() < 0.45:
                bonus = round(rng.uniform(500, 3000), 2)
            ot = 0
            if e["dept_id"] in ("D60", "D10") and rng.random() < 0.35:
                ot = rng.choice([2, 4, 6, 8, 10, 12, 16])
            elif rng.random() < 0.06:
                ot = rng.choice([2, 4, 6])
            ot_rate = round(e["base_salary_eur"] / 1800 * 1.5, 2)
            payroll.append(
                {
                    "emp_id": e["emp_id"],
                    "Pay Month": ms,
                    "base_pay_eur": base,
                    "bonus_eur": bonus,
                    "overtime_hrs": ot if ot or rng.random() > 0.1 else "",
                    "ot_rate_eur": ot_rate,
                    "employer_tax_pct": 0.21 if e["location"] != "Austin" else 0.0765,
                }
            )
    payroll.sort(key=lambda r: (r["Pay Month"], r["emp_id"]))
    for n, r in enumerate(payroll):
        r["payroll_id"] = f"PR-{n + 1:05d}"

    leaves = []
    for e in employees:
        first = max(e["hire_date"], START)
        last = e["termination_date"] or END
        span = (last - first).days
        if span < 20 or rng.random() < 0.06:
            continue
        n = max(1, int(span / 365 * rng.uniform(1.5, 5)))
        for _ in range(n):
            ltype = rng.choices(
                ["Vacation", "Sick", "Parental", "Unpaid", "Bereavement"], weights=[60, 28, 3, 6, 3]
            )[0]
            length = {
                "Vacation": rng.randint(1, 12),
                "Sick": rng.randint(1, 5),
                "Parental": rng.randint(30, 120),
                "Unpaid": rng.randint(2, 15),
                "Bereavement": rng.randint(2, 4),
            }[ltype]
            s = first + dt.timedelta(days=rng.randint(0, max(0, span - 5)))
            en = s + dt.timedelta(days=length - 1)
            requested = s - dt.timedelta(
                days=(0 if ltype in ("Sick", "Bereavement") else rng.randint(3, 60))
            )
            status = rng.choices(["Approved", "Rejected", "Pending"], weights=[85, 10, 5])[0]
            if ltype in ("Sick", "Bereavement"):
                status = "Approved"
            if s < dt.date(2025, 5, 1) and status == "Pending":
                status = "Approved"
            leaves.append(
                {
                    "emp_id": e["emp_id"],
                    "leave_type": ltype,
                    "requested_on": requested,
                    "start_date": s,
                    "end_date": en,
                    "status": status,
                }
            )
    leaves.sort(key=lambda r: (r["start_date"], r["emp_id"]))
    for n, r in enumerate(leaves):
        r["Request ID"] = 70001 + n

    df = ["dept_id", "dept_name", "division", "cost_center"]
    write(
        os.path.join(out, "departments.csv"),
        df,
        [dict(zip(df, d[:4], strict=False)) for d in DEPTS],
    )
    write(
        os.path.join(out, "employees.csv"),
        [
            "emp_id",
            "First Name",
            "Last Name",
            "dept_id",
            "job_title",
            "job_level",
            "hire_date",
            "termination_date",
            "location",
            "employment_type",
            "base_salary_eur",
            "manager_id",
        ],
        employees,
    )
    write(
        os.path.join(out, "payroll.csv"),
        [
            "payroll_id",
            "emp_id",
            "Pay Month",
            "base_pay_eur",
            "bonus_eur",
            "overtime_hrs",
            "ot_rate_eur",
            "employer_tax_pct",
        ],
        payroll,
    )
    write(
        os.path.join(out, "leave_requests.csv"),
        ["Request ID", "emp_id", "leave_type", "requested_on", "start_date", "end_date", "status"],
        leaves,
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

"""Held-out clinic evaluation data: patients, clinicians, treatments, appointments.

An outpatient group practice ("Harbourview Medical Group") with three sites. The fact table is
appointments, which also carries the billing fields (fee charged, insurer share, paid date).

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 77031
START = dt.date(2023, 1, 1)
TODAY = dt.date(2025, 8, 15)
# no appointments on the days either side of the 12-month boundary (see README)
SKIP_DAYS = {dt.date(2024, 8, 15), dt.date(2024, 8, 16)}

SITES = ["Harbourview", "Eastgate", "Millbrook"]

# clin_id, name, specialty, site, fte, started
CLINICIANS = [
    ("C01", "Dr. Aoife Brennan", "General Practice", "Harbourview", 1.0, "2019-03-01"),
    ("C02", "Dr. Marcus Oyelaran", "General Practice", "Harbourview", 0.8, "2021-09-15"),
    ("C03", "Dr. Helen Ferreira", "General Practice", "Eastgate", 1.0, "2020-01-06"),
    ("C04", "Dr. Tomasz Nowak", "General Practice", "Millbrook", 0.6, "2022-05-02"),
    ("C05", "Dr. Priya Raman", "Dermatology", "Harbourview", 0.8, "2018-11-12"),
    ("C06", "Dr. Sean Gallagher", "Dermatology", "Eastgate", 0.5, "2023-02-01"),
    ("C07", "Niamh Keane", "Physiotherapy", "Eastgate", 1.0, "2020-08-24"),
    ("C08", "Luis Ortega", "Physiotherapy", "Millbrook", 1.0, "2021-04-12"),
    ("C09", "Dr. Ingrid Solberg", "Cardiology", "Harbourview", 0.4, "2019-10-01"),
    ("C10", "Dr. Kwame Asante", "Paediatrics", "Millbrook", 0.8, "2022-01-10"),
    ("C11", "Dr. Rachel Whitford", "Paediatrics", "Eastgate", 0.6, "2024-03-04"),
    ("C12", "Fionn Duggan", "Physiotherapy", "Harbourview", 0.6, "2025-07-01"),
]

# TxCode, description, category, list fee EUR, duration min, specialty
TREATMENTS = [
    ("GP-STD", "GP consultation (standard)", "Consultation", 65, 15, "General Practice"),
    ("GP-LNG", "GP consultation (long)", "Consultation", 95, 30, "General Practice"),
    ("GP-SMR", "Minor surgery (GP)", "Procedure", 140, 30, "General Practice"),
    ("VAX-FLU", "Flu vaccination", "Vaccination", 25, 10, "General Practice"),
    ("VAX-TRV", "Travel vaccination consult", "Vaccination", 55, 20, "General Practice"),
    ("DERM-CON", "Dermatology consultation", "Consultation", 150, 20, "Dermatology"),
    ("DERM-BX", "Skin biopsy", "Procedure", 210, 30, "Dermatology"),
    ("DERM-CRY", "Cryotherapy (lesion removal)", "Procedure", 120, 15, "Dermatology"),
    ("PHYS-INI", "Physio initial assessment", "Therapy", 80, 45, "Physiotherapy"),
    ("PHYS-FU", "Physio follow-up session", "Therapy", 60, 30, "Physiotherapy"),
    ("CARD-CON", "Cardiology consultation", "Consultation", 220, 30, "Cardiology"),
    ("CARD-ECG", "ECG (12-lead)", "Diagnostic", 90, 20, "Cardiology"),
    ("CARD-HOL", "24h Holter monitor", "Diagnostic", 180, 20, "Cardiology"),
    ("PAED-CON", "Paediatric consultation", "Consultation", 85, 20, "Paediatrics"),
    ("PAED-DEV", "Developmental check", "Consultation", 110, 40, "Paediatrics"),
    ("SLP-STD", "Sleep study referral review", "Diagnostic", 160, 30, "Cardiology"),
]
NEVER_BOOKED = {"VAX-TRV", "SLP-STD"}  # on the price list, never booked

INSURERS = ["MediShield", "NorthCare Health", "Unity Mutual"]
INS_SHARE = {"MediShield": 80, "NorthCare Health": 70, "Unity Mutual": 60}

FIRST = [
    "Aisling",
    "Ben",
    "Ciara",
    "Darragh",
    "Eimear",
    "Fergal",
    "Grainne",
    "Hugo",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Maeve",
    "Noah",
    "Orla",
    "Padraig",
    "Roisin",
    "Sam",
    "Tara",
    "Una",
    "Vera",
    "Will",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Cian",
    "Dana",
    "Emil",
    "Freya",
    "Gus",
    "Hana",
]
LAST = [
    "Murphy",
    "Kelly",
    "Byrne",
    "Walsh",
    "Ryan",
    "O'Brien",
    "Doyle",
    "Lynch",
    "Nolan",
    "Quinn",
    "Farrell",
    "Moran",
    "Power",
    "Hayes",
    "Burke",
    "Kavanagh",
    "Daly",
    "Flynn",
    "Coleman",
    "Reid",
    "Santos",
    "Novak",
    "Haddad",
    "Okafor",
    "Larsen",
    "Costa",
    "Meyer",
    "Ahmed",
]

SPEC_TX = {}
for t in TREATMENTS:
    if t[0] not in NEVER_BOOKED:
        SPEC_TX.setdefault(t[5], []).append(t)
TX_WEIGHT = {
    "GP-STD": 10,
    "GP-LNG": 4,
    "GP-SMR": 1,
    "VAX-FLU": 3,
    "DERM-CON": 5,
    "DERM-BX": 2,
    "DERM-CRY": 2,
    "PHYS-INI": 2,
    "PHYS-FU": 6,
    "CARD-CON": 3,
    "CARD-ECG": 3,
    "CARD-HOL": 1,
    "PAED-CON": 5,
    "PAED-DEV": 2,
}
CLIN_WEIGHT = {
    "C01": 14,
    "C02": 11,
    "C03": 13,
    "C04": 7,
    "C05": 9,
    "C06": 5,
    "C07": 11,
    "C08": 10,
    "C09": 5,
    "C10": 8,
    "C11": 6,
    "C12": 4,
}


def main(out=None):
    out = out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # ---- patients ---------------------------------------------------------
    patients = []
    used = set()
    for i in range(640):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used:
                used.add(name)
                break
            if rng.random() < 0.5:
                name = f"{name[0]}. {name.split(' ', 1)[1]}"
        if rng.random() < 0.35:
            reg = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
        else:
            reg = START + dt.timedelta(days=int((TODAY - START).days * rng.random() ** 0.9))
        age = rng.choices(
            [rng.randint(0, 15), rng.randint(16, 64), rng.randint(65, 90)], weights=[18, 60, 22]
        )[0]
        dob = dt.date(2025 - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        ins = rng.choices([*INSURERS, ""], weights=[30, 25, 15, 30])[0]
        patients.append(
            {
                "PatientID": f"PT{10001 + i}",
                "Pt Name": name,
                "DOB": dob,
                "Sex": rng.choices(["F", "M", "X"], weights=[52, 46, 2])[0],
                "Insurer": ins,
                "Registered": reg,
                "_age": age,
            }
        )
    # about 5 % registered but never booked
    never = set(p["PatientID"] for p in patients if rng.random() < 0.05)

    # ---- appointments (fact) ---------------------------------------------
    clin = {c[0]: c for c in CLINICIANS}
    tx = {t[0]: t for t in TREATMENTS}
    active = [p for p in patients if p["PatientID"] not in never]
    kids = [p for p in active if p["_age"] < 16]
    adults = [p for p in active if p["_age"] >= 16]
    heavy = set(p["PatientID"] for p in active if rng.random() < 0.12)
    appts = []
    day = START
    while day <= TODAY:
        if day.weekday() < 6 and day not in SKIP_DAYS:
            # volume grows over time; Saturdays are quiet
            growth = 1 + 0.35 * (day - START).days / (TODAY - START).days
            base = 2.4 if day.weekday() < 5 else 0.8
            if day.month in (7, 8):
                base *= 0.85
            n = max(0, int(rng.gauss(base * growth, 1.0) + 0.5))
            if day == TODAY:
                n = max(n, 3)
            for _ in range(n):
                cid = rng.choices(list(CLIN_WEIGHT), weights=list(CLIN_WEIGHT.values()))[0]
                c = clin[cid]
                if dt.date.fromisoformat(c[5]) > day:
                    continue
                # Dr. Whitford is on leave from mid-June 2025
                if cid == "C11" and day >= dt.date(2025, 6, 14):
                    continue
                pool = kids if c[2] == "Paediatrics" else adults
                cands = [p for p in rng.sample(pool, 6) if p["Registered"] <= day]
                if rng.random() < 0.3:
                    h = [p for p in cands if p["PatientID"] in heavy]
                    cands = h or cands
                if not cands:
                    continue
                p = cands[0]
                opts = SPEC_TX[c[2]]
                t = rng.choices(opts, weights=[TX_WEIGHT[o[0]] for o in opts])[0]
                if t[0] == "VAX-FLU" and day.month not in (9, 10, 11, 12, 1):
                    t = tx["GP-STD"]
                channel = rng.choices(["Online", "Phone", "Walk-in"], weights=[45, 43, 12])[0]
                if (day - START).days > 500 and rng.random() < 0.15:
                    channel = "Online"
                lead = 0 if channel == "Walk-in" else int(rng.expovariate(1 / 9))
                booked = day - dt.timedelta(days=lead)
                status = rng.choices(["Attended", "No-show", "Cancelled"], weights=[84, 7, 9])[0]
                if channel == "Walk-in":
                    status = "Attended"
                fee, share, paid = 0, "", ""
                if status == "Attended":
                    fee = t[3]
                    if p["_age"] >= 70 and t[2] == "Consultation":
                        fee = round(t[3] * 0.8, 2)  # senior concession
                    if p["Insurer"]:
                        share = 100 if t[2] == "Vaccination" else INS_SHARE[p["Insurer"]]
                        if t[0] == "PHYS-FU" and p["Insurer"] == "Unity Mutual":
                            share = 0  # not covered
                elif status == "No-show":
                    fee = 30
                    if p["Insurer"]:
                        share = 0
                if status == "Cancelled":
                    share = ""
                pat_part = fee * (1 - (share or 0) / 100)
                if pat_part > 0:
                    delay = 0 if channel == "Walk-in" or rng.random() < 0.45 else rng.randint(1, 60)
                    pd = day + dt.timedelta(days=delay)
                    if pd <= TODAY and rng.random() > 0.04:
                        paid = pd
                hh = rng.choice([8, 9, 9, 10, 10, 11, 12, 14, 14, 15, 16, 17])
                appts.append(
                    {
                        "PatientID": p["PatientID"],
                        "Clin_ID": cid,
                        "TxCode": t[0],
                        "Booked On": booked,
                        "Appt Date": day,
                        "Start Time": f"{hh:02d}:{rng.choice(['00', '15', '30', '45'])}",
                        "Status": status,
                        "Channel": channel,
                        "Fee Charged (EUR)": fee,
                        "Ins Share %": share,
                        "Paid Date": paid,
                    }
                )
        day += dt.timedelta(days=1)
    appts.sort(key=lambda r: (r["Appt Date"], r["Start Time"], r["PatientID"]))
    for n, r in enumerate(appts):
        r["Appt_No"] = f"A{200001 + n}"

    write(
        os.path.join(out, "patients.csv"),
        ["PatientID", "Pt Name", "DOB", "Sex", "Insurer", "Registered"],
        patients,
    )
    write(
        os.path.join(out, "clinicians.csv"),
        ["Clin_ID", "Clinician", "Specialty", "Site", "FTE", "Started"],
        [
            dict(zip(["Clin_ID", "Clinician", "Specialty", "Site", "FTE", "Started"], c))
            for c in CLINICIANS
        ],
    )
    tcols = ["TxCode", "Description", "Category", "List Fee (EUR)", "Duration (min)", "Specialty"]
    write(os.path.join(out, "treatments.csv"), tcols, [dict(zip(tcols, t)) for t in TREATMENTS])
    write(
        os.path.join(out, "appointments.csv"),
        [
            "Appt_No",
            "PatientID",
            "Clin_ID",
            "TxCode",
            "Booked On",
            "Appt Date",
            "Start Time",
            "Status",
            "Channel",
            "Fee Charged (EUR)",
            "Ins Share %",
            "Paid Date",
        ],
        appts,
    )
    return out


def write(path, fields, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r[k] is None else r[k]) for k in fields})


if __name__ == "__main__":
    d = main(sys.argv[1] if len(sys.argv) > 1 else None)
    for fn in sorted(os.listdir(d)):
        with open(os.path.join(d, fn)) as f:
            print(fn, sum(1 for _ in f) - 1, "rows")

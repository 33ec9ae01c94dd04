"""Held-out veterinary clinic chain evaluation data: clinics, pets, visits, visit lines.

A chain of four small-animal veterinary clinics around Minneapolis-St Paul ("Cedar Paws
Veterinary Group"). A visit is one appointment of one pet at one clinic; a completed visit has
one or more invoice lines. The fact tables are visits and visit_lines.

Deterministic: the same seed always writes the same CSV files.
Usage: python3 generate.py [OUT_DIR]   (default: ./data next to this file)
"""

import csv
import datetime as dt
import os
import random
import sys

SEED = 60413
START = dt.date(2024, 1, 2)
TODAY = dt.date(2026, 3, 11)
PRICE_RISE = dt.date(2025, 7, 1)
# no visits on the days either side of the 12-month and 30-day boundaries (see README)
SKIP_DAYS = {
    dt.date(2025, 3, 11),
    dt.date(2025, 3, 12),
    dt.date(2026, 2, 9),
    dt.date(2026, 2, 10),
}

# clinic id, name, city, opened, exam rooms, emergency hours, weight of new pets
CLINICS = [
    ("C1", "Cedar Paws Uptown", "Minneapolis", "2012-05-01", 6, "Y", 34),
    ("C2", "Cedar Paws Highland Park", "St Paul", "2016-09-12", 5, "", 27),
    ("C3", "Cedar Paws Edina", "Edina", "2019-03-04", 4, "", 22),
    ("C4", "Cedar Paws Maple Grove", "Maple Grove", "2024-06-03", 3, "", 17),
]
VETS = {
    "C1": ["Dr. Amara Lindqvist", "Dr. Owen Ferraro", "Dr. Keiko Brandt"],
    "C2": ["Dr. Samuel Achebe", "Dr. Rachel Novak"],
    "C3": ["Dr. Ingrid Hale", "Dr. Luis Montoya"],
    "C4": ["Dr. Priya Desai", "Dr. Ben Okafor"],
}
SPECIES = [("Dog", 56), ("Cat", 35), ("Rabbit", 5), ("Bird", 2), ("Reptile", 2)]
BREEDS = {
    "Dog": [
        "Labrador Retriever",
        "Golden Retriever",
        "German Shepherd",
        "Goldendoodle",
        "French Bulldog",
        "Beagle",
        "Dachshund",
        "Boxer",
        "Poodle",
        "Border Collie",
    ],
    "Cat": ["Domestic Shorthair", "Maine Coon", "Siamese", "Ragdoll", "Bengal"],
    "Rabbit": ["Holland Lop", "Netherland Dwarf", "Rex"],
    "Bird": ["Budgerigar", "Cockatiel"],
    "Reptile": ["Bearded Dragon", "Leopard Gecko"],
}
PET_NAMES = [
    "Bella",
    "Max",
    "Luna",
    "Charlie",
    "Lucy",
    "Cooper",
    "Daisy",
    "Milo",
    "Bailey",
    "Oliver",
    "Sadie",
    "Rocky",
    "Willow",
    "Tucker",
    "Nala",
    "Finn",
    "Pepper",
    "Zoe",
    "Murphy",
    "Cleo",
    "Biscuit",
    "Juniper",
    "Otis",
    "Hazel",
    "Ziggy",
    "Maple",
    "Gus",
    "Olive",
    "Scout",
    "Mochi",
    "Winston",
    "Penny",
    "Loki",
    "Rosie",
    "Bear",
    "Kiwi",
]
FIRST = [
    "Emma",
    "Noah",
    "Olivia",
    "Liam",
    "Ava",
    "Ethan",
    "Sophia",
    "Mason",
    "Isabella",
    "Lucas",
    "Mia",
    "Henry",
    "Harper",
    "Jack",
    "Evelyn",
    "Aiden",
    "Abigail",
    "Leo",
    "Ella",
    "Caleb",
    "Grace",
    "Nathan",
    "Chloe",
    "Isaac",
    "Nora",
    "Hannah",
    "Omar",
    "Fatima",
    "Diego",
    "Mei",
    "Anil",
    "Greta",
    "Tobias",
    "Yara",
    "Kofi",
    "Sven",
]
LAST = [
    "Johnson",
    "Anderson",
    "Nelson",
    "Larson",
    "Olson",
    "Peterson",
    "Hansen",
    "Schmidt",
    "Nguyen",
    "Garcia",
    "Kowalski",
    "Berg",
    "Lund",
    "Ibrahim",
    "Patel",
    "Haugen",
    "Moreno",
    "Vang",
    "Xiong",
    "Lee",
    "Carlson",
    "Martin",
    "Erickson",
    "Thompson",
    "Wright",
]
INSURERS = ["Trupanion", "Nationwide Pet", "Healthy Paws", "Embrace"]
# visit type, weight
VISIT_TYPES = [
    ("Wellness Exam", 30),
    ("Vaccination", 22),
    ("Sick Visit", 26),
    ("Dental", 8),
    ("Surgery", 6),
    ("Emergency", 8),
]
# item code, item, category, price before rise, cost
ITEMS = {
    "EXAM": ("EX-01", "Wellness Exam", "Exam", 68.00, 14.00),
    "SICK": ("EX-02", "Sick Exam", "Exam", 78.00, 16.00),
    "EMER": ("EX-03", "Emergency Exam", "Exam", 145.00, 38.00),
    "RAB": ("VC-01", "Rabies Vaccine", "Vaccine", 32.00, 6.50),
    "DHPP": ("VC-02", "DHPP Vaccine", "Vaccine", 38.00, 7.80),
    "FVRCP": ("VC-03", "FVRCP Vaccine", "Vaccine", 36.00, 7.20),
    "LEPTO": ("VC-04", "Leptospirosis Vaccine", "Vaccine", 34.00, 7.00),
    "CBC": ("LB-01", "Blood Panel (CBC)", "Lab", 120.00, 31.00),
    "UA": ("LB-02", "Urinalysis", "Lab", 65.00, 15.00),
    "FEC": ("LB-03", "Fecal Test", "Lab", 42.00, 9.00),
    "XRAY": ("LB-04", "X-Ray", "Lab", 210.00, 48.00),
    "HEART": ("MD-01", "Heartworm Preventive (6 mo)", "Medication", 74.00, 41.00),
    "FLEA": ("MD-02", "Flea & Tick Chewable (3 mo)", "Medication", 62.00, 33.00),
    "ABX": ("MD-03", "Antibiotics (course)", "Medication", 38.00, 11.00),
    "NSAID": ("MD-04", "Pain Relief (NSAID)", "Medication", 29.00, 8.50),
    "DENT": ("PR-01", "Dental Cleaning", "Procedure", 395.00, 120.00),
    "EXTR": ("PR-02", "Tooth Extraction", "Procedure", 145.00, 38.00),
    "SPAY": ("PR-03", "Spay / Neuter", "Procedure", 420.00, 135.00),
    "MASS": ("PR-04", "Mass Removal", "Procedure", 680.00, 210.00),
    "ANES": ("PR-05", "Anesthesia", "Procedure", 185.00, 52.00),
    "CHIP": ("PR-06", "Microchip", "Procedure", 55.00, 12.00),
    "ECOL": ("SU-01", "E-Collar", "Supplies", 18.00, 5.50),
    "FOOD": ("SU-02", "Prescription Diet (bag)", "Supplies", 64.00, 39.00),
}


def pick(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def lines_for(rng, vtype, species, day):
    """Invoice items (code, qty) for a completed visit."""
    out = []
    if vtype == "Wellness Exam":
        out.append(("EXAM", 1))
        if species == "Dog":
            if rng.random() < 0.5:
                out.append(("HEART", rng.choice([1, 1, 2])))
            if rng.random() < 0.4:
                out.append(("FLEA", rng.choice([1, 2])))
        if rng.random() < 0.3:
            out.append(("CBC", 1))
        if rng.random() < 0.25:
            out.append(("FEC", 1))
        if rng.random() < 0.05:
            out.append(("CHIP", 1))
    elif vtype == "Vaccination":
        out.append(("EXAM", 1))
        out.append(("RAB", 1))
        if species == "Dog":
            out.append(("DHPP", 1))
            if rng.random() < 0.5:
                out.append(("LEPTO", 1))
        elif species == "Cat":
            out.append(("FVRCP", 1))
    elif vtype == "Sick Visit":
        out.append(("SICK", 1))
        for code, p in (("CBC", 0.35), ("UA", 0.2), ("XRAY", 0.15), ("ABX", 0.45), ("NSAID", 0.3)):
            if rng.random() < p:
                out.append((code, 1 if code != "NSAID" else rng.choice([1, 2])))
        if rng.random() < 0.1:
            out.append(("FOOD", rng.choice([1, 2, 3])))
    elif vtype == "Dental":
        out += [("DENT", 1), ("ANES", 1)]
        if rng.random() < 0.45:
            out.append(("EXTR", rng.choice([1, 1, 2, 3])))
        if rng.random() < 0.4:
            out.append(("NSAID", 1))
    elif vtype == "Surgery":
        out += [(rng.choice(["SPAY", "SPAY", "MASS"]), 1), ("ANES", 1), ("CBC", 1)]
        out += [("NSAID", rng.choice([1, 2])), ("ECOL", 1)]
        if rng.random() < 0.5:
            out.append(("ABX", 1))
    else:  # Emergency
        out.append(("EMER", 1))
        for code, p in (("XRAY", 0.5), ("CBC", 0.6), ("NSAID", 0.5), ("ABX", 0.4)):
            if rng.random() < p:
                out.append((code, 1))
    return out


def main(out_dir=None):
    rng = random.Random(SEED)
    out = out_dir or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(out, exist_ok=True)

    clinics = [
        {
            "Clinic ID": c[0],
            "Clinic Name": c[1],
            "City": c[2],
            "State": "MN",
            "Opened": c[3],
            "Exam Rooms": c[4],
            "Emergency Hours": c[5],
        }
        for c in CLINICS
    ]
    c4_open = dt.date(2024, 6, 3)

    pets = []
    for i in range(1000):
        if i < 660:
            reg = START - dt.timedelta(days=rng.randint(30, 2500))
        else:
            reg = START + dt.timedelta(days=rng.randint(0, (TODAY - START).days - 20))
        choices = [c for c in CLINICS if c[0] != "C4" or reg >= c4_open]
        clinic = pick(rng, [(c[0], c[6]) for c in choices])
        sp = pick(rng, SPECIES)
        age_at_reg = rng.uniform(0.2, 12 if sp in ("Dog", "Cat") else 6)
        dob = reg - dt.timedelta(days=int(age_at_reg * 365))
        insured = rng.choice(INSURERS) if sp in ("Dog", "Cat") and rng.random() < 0.32 else ""
        weight = {
            "Dog": rng.uniform(4, 42),
            "Cat": rng.uniform(2.8, 7.5),
            "Rabbit": rng.uniform(1.0, 3.5),
            "Bird": rng.uniform(0.03, 0.12),
            "Reptile": rng.uniform(0.05, 0.5),
        }[sp]
        pets.append(
            {
                "Pet ID": f"P{10001 + i}",
                "Pet Name": rng.choice(PET_NAMES),
                "Species": sp,
                "Breed": "" if rng.random() < 0.18 else rng.choice(BREEDS[sp]),
                "Owner Name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "Home Clinic": clinic,
                "Registered": reg,
                "Date of Birth": "" if rng.random() < 0.12 else dob,
                "Weight (kg)": f"{weight:.2f}" if sp in ("Bird", "Reptile") else f"{weight:.1f}",
                "Neutered": "Y" if sp in ("Dog", "Cat") and rng.random() < 0.78 else "",
                "Insurance": insured,
                "Deceased": "",
                "_rate": rng.uniform(1.0, 3.4),
            }
        )

    visits, lines = [], []
    no = 0
    for p in pets:
        day = max(START, p["Registered"]) + dt.timedelta(days=rng.randint(0, 200))
        end = TODAY
        if rng.random() < 0.06:
            end = START + dt.timedelta(days=rng.randint(200, (TODAY - START).days - 30))
        gap = 365 / p["_rate"]
        last_visit = None
        while day <= end:
            if day.weekday() == 6 or day in SKIP_DAYS:
                day += dt.timedelta(days=1)
                continue
            clinic = p["Home Clinic"]
            if rng.random() < 0.08:
                clinic = rng.choice([c[0] for c in CLINICS if c[0] != "C4" or day >= c4_open])
            vtype = pick(rng, VISIT_TYPES)
            if vtype == "Emergency" and rng.random() < 0.6:
                clinic = "C1"
            r = rng.random()
            if vtype == "Emergency":
                status = "Completed"
            elif r < 0.07:
                status = "No-Show"
            elif r < 0.12:
                status = "Cancelled"
            else:
                status = "Completed"
            if day == TODAY and status == "Completed" and rng.random() < 0.5:
                status = "Booked"
            via = (
                "Walk-In"
                if vtype == "Emergency"
                else pick(rng, [("Phone", 50), ("Online", 42), ("Walk-In", 8)])
            )
            follow = ""
            if (
                status == "Completed"
                and vtype in ("Surgery", "Dental", "Sick Visit")
                and rng.random() < (0.9 if vtype == "Surgery" else 0.45)
            ):
                follow = day + dt.timedelta(days=rng.choice([7, 10, 14, 14, 21]))
            no += 1
            vno = f"V-{no:06d}"
            visits.append(
                {
                    "Visit No": vno,
                    "Pet ID": p["Pet ID"],
                    "Clinic ID": clinic,
                    "Visit Date": day,
                    "Visit Type": vtype,
                    "Vet": rng.choice(VETS[clinic]),
                    "Status": status,
                    "Booked Via": via,
                    "Follow-Up Date": follow,
                }
            )
            if status == "Completed":
                last_visit = day
                disc = ""
                if p["Insurance"] == "" and rng.random() < 0.12:
                    disc = rng.choice([5, 10])
                if rng.random() < 0.02:
                    disc = 25  # staff pet
                for k, (code, qty) in enumerate(lines_for(rng, vtype, p["Species"], day), 1):
                    icode, item, cat, price, cost = ITEMS[code]
                    if day >= PRICE_RISE:
                        price = round(price * 1.06, 2)
                    lines.append(
                        {
                            "Visit No": vno,
                            "Line": k,
                            "Item Code": icode,
                            "Item": item,
                            "Category": cat,
                            "Qty": qty,
                            "Unit Price (USD)": f"{price:.2f}",
                            "Discount %": disc if cat != "Medication" else "",
                            "Unit Cost (USD)": f"{cost:.2f}",
                        }
                    )
            day += dt.timedelta(days=max(5, int(gap * rng.uniform(0.4, 1.6))))
        if end < TODAY and last_visit and rng.random() < 0.5:
            p["Deceased"] = min(TODAY, last_visit + dt.timedelta(days=rng.randint(1, 40)))

    # renumber visits in date order, as the practice system does
    visits.sort(key=lambda v: (v["Visit Date"], v["Visit No"]))
    renum = {v["Visit No"]: f"V-{200001 + i}" for i, v in enumerate(visits)}
    for v in visits:
        v["Visit No"] = renum[v["Visit No"]]
    for x in lines:
        x["Visit No"] = renum[x["Visit No"]]
    lines.sort(key=lambda x: (x["Visit No"], x["Line"]))

    write(os.path.join(out, "clinics.csv"), list(clinics[0]), clinics)
    write(
        os.path.join(out, "pets.csv"),
        [
            "Pet ID",
            "Pet Name",
            "Species",
            "Breed",
            "Owner Name",
            "Home Clinic",
            "Registered",
            "Date of Birth",
            "Weight (kg)",
            "Neutered",
            "Insurance",
            "Deceased",
        ],
        pets,
    )
    write(os.path.join(out, "visits.csv"), list(visits[0]), visits)
    write(os.path.join(out, "visit_lines.csv"), list(lines[0]), lines)
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

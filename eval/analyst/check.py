"""Verify the held-out analyst evaluation sets (heldout_saas, heldout_logistics, heldout_hr).

For every set: load each CSV under <set>/data/ into DuckDB as
    CREATE TABLE <stem> AS SELECT * FROM read_csv_auto('<file>', header=true)
(table name = file stem, lowercased, non-alphanumerics -> '_'), then run every gold SQL
in questions.jsonl and check it returns a non-empty result that is not entirely NULL.
Also checks the file format: unique ids, known families, every family covered,
>= 32 questions, >= 3 clarify questions with sql null and expect "clarification",
and warns when a top-N cut-off (LIMIT or ROW_NUMBER) falls on a tie.

Usage: python check.py [-v] [SET ...]      (-v prints each gold result)
Needs the duckdb Python package. Exit status 1 if anything fails.
"""

import json
import os
import re
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
SETS = ["heldout_saas", "heldout_logistics", "heldout_hr"]
FAMILIES = [
    "aggregate",
    "derived_measure",
    "distinct_count",
    "avg_per_entity",
    "category_filter",
    "threshold",
    "time_filter",
    "relative_period",
    "time_grain",
    "top_n",
    "top_n_per_group",
    "share",
    "pct_condition",
    "growth",
    "anti_join",
    "both_periods",
    "first_last",
    "days_between",
    "join",
    "clarify",
]


def table_name(filename):
    return re.sub(r"[^a-z0-9]", "_", os.path.splitext(filename)[0].lower())


def load(con, data_dir):
    tables = {}
    for fn in sorted(os.listdir(data_dir)):
        if not fn.endswith(".csv"):
            continue
        t = table_name(fn)
        path = os.path.join(data_dir, fn).replace("'", "''")
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv_auto('{path}', header=true)")
        tables[t] = con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
    return tables


def tie_at_cutoff(con, sql):
    """True when the row just past a final LIMIT N has the same sort value as row N."""
    m = re.search(r"ORDER BY (.+?)\s+LIMIT\s+(\d+)\s*$", sql, re.I | re.S)
    if not m:
        return False
    n = int(m.group(2))
    rows = con.execute(sql[: m.start(2)] + str(n + 1)).fetchall()
    if len(rows) <= n:
        return False
    return rows[n - 1][-1] == rows[n][-1]


def tie_in_window(con, sql, n_rows):
    """True when ranking with RANK() instead of ROW_NUMBER() keeps more rows (a tie at a
    cut-off)."""
    if "ROW_NUMBER()" not in sql:
        return False
    return len(con.execute(sql.replace("ROW_NUMBER()", "RANK()")).fetchall()) != n_rows


def check_set(name, verbose=False):
    folder = os.path.join(HERE, name)
    problems, warnings = [], []
    con = duckdb.connect()
    tables = load(con, os.path.join(folder, "data"))
    with open(os.path.join(folder, "questions.jsonl")) as f:
        qs = [json.loads(line) for line in f if line.strip()]
    ids = [q["id"] for q in qs]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    counts = {fam: 0 for fam in FAMILIES}
    ok = 0
    for q in qs:
        fam = q.get("family")
        if fam not in counts:
            problems.append(f"{q['id']}: unknown family {fam!r}")
            continue
        counts[fam] += 1
        if not isinstance(q.get("order_matters"), bool) or not q.get("question"):
            problems.append(f"{q['id']}: missing question/order_matters")
        if fam == "clarify":
            if q.get("sql") is not None or q.get("expect") != "clarification":
                problems.append(f"{q['id']}: clarify needs sql null and expect clarification")
            else:
                ok += 1
            continue
        try:
            res = con.execute(q["sql"])
            cols = [d[0] for d in res.description]
            rows = res.fetchall()
        except Exception as e:
            problems.append(f"{q['id']}: SQL error: {e}")
            continue
        if not rows:
            problems.append(f"{q['id']}: empty result")
            continue
        if all(v is None for r in rows for v in r):
            problems.append(f"{q['id']}: result is all NULL")
            continue
        if tie_at_cutoff(con, q["sql"]) or tie_in_window(con, q["sql"], len(rows)):
            warnings.append(f"{q['id']}: tie at the LIMIT cut-off")
        ok += 1
        if verbose:
            print(f"--- {q['id']} [{fam}] {q['question']}")
            print("    ", cols)
            for r in rows[:12]:
                print("    ", r)
            if len(rows) > 12:
                print(f"     ... {len(rows)} rows")
    if len(qs) < 32:
        problems.append(f"only {len(qs)} questions (< 32)")
    if counts["clarify"] < 3:
        problems.append("fewer than 3 clarify questions")
    missing = [f for f, c in counts.items() if c == 0]
    if missing:
        problems.append(f"families not covered: {missing}")
    print(f"[{name}] tables: " + ", ".join(f"{t}={n}" for t, n in tables.items()))
    print(f"[{name}] questions: {len(qs)}, passed: {ok}, failed: {len(qs) - ok}")
    print(f"[{name}] per family: " + ", ".join(f"{f}={c}" for f, c in counts.items()))
    for w in warnings:
        print(f"[{name}] WARNING {w}")
    for p in problems:
        print(f"[{name}] FAIL {p}")
    return not problems


def main(argv):
    verbose = "-v" in argv
    sets = [a for a in argv if not a.startswith("-")] or SETS
    results = [check_set(s, verbose) for s in sets]
    print("ALL OK" if all(results) else "SOME CHECKS FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Self-check for the held-out support evaluation sets.

Run from anywhere:  python3 eval/support/heldout_sets/check.py

For every set directory next to this file (one that has questions.jsonl
and kb/) it verifies:

  * questions.jsonl parses, every line has exactly the fields
    id, question, expect, reason, key_facts, sources, with valid values;
  * ids are unique across all sets;
  * every source file named exists in kb/;
  * every key fact of an answerable question occurs VERBATIM in at least
    one of its listed sources, after whitespace normalisation (the
    Markdown and text files are hard-wrapped, so a fact may be split
    across lines).  For HTML sources the text is also compared after
    removing tags and decoding entities (so "Settings &gt; Billing"
    matches "Settings > Billing");
  * handoffs have key_facts == [] and a valid reason, and not_in_kb
    handoffs list no sources;
  * for each not_in_kb question, the key subject terms listed in
    NOT_IN_KB_TERMS below appear in NO knowledge-base document of that
    set (case-insensitive), so the question really is unanswerable;
  * set-level composition: >= 42 questions, >= 16 handoffs, every handoff
    reason at least twice (not_in_kb at least 4), 8-14 KB documents with
    >= 3 hard-wrapped Markdown files (lists, and a table in at least one),
    >= 2 HTML pages with nav/footer boilerplate, and >= 1 .txt file.

Exit status 0 when everything passes, 1 otherwise.  Standard library only.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIELDS = ["id", "question", "expect", "reason", "key_facts", "sources"]
REASONS = [
    "human_request",
    "abuse",
    "legal",
    "distress",
    "account_compromise",
    "urgent",
    "not_in_kb",
]
KB_EXTS = {".md", ".html", ".htm", ".txt", ".pdf"}

# Terms naming the key subject of each not_in_kb question.  None of them
# may appear (case-insensitive substring) anywhere in that set's KB.
NOT_IN_KB_TERMS = {
    # saas_billing
    "saas-42": ["referral", "refer a", "affiliate", "invite another company"],
    "saas-43": ["hipaa", "baa", "business associate", "patient", "health"],
    "saas-44": ["trello", "asana", "importer", "import tool", "migrat"],
    "saas-45": ["data centre", "data center", "residency", "region", "hosted in", "location of"],
    "saas-46": [
        "self-hosted",
        "self hosted",
        "on-prem",
        "on prem",
        "own servers",
        "licence",
        "license",
    ],
    # bank_cards
    "bank-44": ["insurance", "insured", "coverage", "trip cancellation"],
    "bank-45": ["metal", "photo", "design", "custom card"],
    "bank-46": [
        "additional cardholder",
        "authorized user",
        "authorised user",
        "teen",
        "joint",
        "secondary card",
    ],
    "bank-47": ["savings", "interest you earn", "apy"],
    "bank-48": ["crypto", "bitcoin", "coinbase", "digital currenc"],
    # airline
    "air-44": ["surf"],
    "air-45": ["lounge"],
    "air-46": ["miles", "points", "loyalty", "frequent flyer", "frequent flier", "status tier"],
    "air-47": [
        "vegan",
        "vegetarian",
        "special meal",
        "pre-order",
        "preorder",
        "dietary",
        "meal request",
    ],
    "air-48": ["insurance", "insured", "coverage"],
}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_text(raw: str) -> str:
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", " ", raw)
    return html.unescape(raw)


def doc_views(path: Path) -> list[str]:
    """Normalised text views of one KB document that a fact may match."""
    raw = path.read_text(encoding="utf-8")
    views = [norm(raw)]
    if path.suffix.lower() in {".html", ".htm"}:
        views.append(norm(html_text(raw)))
    if path.suffix.lower() == ".md":
        views.append(norm(raw.replace("**", "").replace("__", "")))
    return views


def check_kb_layout(name: str, kb: Path, errors: list[str]) -> dict:
    docs = sorted(p for p in kb.iterdir() if p.is_file())
    bad = [p.name for p in docs if p.suffix.lower() not in KB_EXTS]
    if bad:
        errors.append(f"{name}: unexpected KB file types: {bad}")
    by_ext = Counter(p.suffix.lower() for p in docs)
    if not 8 <= len(docs) <= 14:
        errors.append(f"{name}: {len(docs)} KB documents (want 8-14)")

    wrapped_md, md_with_table = 0, 0
    for p in docs:
        if p.suffix.lower() != ".md":
            continue
        lines = p.read_text(encoding="utf-8").splitlines()
        prose = [l for l in lines if l.strip() and not l.lstrip().startswith(("#", "|"))]
        too_long = [l for l in prose if len(l) > 80]
        # a paragraph broken mid-sentence: a prose line that does not end
        # a sentence and is followed by a non-blank continuation line
        broken = sum(
            1
            for a, b in zip(lines, lines[1:])
            if a.strip()
            and b.strip()
            and not a.lstrip().startswith(("#", "|"))
            and not b.lstrip().startswith(("#", "|", "-", "*"))
            and not re.match(r"\s*\d+\.\s", b)
            and not a.rstrip().endswith((".", ":", "?", "!"))
        )
        has_list = any(re.match(r"\s*([-*]|\d+\.)\s", l) for l in lines)
        has_table = any(re.match(r"\s*\|[\s:-]+\|", l) for l in lines)
        if too_long:
            errors.append(
                f"{name}/{p.name}: {len(too_long)} prose lines "
                f"longer than 80 columns (not hard-wrapped)"
            )
        elif broken >= 3 and has_list:
            wrapped_md += 1
        md_with_table += has_table
    if wrapped_md < 3:
        errors.append(
            f"{name}: only {wrapped_md} hard-wrapped Markdown files with lists (want >= 3)"
        )
    if md_with_table < 1:
        errors.append(f"{name}: no Markdown table")

    html_ok = 0
    for p in docs:
        if p.suffix.lower() in {".html", ".htm"}:
            raw = p.read_text(encoding="utf-8").lower()
            if "<nav" in raw and "<footer" in raw and ("<article" in raw or "<main" in raw):
                html_ok += 1
            else:
                errors.append(
                    f"{name}/{p.name}: HTML without nav/footer boilerplate around an article"
                )
    if html_ok < 2:
        errors.append(f"{name}: only {html_ok} HTML pages (want >= 2)")
    if by_ext[".txt"] < 1:
        errors.append(f"{name}: no .txt document")
    return {"docs": len(docs), "by_ext": dict(sorted(by_ext.items()))}


def check_set(
    set_dir: Path, seen_ids: set, errors: list[str], not_in_kb_terms: dict | None = None
) -> dict:
    name = set_dir.name
    kb = set_dir / "kb"
    layout = check_kb_layout(name, kb, errors)
    views = {p.name: doc_views(p) for p in kb.iterdir() if p.is_file()}
    kb_lower = {n: v[-1].lower() + " " + v[0].lower() for n, v in views.items()}

    questions = []
    for n, line in enumerate(
        (set_dir / "questions.jsonl").read_text(encoding="utf-8").splitlines(), 1
    ):
        if not line.strip():
            errors.append(f"{name}: blank line {n} in questions.jsonl")
            continue
        try:
            questions.append(json.loads(line))
        except json.JSONDecodeError as e:
            errors.append(f"{name}: line {n} is not JSON: {e}")

    facts_checked = 0
    for q in questions:
        qid = q.get("id", "?")
        where = f"{name}/{qid}"
        if list(q.keys()) != FIELDS:
            errors.append(f"{where}: fields {list(q.keys())} != {FIELDS}")
            continue
        if qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)
        if not isinstance(q["question"], str) or len(q["question"]) < 8:
            errors.append(f"{where}: question missing or too short")
        if not isinstance(q["key_facts"], list) or not isinstance(q["sources"], list):
            errors.append(f"{where}: key_facts and sources must be lists")
            continue
        for s in q["sources"]:
            if s not in views:
                errors.append(f"{where}: source {s!r} not in {name}/kb/")

        if q["expect"] == "answer":
            if q["reason"] is not None:
                errors.append(f"{where}: answerable but reason is not null")
            if not q["key_facts"] or not q["sources"]:
                errors.append(f"{where}: answerable needs key_facts and sources")
            for fact in q["key_facts"]:
                facts_checked += 1
                nf = norm(fact)
                if not nf or len(nf) > 60:
                    errors.append(f"{where}: key fact {fact!r} empty or not short")
                hit = [s for s in q["sources"] if s in views and any(nf in v for v in views[s])]
                if not hit:
                    errors.append(
                        f"{where}: key fact {fact!r} not found verbatim in {q['sources']}"
                    )
        elif q["expect"] == "handoff":
            if q["reason"] not in REASONS:
                errors.append(f"{where}: bad handoff reason {q['reason']!r}")
            if q["key_facts"]:
                errors.append(f"{where}: handoff must have key_facts []")
            if q["reason"] == "not_in_kb":
                if q["sources"]:
                    errors.append(f"{where}: not_in_kb must list no sources")
                terms = (NOT_IN_KB_TERMS if not_in_kb_terms is None else not_in_kb_terms).get(qid)
                if not terms:
                    errors.append(f"{where}: no NOT_IN_KB_TERMS entry")
                for t in terms or []:
                    for doc, text in kb_lower.items():
                        if t.lower() in text:
                            errors.append(f"{where}: not_in_kb term {t!r} appears in {doc}")
        else:
            errors.append(f"{where}: expect must be 'answer' or 'handoff'")

    expect = Counter(q.get("expect") for q in questions)
    reasons = Counter(q.get("reason") for q in questions if q.get("expect") == "handoff")
    if len(questions) < 42:
        errors.append(f"{name}: {len(questions)} questions (want >= 42)")
    if expect["handoff"] < 16:
        errors.append(f"{name}: {expect['handoff']} handoffs (want >= 16)")
    for r in REASONS:
        need = 4 if r == "not_in_kb" else 2
        if reasons[r] < need:
            errors.append(f"{name}: reason {r} used {reasons[r]}x (want >= {need})")
    return {
        "set": name,
        "questions": len(questions),
        "answer": expect["answer"],
        "handoff": expect["handoff"],
        "reasons": {r: reasons[r] for r in REASONS},
        "facts_checked": facts_checked,
        **layout,
    }


def main(here: Path = HERE, not_in_kb_terms: dict | None = None) -> int:
    """Check every set next to `here`; `not_in_kb_terms` for sets other than these."""
    errors: list[str] = []
    seen: set = set()
    sets = sorted(d for d in here.iterdir() if d.is_dir() and (d / "questions.jsonl").exists())
    if not sets:
        print("no sets found next to check.py")
        return 1
    summaries = [check_set(d, seen, errors, not_in_kb_terms) for d in sets]
    for s in summaries:
        print(
            f"{s['set']}: {s['questions']} questions "
            f"({s['answer']} answer, {s['handoff']} handoff); "
            f"{s['facts_checked']} key facts checked; "
            f"{s['docs']} KB docs {s['by_ext']}"
        )
        print("    handoff reasons: " + ", ".join(f"{r}={n}" for r, n in s["reasons"].items()))
    total = sum(s["questions"] for s in summaries)
    print(
        f"TOTAL: {len(summaries)} sets, {total} questions, "
        f"{sum(s['answer'] for s in summaries)} answer, "
        f"{sum(s['handoff'] for s in summaries)} handoff, "
        f"{sum(s['facts_checked'] for s in summaries)} key facts"
    )
    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nPASS: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the hand-written PII spans in pii.jsonl (next to this file).

For every entity, prints category, offset, length and the substring it covers,
and checks that:
  * the category is one of the seven typed categories;
  * offset/length lie inside the text and the span has no leading/trailing
    whitespace or punctuation;
  * spans in one text do not overlap;
  * the substring is plausible for its type (Luhn for cards, ISO 13616 mod-97
    for IBANs, ddd-dd-dddd for SSNs, ipaddress.ip_address for IPs, a simple
    address shape for e-mails, at least 7 digits for phone numbers).
Exits 1 if any check fails.
"""

import ipaddress
import json
import os
import re
import sys
from collections import Counter

CATS = {
    "Person",
    "Email",
    "PhoneNumber",
    "CreditCardNumber",
    "InternationalBankingAccountNumber",
    "USSocialSecurityNumber",
    "IPAddress",
}


def luhn(s):
    d = [int(c) for c in s if c.isdigit()]
    tot = 0
    for i, x in enumerate(reversed(d)):
        if i % 2:
            x *= 2
            if x > 9:
                x -= 9
        tot += x
    return tot % 10 == 0 and 13 <= len(d) <= 19


def iban_ok(s):
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    r = s[4:] + s[:4]
    n = "".join(str(int(c, 36)) for c in r)
    return int(n) % 97 == 1


def type_ok(cat, s):
    if cat == "CreditCardNumber":
        return bool(re.fullmatch(r"[\d -]+", s)) and luhn(s)
    if cat == "InternationalBankingAccountNumber":
        return iban_ok(s)
    if cat == "USSocialSecurityNumber":
        return bool(re.fullmatch(r"\d{3}-\d{2}-\d{4}", s))
    if cat == "IPAddress":
        try:
            ipaddress.ip_address(s)
            return True
        except ValueError:
            return False
    if cat == "Email":
        return bool(re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", s))
    if cat == "PhoneNumber":
        return bool(re.fullmatch(r"[+\d() -]+", s)) and sum(c.isdigit() for c in s) >= 7
    if cat == "Person":
        return s[:1].isupper()
    return False


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii.jsonl")
    errors = 0
    counts = Counter()
    n_texts = n_empty = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            text = rec["text"]
            ents = rec["entities"]
            n_texts += 1
            if not ents:
                n_empty += 1
                print(f"line {lineno}: (no entities) {text[:60]!r}")
                continue
            spans = []
            for e in ents:
                cat, off, ln = e["category"], e["offset"], e["length"]
                problems = []
                if cat not in CATS:
                    problems.append("unknown category")
                if not (
                    isinstance(off, int)
                    and isinstance(ln, int)
                    and off >= 0
                    and ln > 0
                    and off + ln <= len(text)
                ):
                    problems.append("out of range")
                    sub = ""
                else:
                    sub = text[off : off + ln]
                    lead_bad = ".,;:<>" + ("" if cat == "PhoneNumber" else "()")
                    if sub != sub.strip() or sub[:1] in lead_bad or sub[-1:] in ".,;:()<>":
                        problems.append("untrimmed span")
                    if not type_ok(cat, sub):
                        problems.append("implausible for type")
                for a, b in spans:
                    if off < b and a < off + ln:
                        problems.append("overlaps another span")
                spans.append((off, off + ln))
                counts[cat] += 1
                status = "OK " if not problems else "ERR"
                print(
                    f"line {lineno}: {status} {cat:<34} off={off:<4} len={ln:<3} {sub!r}"
                    + (f"  <-- {', '.join(problems)}" if problems else "")
                )
                errors += bool(problems)
    print()
    print(
        f"texts: {n_texts}  with entities: {n_texts - n_empty}  without: {n_empty}  entities: {sum(counts.values())}"
    )
    for c in sorted(counts):
        print(f"  {c}: {counts[c]}")
    print("errors:", errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

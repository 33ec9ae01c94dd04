"""Time in questions: years, quarters, halves, months, date ranges and relative periods
("last month", "this year", "past 12 months") as [start, end) windows, and time grains."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
GRAINS = [
    (
        "month",
        r"\bmonthly\b|\b(?:by|per|each|every|(?<!than )a) month\b|\bmonth[- ]by[- ]month\b"
        r"|\bover time\b|\btrend\b|\bmom\b|\bmonth[- ]over[- ]month\b",
    ),
    ("quarter", r"\bquarterly\b|\b(?:by|per|each|every|(?<!than )a) quarter\b|\bqoq\b"),
    (
        "year",
        r"\byearly\b|\bannual(?:ly)?\b|\b(?:by|per|each|every|(?<!than )a) year\b"
        r"|\byear[- ]by[- ]year\b|\byoy\b|\byear[- ]over[- ]year\b",
    ),
    ("week", r"\bweekly\b|\b(?:by|per|each|every|(?<!than )a) week\b"),
    ("day", r"\bdaily\b|\b(?:by|per|each|every|(?<!than )a) day\b"),
]


@dataclass(frozen=True)
class Window:
    """A period: start inclusive, end exclusive, and how the question said it."""

    start: date
    end: date
    label: str


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), 1 if month == 12 else month + 1, 1)


def _shift(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def grain_of(q: str) -> str | None:
    """The time grain a question groups by, if any."""
    return next((name for name, pattern in GRAINS if re.search(pattern, q)), None)


def windows(q: str, today: date) -> tuple[list[Window], list[str]]:
    """Every period the question names, and the text spans they used."""
    found: list[Window] = []
    spans: list[str] = []

    def add(m: re.Match[str], window: Window) -> None:
        found.append(window)
        spans.append(m.group(0))

    for m in re.finditer(
        r"\b(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)"
        r"\s*(?:of\s*|in\s*)?((?:19|20)\d{2})\b",
        q,
    ):
        n = (
            int(m.group(1))
            if m.group(1)
            else ["first", "second", "third", "fourth"].index(
                {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}.get(
                    m.group(2), m.group(2)
                )
            )
            + 1
        )
        year = int(m.group(3))
        add(m, Window(date(year, 3 * n - 2, 1), _month_end(year, 3 * n), f"Q{n} {year}"))
    # "from Q3 to Q4 2025", "Q1 vs Q2 2024": the first quarter takes the year said after.
    for m in re.finditer(
        r"\bq([1-4])\s*(?:to|and|vs\.?|versus|-)\s*(?=q[1-4]\s*(?:of\s*|in\s*)?((?:19|20)\d{2})\b)",
        q,
    ):
        n, year = int(m.group(1)), int(m.group(2))
        add(m, Window(date(year, 3 * n - 2, 1), _month_end(year, 3 * n), f"Q{n} {year}"))
    for m in re.finditer(
        r"\b(?:h([12])|(first|second|1st|2nd) half)\s*(?:of\s*|in\s*)?((?:19|20)\d{2})\b", q
    ):
        half = int(m.group(1)) if m.group(1) else (1 if m.group(2) in ("first", "1st") else 2)
        year = int(m.group(3))
        start = date(year, 1 if half == 1 else 7, 1)
        add(m, Window(start, _shift(start, 6), f"H{half} {year}"))
    # "jan, feb and mar 2025", "january to march 2024": one window over the months.
    listed = rf"\b({_MONTH})\.?((?:\s*,?\s+(?:{_MONTH})\b\.?)*)\s*,?\s*(?:and|&|to|through|-)\s*"
    for m in re.finditer(rf"{listed}({_MONTH})\.?\s+(?:of\s+)?((?:19|20)\d{{2}})\b", q):
        first, last, year = MONTHS[m.group(1)], MONTHS[m.group(3)], int(m.group(4))
        two = (
            _CHANGE.search(q)
            and not m.group(2).strip()
            and re.search(r"\b(?:to|and)\s*$", m.group(0).split(m.group(3))[0])
            and last == first + 1
            and not re.search(r"\bvs\b|\bversus\b|\bcompared?\b", q)
        )
        if first < last and two:
            # "the change from June to July 2025": two months compared, not one span.
            for month in (first, last):
                label = f"{m.group(1 if month == first else 3).title()} {year}"
                found.append(Window(date(year, month, 1), _month_end(year, month), label))
            spans.append(m.group(0))
            q = q.replace(m.group(0), " ")
        elif first < last:
            label = f"{m.group(1).title()}-{m.group(3).title()} {year}"
            add(m, Window(date(year, first, 1), _month_end(year, last), label))
            q = q.replace(m.group(0), " ")
    for m in re.finditer(rf"\b({_MONTH})\.?\s+(?:of\s+)?((?:19|20)\d{{2}})\b", q):
        month, year = MONTHS[m.group(1)], int(m.group(2))
        add(
            m, Window(date(year, month, 1), _month_end(year, month), f"{m.group(1).title()} {year}")
        )
    _bare_months(q, today, found, spans)
    for m in re.finditer(r"\b((?:19|20)\d{2})-(\d{2})(?!-\d)\b", q):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            add(m, Window(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}"))
    _ranges(q, found, spans)
    _relative(q, today, found, spans)
    rest = q
    for span in spans:
        rest = rest.replace(span, " ")
    for m in re.finditer(r"\b(?:in|during|for|of|from)?\s*((?:19|20)\d{2})\b", rest):
        year = int(m.group(1))
        add(m, Window(date(year, 1, 1), date(year + 1, 1, 1), str(year)))
    if len(found) == len(spans):
        found[:] = [_open_ended(q, w, span) for w, span in zip(found, spans, strict=True)]
    return found, spans


def _open_ended(q: str, window: Window, span: str) -> Window:
    """A period after "since", "after", "before" or "until" is one side of an open range
    ("members who joined since March 2024" is every month from March 2024 on)."""
    at = q.find(span)
    said = span.strip().split()
    if at < 0 or not said:
        return window
    if said[0] in _OPEN:
        return window  # a range already ("since 2025-03-01")
    before = re.search(r"\b(\w+)\s*$", q[:at])
    word = before.group(1) if before and before.group(1) in _OPEN else None
    if word in ("since", "after"):
        start = window.start if word == "since" else window.end
        return Window(start, date(9999, 1, 1), f"{word} {window.label}")
    if word in ("before", "until", "till"):
        end = window.start if word == "before" else window.end
        return Window(date(1900, 1, 1), end, f"{word} {window.label}")
    return window


_OPEN = frozenset({"since", "after", "before", "until", "till"})


_FULL_MONTH = "|".join(m for m in MONTHS if len(m) >= 4 and m != "sept")


def _bare_months(q: str, today: date, found: list[Window], spans: list[str]) -> None:
    """A month named without its year ("September vs August 2025", "sales in march"): the
    year another period of the question names, else the latest such month up to today.
    "may" counts only after "in", "during", "of", "for", "since", "vs" or "and"."""
    rest = q
    for span in spans:
        rest = rest.replace(span, " ")
    year = found[0].start.year if found else None
    for m in re.finditer(rf"(\w+\s+)?\b({_FULL_MONTH})\b(?!\s*(?:of\s+)?(?:19|20)\d{{2}})", rest):
        before = (m.group(1) or "").strip()
        if m.group(2) == "may" and before not in (
            "in",
            "during",
            "of",
            "for",
            "since",
            "vs",
            "and",
            "versus",
            "to",
        ):
            continue
        month = MONTHS[m.group(2)]
        chosen = (
            year if year is not None else (today.year if month <= today.month else today.year - 1)
        )
        found.append(
            Window(
                date(chosen, month, 1), _month_end(chosen, month), f"{m.group(2).title()} {chosen}"
            )
        )
        spans.append(m.group(0)[len(m.group(1) or "") :])


_CHANGE = re.compile(
    r"\b(?:grow|grew|grown|growth|change|changed|increase|increased|decrease|decreased|rise"
    r"|rose|fall|fell|drop|dropped|up or down)\b"
)


def _ranges(q: str, found: list[Window], spans: list[str]) -> None:
    day = r"(\d{4}-\d{2}-\d{2})"
    if m := re.search(rf"\b(?:between|from)\s+{day}\s+(?:and|to|through|until)\s+{day}", q):
        start, end = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        found.append(Window(start, date.fromordinal(end.toordinal() + 1), f"{start} to {end}"))
        spans.append(m.group(0))
    elif m := re.search(rf"\b(since|after|from|before|until)\s+{day}", q):
        when = date.fromisoformat(m.group(2))
        if m.group(1) in ("before", "until"):
            end = when if m.group(1) == "before" else date.fromordinal(when.toordinal() + 1)
            found.append(Window(date(1900, 1, 1), end, f"{m.group(1)} {when}"))
        else:
            start = when if m.group(1) != "after" else date.fromordinal(when.toordinal() + 1)
            found.append(Window(start, date(9999, 1, 1), f"{m.group(1)} {when}"))
        spans.append(m.group(0))
    elif m := re.search(
        r"\b(?:between|from)\s+((?:19|20)\d{2})\s+(?:and|to|through)\s+((?:19|20)\d{2})\b", q
    ):
        low, high = sorted((int(m.group(1)), int(m.group(2))))
        if _CHANGE.search(q):
            # "grow from 2023 to 2024": two years compared, not one span.
            for year in (low, high):
                found.append(Window(date(year, 1, 1), date(year + 1, 1, 1), str(year)))
            spans.append(m.group(0))
            return
        found.append(Window(date(low, 1, 1), date(high + 1, 1, 1), f"{low} to {high}"))
        spans.append(m.group(0))


_COUNTS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fourteen": 14,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_ROLLING = re.compile(
    r"\b(?:last|past|previous|prior|trailing)\s+(\d{1,4}|" + "|".join(_COUNTS) + r")[\s-]+"
    r"(days?|weeks?|months?|years?)\b"
)


def _rolling(today: date, n: int, unit: str) -> Window:
    """The last n days/weeks/months/years up to and including today: "the past 12 months"
    on 2025-08-15 is 2024-08-16 to 2025-08-15."""
    end = date.fromordinal(today.toordinal() + 1)
    if unit.startswith(("day", "week")):
        start = date.fromordinal(end.toordinal() - n * (7 if unit.startswith("week") else 1))
    else:
        first = _shift(
            date(today.year, today.month, 1), -n * (12 if unit.startswith("year") else 1)
        )
        day = min(today.day, calendar.monthrange(first.year, first.month)[1])
        start = date.fromordinal(first.replace(day=day).toordinal() + 1)
    noun = unit.rstrip("s")
    return Window(start, end, f"the last {n} {noun}{'' if n == 1 else 's'}")


def _relative(q: str, today: date, found: list[Window], spans: list[str]) -> None:
    this_month = date(today.year, today.month, 1)
    for rolling in _ROLLING.finditer(q):
        count = rolling.group(1)
        n = int(count) if count.isdigit() else _COUNTS[count]
        if n > 0:
            found.append(_rolling(today, n, rolling.group(2)))
            spans.append(rolling.group(0))
    q = _ROLLING.sub(" ", q)
    monday = date.fromordinal(today.toordinal() - today.weekday())
    rules: list[tuple[str, Window]] = [
        (r"\blast year's worth\b", _rolling(today, 12, "months")),
        (
            r"\b(?:last|previous|prior) week\b",
            Window(date.fromordinal(monday.toordinal() - 7), monday, "last week"),
        ),
        (
            r"\bthis week\b|\bcurrent week\b|\bweek to date\b|\bwtd\b",
            Window(monday, date.fromordinal(monday.toordinal() + 7), "this week"),
        ),
        (
            r"\b(?:last|previous|prior) month\b",
            Window(_shift(this_month, -1), this_month, "last month"),
        ),
        (
            r"\bthis month\b|\bcurrent month\b|\bmonth to date\b|\bmtd\b",
            Window(this_month, _shift(this_month, 1), "this month"),
        ),
        (
            r"\b(?:last|previous|prior) quarter\b",
            Window(
                _shift(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), -3),
                date(today.year, 3 * ((today.month - 1) // 3) + 1, 1),
                "last quarter",
            ),
        ),
        (
            r"\bthis quarter\b|\bcurrent quarter\b|\bquarter to date\b|\bqtd\b",
            Window(
                date(today.year, 3 * ((today.month - 1) // 3) + 1, 1),
                _shift(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3),
                "this quarter",
            ),
        ),
        (
            r"\b(?:last|previous|prior) year\b",
            Window(
                date(today.year - 1, 1, 1), date(today.year, 1, 1), f"last year ({today.year - 1})"
            ),
        ),
        (
            r"\bthis year\b|\bcurrent year\b|\bso far this year\b|\byear to date\b|\bytd\b"
            r"|\bthis calendar year\b",
            Window(date(today.year, 1, 1), date(today.year + 1, 1, 1), f"this year ({today.year})"),
        ),
    ]
    for pattern, window in rules:
        if m := re.search(pattern, q):
            found.append(window)
            spans.append(m.group(0))
            q = q.replace(m.group(0), " ")

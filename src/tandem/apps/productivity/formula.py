"""Excel formulas from a description: a rule-based floor for the common shapes (aggregates,
conditional aggregates, counts, lookups, row arithmetic, IF), the model for the rest, and a
check that evaluates the formula on the sample rows (with `formulas`) before it is returned.

Columns are A, B, C... in the order of `headers`; the header is row 1 and data starts in
row 2. Aggregates use whole columns (B:B), which Excel reads past the header; row formulas
refer to row 2, to be filled down.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

MAX_FORMULA_CHARS = 1000
_AGGREGATES = {
    "SUM": r"sum|total|add up|adds up",
    "AVERAGE": r"average|mean",
    "MAX": r"max(?:imum)?|highest|largest|biggest|top",
    "MIN": r"min(?:imum)?|lowest|smallest",
    "COUNT": r"count|number of|how many",
}
_OPERATORS = [
    (r"greater than or equal to|at least|>=", ">="),
    (r"less than or equal to|at most|<=", "<="),
    (r"greater than|more than|above|over|exceeds|>", ">"),
    (r"less than|below|under|<", "<"),
    (r"is not|isn't|not equal to|<>|!=", "<>"),
    (r"equals|equal to|is|=|for", "="),
]
_ARITHMETIC = [
    (r"minus|less|subtract(?:ed)?(?: from)?|-", "-"),
    (r"plus|added to|\+", "+"),
    (r"times|multiplied by|\*|x", "*"),
    (r"divided by|per|over|/", "/"),
]
_LOCK = threading.Lock()  # the formulas parser keeps state between calls


@dataclass
class Check:
    """What evaluating the formula on the sample rows gave."""

    ok: bool | None
    detail: str
    values: list[Any] = field(default_factory=list)


@dataclass
class Formula:
    """A formula, what it does, and its check."""

    formula: str
    explanation: str
    method: str
    check: Check | None = None


class Columns:
    """Headers as A, B, C..., and where a description mentions them."""

    def __init__(self, headers: list[str]) -> None:
        self.headers = headers

    def letter(self, index: int) -> str:
        """The column letter of header `index`."""
        return str(get_column_letter(index + 1))

    def mentions(self, text: str) -> list[tuple[int, int]]:
        """(position in text, header index) of each header mentioned, longest names first."""
        found: list[tuple[int, int]] = []
        taken: list[tuple[int, int]] = []
        order = sorted(range(len(self.headers)), key=lambda i: -len(self.headers[i]))
        for index in order:
            name = re.escape(self.headers[index].strip().lower()).replace(r"\ ", r"[\s_]+")
            name = name.replace("_", r"[\s_]")
            for match in re.finditer(rf"(?<![\w]){name}(?:e?s)?(?![\w])", text):
                span = (match.start(), match.end())
                if not any(a < span[1] and span[0] < b for a, b in taken):
                    taken.append(span)
                    found.append((match.start(), index))
        return sorted(found)


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _literal(raw: str, samples: list[list[Any]], column: int | None) -> str:
    """A criterion's value as Excel writes it: numbers bare, text quoted, in the case the
    sample rows use."""
    raw = raw.strip().strip("'\"").strip()
    if re.fullmatch(r"-?\d+(?:\.\d+)?", raw.replace(",", "")):
        return raw.replace(",", "")
    if column is not None:
        for row in samples:
            if column < len(row) and str(row[column]).lower() == raw.lower():
                return str(row[column])
    return raw


def rules(description: str, headers: list[str], samples: list[list[Any]]) -> Formula | None:
    """The floor: a formula for the common shapes of description, or None."""
    text = " ".join(description.lower().split())
    columns = Columns(headers)
    mentioned = columns.mentions(text)
    if not mentioned:
        if headers and re.search(r"\b(?:count|number of|how many)\b", text):
            return Formula(
                "=COUNTA(A:A)-1", "Counts the data rows (column A, less the header).", "rules"
            )
        return None
    return (
        _if(text, columns, mentioned, samples, " ".join(description.split()))
        or _lookup(text, columns, mentioned, samples)
        or _aggregate(text, columns, mentioned, samples)
        or _arithmetic(text, columns, mentioned)
    )


def _criterion(text: str, after: int, samples: list[list[Any]], column: int) -> str | None:
    """The condition following a column mention: ">100", "North"..."""
    rest = text[after:].strip()
    rest = re.sub(
        r"^(?:is|are|was)\s+(?=(?:greater|less|more|above|below|over|under|at |not))", "", rest
    )
    for pattern, op in _OPERATORS:
        match = re.match(rf"(?:{pattern})\s+(.+?)(?:[,.;]|\s+(?:and|then|in|from)\s|$)", rest)
        if match:
            value = _literal(match.group(1), samples, column)
            return value if op == "=" else op + value
    # "for product Widget": the value alone means equality.
    match = re.match(r"['\"]?([\w][\w\s-]*?)['\"]?(?:[,.;]|\s+(?:and|then|in|from)\s|$)", rest)
    return _literal(match.group(1), samples, column) if match else None


def _aggregate(
    text: str, columns: Columns, mentioned: list[tuple[int, int]], samples: list[list[Any]]
) -> Formula | None:
    kind = next((k for k, p in _AGGREGATES.items() if re.search(rf"\b(?:{p})\b", text)), None)
    if kind is None:
        return None
    condition = re.search(r"\b(?:where|when|if|for|with|whose)\b", text)
    target = mentioned[0][1]
    named = _named_value(text, columns, mentioned, samples)
    if condition is None and named is not None:
        found = _named_aggregate(kind, columns, mentioned, *named)
        if found is not None:
            return found
    if condition is None:
        col = columns.letter(target)
        fn = "COUNTA" if kind == "COUNT" else kind
        formula = f"={fn}({col}:{col})" if kind != "COUNT" else f"=COUNTA({col}:{col})-1"
        what = "non-empty rows" if kind == "COUNT" else f"all of {columns.headers[target]}"
        return Formula(formula, f"{kind.title()} of {what} (column {col}).", "rules")
    after = [(p, i) for p, i in mentioned if p > condition.start()]
    before = [(p, i) for p, i in mentioned if p < condition.start()]
    if not after:
        return None
    where_pos, where_col = after[0]
    name_len = len(columns.headers[where_col])
    criterion = _criterion(text, where_pos + name_len + 1, samples, where_col)
    if criterion is None:
        return None
    crit = criterion if _is_number(criterion) else _quote(criterion)
    w = columns.letter(where_col)
    what = columns.headers[where_col]
    if kind == "COUNT" or not before:
        return Formula(
            f"=COUNTIF({w}:{w},{crit})", f"Counts rows whose {what} is {criterion}.", "rules"
        )
    target = before[0][1]
    t = columns.letter(target)
    fn = {"SUM": "SUMIF", "AVERAGE": "AVERAGEIF", "MAX": "MAXIFS", "MIN": "MINIFS"}[kind]
    formula = (
        f"={fn}({w}:{w},{crit},{t}:{t})"
        if fn in ("SUMIF", "AVERAGEIF")
        else f"={fn}({t}:{t},{w}:{w},{crit})"
    )
    return Formula(
        formula,
        f"{kind.title()} of {columns.headers[target]} where {what} is {criterion}.",
        "rules",
    )


def _named_aggregate(
    kind: str, columns: Columns, mentioned: list[tuple[int, int]], where_col: int, value: str
) -> Formula | None:
    """ "Orders in the North region": a count, sum or average over the rows holding a value."""
    w, crit = columns.letter(where_col), _quote(value)
    others = [i for _, i in mentioned if i != where_col]
    if kind == "COUNT" or not others:
        return Formula(
            f"=COUNTIF({w}:{w},{crit})",
            f"Counts rows whose {columns.headers[where_col]} is {value}.",
            "rules",
        )
    t = columns.letter(others[0])
    fn = {"SUM": "SUMIF", "AVERAGE": "AVERAGEIF"}.get(kind)
    if fn is None:
        return None
    return Formula(
        f"={fn}({w}:{w},{crit},{t}:{t})",
        f"{kind.title()} of {columns.headers[others[0]]} where {columns.headers[where_col]} is "
        f"{value}.",
        "rules",
    )


def _named_value(
    text: str, columns: Columns, mentioned: list[tuple[int, int]], samples: list[list[Any]]
) -> tuple[int, str] | None:
    """A sample value named just before its column ("the North region"): (column, value)."""
    for pos, index in mentioned:
        before = text[:pos].split()
        word = before[-1] if before else ""
        for row in samples:
            if index < len(row) and str(row[index]).lower() == word:
                return index, str(row[index])
    return None


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", value))


def _lookup(
    text: str, columns: Columns, mentioned: list[tuple[int, int]], samples: list[list[Any]]
) -> Formula | None:
    if not re.search(r"\b(?:look ?up|find|get|return|fetch)\b", text) or len(mentioned) < 2:
        return None
    (_, want), (pos, key) = mentioned[0], mentioned[1]
    criterion = _criterion(text, pos + len(columns.headers[key]) + 1, samples, key)
    if criterion is None or criterion[:1] in "<>":
        return None
    value = criterion if _is_number(criterion) else _quote(criterion)
    w, k = columns.letter(want), columns.letter(key)
    return Formula(
        f"=INDEX({w}:{w},MATCH({value},{k}:{k},0))",
        f"Finds the row whose {columns.headers[key]} is {criterion} and returns its "
        f"{columns.headers[want]}.",
        "rules",
    )


def _if(
    text: str,
    columns: Columns,
    mentioned: list[tuple[int, int]],
    samples: list[list[Any]],
    original: str,
) -> Formula | None:
    match = re.search(
        r"\bif\b.*?\b(?:then|show|return|say|label|mark)\b\s*['\"]?([\w\s-]+?)['\"]?\s*"
        r"(?:,|\s)\s*(?:else|otherwise)\s*(?:show|return|say)?\s*['\"]?([\w\s-]+?)['\"]?\s*[.]?$",
        text,
    )
    if match is None:
        return None
    pos, col = mentioned[0]
    criterion = _criterion(text, pos + len(columns.headers[col]) + 1, samples, col)
    if criterion is None:
        return None
    c = f"{columns.letter(col)}2"
    op = re.match(r"[<>=]+", criterion)
    operator, value = (op.group(0), criterion[op.end() :]) if op else ("=", criterion)
    value = value if _is_number(value) else _quote(value)
    yes = original[match.start(1) : match.end(1)].strip()
    no = original[match.start(2) : match.end(2)].strip()
    return Formula(
        f"=IF({c}{operator}{value},{_quote(yes)},{_quote(no)})",
        f"Shows {yes} when {columns.headers[col]} {operator} {value.strip(chr(34))}, "
        f"otherwise {no}; fill down from row 2.",
        "rules",
    )


def _arithmetic(text: str, columns: Columns, mentioned: list[tuple[int, int]]) -> Formula | None:
    if len(mentioned) == 1:
        return _scaled(text, columns, mentioned[0])
    if len(mentioned) < 2:
        return None
    (p1, a), (p2, b) = mentioned[0], mentioned[1]
    between = text[p1 + len(columns.headers[a]) : p2]
    left, right = f"{columns.letter(a)}2", f"{columns.letter(b)}2"
    if re.search(r"percent(?:age)?|share|ratio|rate", text) and re.search(
        r"\bof\b|/|over", between
    ):
        return Formula(
            f"={left}/{right}",
            f"{columns.headers[a]} as a share of "
            f"{columns.headers[b]} (format as %); fill down from row 2.",
            "rules",
        )
    for pattern, op in _ARITHMETIC:
        if re.search(rf"(?:^|\s)(?:{pattern})(?:\s|$)", between):
            if op == "-" and re.search(r"subtract(?:ed)? from", between):
                left, right = right, left
            return Formula(
                f"={left}{op}{right}",
                f"{columns.headers[a]} {op} "
                f"{columns.headers[b]} for each row; fill down from row 2.",
                "rules",
            )
    if re.search(r"\b(?:difference|change|gap)\b", text):
        return Formula(
            f"={left}-{right}",
            f"{columns.headers[a]} minus {columns.headers[b]} for each row; fill down from row 2.",
            "rules",
        )
    return None


def _scaled(text: str, columns: Columns, mention: tuple[int, int]) -> Formula | None:
    """A column and a constant: "revenue times 1.2", "price plus 5"."""
    pos, index = mention
    rest = text[pos + len(columns.headers[index]) :]
    for pattern, op in _ARITHMETIC:
        match = re.match(rf"(?:e?s)?\s*(?:{pattern})\s*(-?\d+(?:\.\d+)?)\b", rest.strip())
        if match:
            cell = f"{columns.letter(index)}2"
            return Formula(
                f"={cell}{op}{match.group(1)}",
                f"{columns.headers[index]} {op} "
                f"{match.group(1)} for each row; fill down from row 2.",
                "rules",
            )
    return None


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        cleaned = value.replace(",", "").strip()
        if re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
            return float(cleaned) if "." in cleaned else int(cleaned)
    return value


def check(formula: str, headers: list[str], samples: list[list[Any]]) -> Check:
    """Evaluate `formula` on a sheet of `headers` over the sample rows (blocking)."""
    import formulas
    import numpy as np

    if not formula.startswith("=") or len(formula) > MAX_FORMULA_CHARS:
        return Check(False, "not a formula (it must start with '=')")
    if re.search(r"!|\[", formula):
        return Check(False, "refers to another sheet or workbook")
    grid = [list(headers)] + [[_cell(v) for v in row] for row in samples]
    width = len(headers)
    try:
        with _LOCK:
            compiled = formulas.Parser().ast(formula)[1].compile()
        inputs = []
        for ref in compiled.inputs:
            min_col, min_row, max_col, max_row = range_boundaries(str(ref).replace("$", ""))
            if (max_col or width) > width:
                return Check(False, f"refers to {ref}, beyond the {width} columns given")
            rows = range((min_row or 1) - 1, max_row or len(grid))
            cols = range((min_col or 1) - 1, max_col or width)
            block = [
                [grid[r][c] if r < len(grid) and c < len(grid[r]) else None for c in cols]
                for r in rows
            ]
            inputs.append(
                block[0][0]
                if len(block) == 1 and len(block[0]) == 1
                else np.array(block, dtype=object)
            )
        with _LOCK:
            value = compiled(*inputs)
    except Exception as exc:  # the formulas package raises its own types for what it refuses
        return Check(False, f"does not evaluate: {type(exc).__name__}")
    result = _plain(value)
    if isinstance(result, str) and result.startswith("#"):
        return Check(False, f"evaluates to the error {result}", [result])
    shown = "rows 2" if not samples else f"the {len(samples)} sample rows"
    return Check(True, f"evaluated on {shown}: {result!r}", [result])


def _plain(value: Any) -> Any:
    """A formulas result as a JSON value."""
    import numpy as np

    while isinstance(value, np.ndarray) and value.size == 1:
        value = value.ravel()[0]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.ravel()[:20]]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


SYSTEM = (
    "You write one Excel formula. Columns: {columns}. Row 1 is the header; data starts in row 2. "
    "Use whole columns like B:B for totals and row 2 for per-row formulas. Answer with JSON."
)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "formula": {"type": "string"},
        "explanation": {"type": "string"},
    },
    "required": ["formula", "explanation"],
}


def columns_line(headers: list[str]) -> str:
    """`A = region, B = amount` for the prompt."""
    return ", ".join(f"{get_column_letter(i + 1)} = {h}" for i, h in enumerate(headers))

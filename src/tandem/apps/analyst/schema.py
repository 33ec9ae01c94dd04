"""A dataset's schema as the planner sees it: columns with kinds, words and join keys."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tandem.apps.analyst.datasets import Dataset
from tandem.apps.analyst.sql import qualified

NUMERIC = (
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "DOUBLE",
    "FLOAT",
    "REAL",
    "DECIMAL",
    "UBIGINT",
    "UINTEGER",
)
TEMPORAL = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "sales", "income", "turnover", "amount", "earnings"),
    "quantity": ("quantity", "units", "qty", "items", "volume"),
    "price": ("price", "unit price"),
    "cost": ("cost", "unit cost", "expensive", "cheapest"),
    "customer": ("customer", "client", "buyer"),
    "product": ("product", "item", "sku"),
    "discount": ("discount",),
    "date": ("date", "day", "time"),
    "name": ("name",),
    "country": ("country", "countries", "nation"),
    "signup": ("signup", "signed up", "sign up", "joined", "registered"),
}


@dataclass(frozen=True)
class Column:
    """One column of one table."""

    table: str
    name: str
    type: str
    values: tuple[str, ...] = ()
    distinct: int = 0

    @property
    def numeric(self) -> bool:
        return self.type.startswith(NUMERIC)

    @property
    def temporal(self) -> bool:
        return self.type.startswith(TEMPORAL)

    @property
    def is_key(self) -> bool:
        return self.name == "id" or self.name.endswith("_id")

    @property
    def ref(self) -> str:
        return qualified(self.table, self.name)

    def words(self) -> list[str]:
        """Phrases that name this column in a question."""
        base = self.name.lower().replace("_", " ")
        phrases = {base, base.removesuffix(" name"), base.removesuffix(" id")}
        for key, alternatives in SYNONYMS.items():
            if key in base.split():
                phrases.update(alternatives)
        return sorted((p for p in phrases if p), key=len, reverse=True)


@dataclass(frozen=True)
class Schema:
    """Tables and columns of a dataset."""

    tables: dict[str, list[Column]]

    @classmethod
    def of(cls, dataset: Dataset) -> Schema:
        """The schema of a dataset's profile."""
        return cls(
            {
                t.name: [
                    Column(t.name, c.name, c.type, tuple(c.values or ()), c.distinct)
                    for c in t.columns
                ]
                for t in dataset.tables
            }
        )

    def columns(self) -> list[Column]:
        """Every column."""
        return [c for cols in self.tables.values() for c in cols]

    def table_words(self, table: str) -> list[str]:
        """Phrases that name a table (singular and plural)."""
        base = table.lower().replace("_", " ")
        singular = re.sub(r"(?:ies)$", "y", base) if base.endswith("ies") else base.rstrip("s")
        return [base, singular, singular + "s"]

    def join_key(self, a: str, b: str) -> tuple[Column, Column] | None:
        """Columns joining two tables: the same key name, or b's `id` for a's `<b>_id`."""
        for left in self.tables[a]:
            for right in self.tables[b]:
                if left.is_key and left.name == right.name:
                    return left, right
        singular_b = self.table_words(b)[1]
        for left in self.tables[a]:
            for right in self.tables[b]:
                if right.name == "id" and left.name == f"{singular_b}_id":
                    return left, right
        singular_a = self.table_words(a)[1]
        for left in self.tables[a]:
            for right in self.tables[b]:
                if left.name == "id" and right.name == f"{singular_a}_id":
                    return left, right
        return None

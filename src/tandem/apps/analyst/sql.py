"""SQL text built from user-supplied names and values, quoted by sqlglot, never by hand.

Column and table names come from uploaded headers and can hold any character, quotes
included; pasting them between double quotes is how an upload's header once turned into
SQL of its own. Every identifier and string literal the analyst writes goes through here.
"""

from __future__ import annotations

from sqlglot import exp

DIALECT = "duckdb"


def ident(name: str) -> str:
    """`name` as a quoted DuckDB identifier (embedded quotes doubled)."""
    return exp.to_identifier(name, quoted=True).sql(dialect=DIALECT)


def qualified(table: str, column: str) -> str:
    """`"table"."column"`, each part quoted."""
    return exp.column(column, table=table, quoted=True).sql(dialect=DIALECT)


def literal(value: str) -> str:
    """`value` as a DuckDB string literal."""
    return exp.Literal.string(value).sql(dialect=DIALECT)

"""IDs on the command line: taken by unique prefix, shown short unless `--wide`.

Prefixes are resolved here, in the client, against what the server (or the database)
lists, so the HTTP API itself only ever takes whole ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated

import typer
from rich.table import Column

from tandem.cli.http import fail

MIN_PREFIX = 4  # characters after the id's kind (`kb_`, `ds_`, ...), as git asks for
SHORT = 8  # characters after the kind in a listing, more where two ids would look alike
SHOWN_CANDIDATES = 10

WideOpt = Annotated[bool, typer.Option("--wide", help="Show whole ids.")]


def id_column(shown: Iterable[str], header: str = "id") -> Column:
    """A table column that never cuts an id short, whatever the terminal's width."""
    return Column(header, no_wrap=True, min_width=max(map(len, shown), default=len(header)))


def _kind(identifier: str) -> str:
    """The part before the random one: 'kb_' of 'kb_0123...', '' of a bare hex id."""
    head, sep, _ = identifier.partition("_")
    return head + sep if sep and head.isalpha() else ""


def shorten(ids: Sequence[str], wide: bool = False) -> dict[str, str]:
    """Each id's form in a listing: its kind and 8 characters, longer where two of the ids
    listed together would otherwise look the same (whole ids when `wide`)."""
    if wide:
        return {i: i for i in ids}
    out: dict[str, str] = {}
    for identifier in ids:
        size = len(_kind(identifier)) + SHORT
        while size < len(identifier) and any(
            other != identifier and other[:size] == identifier[:size] for other in ids
        ):
            size += 1
        out[identifier] = identifier[:size]
    return out


def pick(given: str, known: Iterable[str], what: str) -> str | None:
    """The one id in `known` that `given` is, or begins; None when none does (the caller
    passes `given` on, so the server or the store says it does not exist). Two or more is
    an error listing them."""
    ids = list(dict.fromkeys(known))
    if given in ids:
        return given
    matches = [i for i in ids if i.startswith(given)]
    if not matches:
        return None
    if len(given) - len(_kind(given)) < MIN_PREFIX:
        fail(
            f"'{given}' is too short to name a {what}: give at least {MIN_PREFIX} characters "
            f"of its id (`{matches[0][: len(_kind(matches[0])) + MIN_PREFIX]}`...)"
        )
    if len(matches) > 1:
        shown = ", ".join(matches[:SHOWN_CANDIDATES])
        more = f" and {len(matches) - SHOWN_CANDIDATES} more" if len(matches) > 10 else ""
        fail(f"'{given}' is the start of {len(matches)} {what} ids: {shown}{more}; give more of it")
    return matches[0]

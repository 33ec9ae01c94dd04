"""Custom blocklists per tenant: exact terms (whole words, case-insensitive) or regexes.

Regex items run on RE2, whose matching time is linear in the text whatever the pattern, so a
tenant's `(a+)+$` cannot stall the process for everyone. RE2 has no backreferences or
lookaround: such patterns are refused when the item is added.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass

import re2
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tandem.errors import InvalidRequestError, NotFoundError
from tandem.store.engine import Database
from tandem.store.models import Blocklist, BlocklistItem

log = logging.getLogger(__name__)

CACHE_S = 5.0
MAX_ITEMS = 10_000  # per tenant
MAX_LIST_ITEMS = 1_000
MAX_LIST_REGEXES = 100  # each regex is one pass over the text; terms share one pass
MAX_ITEM_CHARS = 256
# RE2's memory budget for one compiled item: refuses blow-ups such as \p{L}{1000}.
REGEX_MAX_MEM = 1 << 20
_WORD = re.compile(r"\w+")
# Case-folding under which every pair of word characters re.IGNORECASE equates is equal
# (checked over all of Unicode): casefold() alone separates dotless i (U+0131) and
# dotted capital I (U+0130) from i.
_FOLD = str.maketrans({"\u0307": None, "\u0131": "i"})


def _fold(word: str) -> str:
    return word.casefold().translate(_FOLD)


@dataclass(frozen=True)
class BlocklistMatch:
    """A blocklist item found in a text (Azure's blocklistsMatch entry)."""

    blocklist: str
    item_id: str
    text: str


def compile_regex(pattern: str) -> re2._Regexp[str]:
    """A regex item on RE2, case-insensitive; raises re2.error where RE2 refuses it."""
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = REGEX_MAX_MEM
    return re2.compile(pattern, options)


def _refusal(pattern: str, index: int, exc: re2.error) -> InvalidRequestError:
    reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
    return InvalidRequestError(
        f"blocklist item '{pattern}' is not a regular expression RE2 accepts ({reason}). "
        "Regex items use RE2 syntax, which runs in linear time: no backreferences (\\1) and "
        "no lookaround ((?=...), (?!...), (?<=...), (?<!...)), and repetition counts of at "
        "most 1000. Rewrite the pattern without them, or add the words as plain terms.",
        param=f"blocklistItems[{index}].text",
    )


@dataclass(frozen=True)
class _Term:
    """A plain item: whole words, case-insensitive, as Python's re has always matched it."""

    item: BlocklistItem
    pattern: re.Pattern[str]
    # The term's first word (case-folded): a text without it cannot match, so most terms
    # are ruled out by one look-up in the text's words instead of a scan each.
    first_word: str | None

    @classmethod
    def make(cls, item: BlocklistItem) -> _Term:
        pattern = re.compile(rf"(?<!\w){re.escape(item.text)}(?!\w)", re.IGNORECASE)
        # Only a term that starts with a word character is anchored to a whole text word.
        first = _WORD.match(item.text)
        return cls(item, pattern, _fold(first.group(0)) if first else None)


@dataclass(frozen=True)
class _Regex:
    """A regex item, on RE2."""

    item: BlocklistItem
    pattern: re2._Regexp[str]


class _Text:
    """A screened text with its words and UTF-8 form, each made once and only if needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: set[str] | None = None
        self._utf8: bytes | None = None

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = {_fold(w) for w in _WORD.findall(self.text)}
        return self._words

    @property
    def utf8(self) -> bytes:
        if self._utf8 is None:
            self._utf8 = self.text.encode("utf-8", "surrogatepass")
        return self._utf8

    def has(self, entry: _Term | _Regex) -> bool:
        if isinstance(entry, _Regex):
            return entry.pattern.search(self.utf8) is not None
        if entry.first_word is not None and entry.first_word not in self.words:
            return False
        return entry.pattern.search(self.text) is not None


class BlocklistStore:
    """Blocklists and their items, compiled and cached per tenant."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._compiled: dict[str, tuple[float, dict[str, list[_Term | _Regex]]]] = {}

    def upsert(self, tenant: str, name: str, description: str = "") -> Blocklist:
        """Create or update a blocklist."""
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
            raise InvalidRequestError("blocklist names are 1-64 of A-Z a-z 0-9 _ . -", param="name")
        with self.db.session() as session, session.begin():
            row = session.get(Blocklist, (tenant, name))
            if row is None:
                row = Blocklist(tenant=tenant, name=name, description=description)
                session.add(row)
            else:
                row.description = description
        return row

    def lists(self, tenant: str) -> list[Blocklist]:
        """A tenant's blocklists."""
        with self.db.session() as session:
            return list(session.scalars(select(Blocklist).where(Blocklist.tenant == tenant)))

    def get(self, tenant: str, name: str) -> Blocklist:
        """One blocklist, or 404."""
        with self.db.session() as session:
            row = session.get(Blocklist, (tenant, name))
        if row is None:
            raise NotFoundError(f"no blocklist '{name}'", param="blocklistName")
        return row

    def delete(self, tenant: str, name: str) -> None:
        """Remove a blocklist and its items."""
        self.get(tenant, name)
        with self.db.session() as session, session.begin():
            session.execute(
                delete(BlocklistItem).where(
                    BlocklistItem.tenant == tenant, BlocklistItem.blocklist == name
                )
            )
            session.execute(
                delete(Blocklist).where(Blocklist.tenant == tenant, Blocklist.name == name)
            )
        self._compiled.pop(tenant, None)

    def add_items(
        self, tenant: str, name: str, items: list[tuple[str, bool, str]]
    ) -> list[BlocklistItem]:
        """Add (text, is_regex, description) items; regexes are checked before saving."""
        self.get(tenant, name)
        rows = []
        for index, (text, is_regex, description) in enumerate(items):
            if not text or len(text) > MAX_ITEM_CHARS:
                raise InvalidRequestError(
                    f"blocklist items are 1-{MAX_ITEM_CHARS} characters",
                    param=f"blocklistItems[{index}].text",
                )
            if is_regex:
                try:
                    compile_regex(text)
                except re2.error as exc:
                    raise _refusal(text, index, exc) from exc
            rows.append(
                BlocklistItem(
                    id=str(uuid.uuid4()),
                    tenant=tenant,
                    blocklist=name,
                    text=text,
                    is_regex=is_regex,
                    description=description,
                )
            )
        with self.db.session() as session, session.begin():
            self._check_room(session, tenant, name, rows)
            session.add_all(rows)
        self._compiled.pop(tenant, None)
        return rows

    @staticmethod
    def _check_room(session: Session, tenant: str, name: str, rows: list[BlocklistItem]) -> None:
        counts = session.execute(
            select(BlocklistItem.blocklist, BlocklistItem.is_regex, func.count())
            .where(BlocklistItem.tenant == tenant)
            .group_by(BlocklistItem.blocklist, BlocklistItem.is_regex)
        ).all()
        tenant_total = sum(n for _, _, n in counts) + len(rows)
        in_list = sum(n for lst, _, n in counts if lst == name) + len(rows)
        regexes = sum(n for lst, rx, n in counts if lst == name and rx)
        regexes += sum(r.is_regex for r in rows)
        if tenant_total > MAX_ITEMS:
            raise InvalidRequestError(
                f"a tenant may have at most {MAX_ITEMS} blocklist items", param="blocklistItems"
            )
        if in_list > MAX_LIST_ITEMS:
            raise InvalidRequestError(
                f"a blocklist may have at most {MAX_LIST_ITEMS} items; '{name}' would have "
                f"{in_list}",
                param="blocklistItems",
            )
        if regexes > MAX_LIST_REGEXES:
            raise InvalidRequestError(
                f"a blocklist may have at most {MAX_LIST_REGEXES} regex items; '{name}' would "
                f"have {regexes}",
                param="blocklistItems",
            )

    def items(self, tenant: str, name: str) -> list[BlocklistItem]:
        """Items of one blocklist."""
        self.get(tenant, name)
        with self.db.session() as session:
            query = select(BlocklistItem).where(
                BlocklistItem.tenant == tenant, BlocklistItem.blocklist == name
            )
            return list(session.scalars(query))

    def remove_items(self, tenant: str, name: str, item_ids: list[str]) -> None:
        """Remove items by id."""
        with self.db.session() as session, session.begin():
            session.execute(
                delete(BlocklistItem).where(
                    BlocklistItem.tenant == tenant,
                    BlocklistItem.blocklist == name,
                    BlocklistItem.id.in_(item_ids),
                )
            )
        self._compiled.pop(tenant, None)

    def match(
        self, tenant: str, names: list[str], text: str, first_only: bool = False
    ) -> list[BlocklistMatch]:
        """Items of the named lists found in `text`."""
        compiled = self._tenant(tenant)
        screened = _Text(text)
        found: list[BlocklistMatch] = []
        for name in names:
            for entry in compiled.get(name, []):
                if screened.has(entry):
                    found.append(BlocklistMatch(name, entry.item.id, entry.item.text))
                    if first_only:
                        return found
        return found

    def _tenant(self, tenant: str) -> dict[str, list[_Term | _Regex]]:
        now = time.monotonic()
        cached = self._compiled.get(tenant)
        if cached is not None and now - cached[0] < CACHE_S:
            return cached[1]
        with self.db.session() as session:
            rows = session.scalars(select(BlocklistItem).where(BlocklistItem.tenant == tenant))
            by_list: dict[str, list[_Term | _Regex]] = {}
            for row in rows:
                entries = by_list.setdefault(row.blocklist, [])
                if not row.is_regex:
                    entries.append(_Term.make(row))
                    continue
                try:
                    entries.append(_Regex(row, compile_regex(row.text)))
                except re2.error:
                    # Stored before regex items moved to RE2; re would risk a stall.
                    log.warning(
                        "blocklist regex item not valid RE2, skipped",
                        extra={"tenant": tenant, "blocklist": row.blocklist, "item": row.id},
                    )
        self._compiled[tenant] = (now, by_list)
        return by_list

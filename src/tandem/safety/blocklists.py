"""Custom blocklists per tenant: exact terms (whole words, case-insensitive) or regexes."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select

from tandem.errors import InvalidRequestError, NotFoundError
from tandem.store.engine import Database
from tandem.store.models import Blocklist, BlocklistItem

CACHE_S = 5.0
MAX_ITEMS = 10_000


@dataclass(frozen=True)
class BlocklistMatch:
    """A blocklist item found in a text (Azure's blocklistsMatch entry)."""

    blocklist: str
    item_id: str
    text: str


def _compile(item: BlocklistItem) -> re.Pattern[str]:
    if item.is_regex:
        return re.compile(item.text, re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(item.text)}(?!\w)", re.IGNORECASE)


class BlocklistStore:
    """Blocklists and their items, compiled and cached per tenant."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._compiled: dict[
            str, tuple[float, dict[str, list[tuple[BlocklistItem, re.Pattern[str]]]]]
        ] = {}

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
        for text, is_regex, description in items:
            if not text or len(text) > 256:
                raise InvalidRequestError("blocklist items are 1-256 characters", param="text")
            if is_regex:
                try:
                    re.compile(text)
                except re.error as exc:
                    raise InvalidRequestError(
                        f"invalid regular expression: {exc}", param="text"
                    ) from exc
            rows.append(
                BlocklistItem(
                    id=str(uuid.uuid4()), tenant=tenant, blocklist=name, text=text,
                    is_regex=is_regex, description=description,
                )
            )  # fmt: skip
        with self.db.session() as session, session.begin():
            count = len(
                session.scalars(
                    select(BlocklistItem.id).where(BlocklistItem.tenant == tenant)
                ).all()
            )
            if count + len(rows) > MAX_ITEMS:
                raise InvalidRequestError(f"a tenant may have at most {MAX_ITEMS} blocklist items")
            session.add_all(rows)
        self._compiled.pop(tenant, None)
        return rows

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
        found: list[BlocklistMatch] = []
        for name in names:
            for item, pattern in compiled.get(name, []):
                if pattern.search(text):
                    found.append(BlocklistMatch(name, item.id, item.text))
                    if first_only:
                        return found
        return found

    def _tenant(self, tenant: str) -> dict[str, list[tuple[BlocklistItem, re.Pattern[str]]]]:
        now = time.monotonic()
        cached = self._compiled.get(tenant)
        if cached is not None and now - cached[0] < CACHE_S:
            return cached[1]
        with self.db.session() as session:
            rows = session.scalars(select(BlocklistItem).where(BlocklistItem.tenant == tenant))
            by_list: dict[str, list[tuple[BlocklistItem, re.Pattern[str]]]] = {}
            for row in rows:
                by_list.setdefault(row.blocklist, []).append((row, _compile(row)))
        self._compiled[tenant] = (now, by_list)
        return by_list

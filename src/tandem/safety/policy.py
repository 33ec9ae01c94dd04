"""Safety policies: per deployment (and a default), per direction, per category.

The default is Azure's: block medium and high severity in every harm category, in prompts
and completions; block jailbreak attempts; annotate indirect attacks; PII off.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.safety.categories import Category
from tandem.store.cached import Cached, in_background
from tandem.store.changes import announce
from tandem.store.engine import Database
from tandem.store.models import SafetyPolicyRow

DEFAULT = "default"
CACHE_S = 5.0
TOPIC = "policies"

Threshold = Literal["low", "medium", "high"]
HarmAction = Literal["block", "annotate", "redact"]
ShieldAction = Literal["block", "annotate", "off"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CategoryRule(_Strict):
    """What happens at or above a severity in one category."""

    threshold: Threshold = "medium"
    action: HarmAction = "block"


class PIIRule(_Strict):
    """PII handling: off, annotate (report spans), redact (replace with [TYPE]) or block."""

    action: Literal["off", "annotate", "redact", "block"] = "off"
    types: list[str] | None = Field(default=None, description="default: every supported type")


class DirectionPolicy(_Strict):
    """The rules for one direction (prompt or completion)."""

    hate: CategoryRule = Field(default_factory=CategoryRule)
    sexual: CategoryRule = Field(default_factory=CategoryRule)
    violence: CategoryRule = Field(default_factory=CategoryRule)
    self_harm: CategoryRule = Field(default_factory=CategoryRule)
    profanity: ShieldAction = "off"
    pii: PIIRule = Field(default_factory=PIIRule)
    blocklists: list[str] = Field(default_factory=list)

    def rule(self, category: Category) -> CategoryRule:
        """The rule of one category."""
        rule: CategoryRule = getattr(self, category.value)
        return rule


class SafetyPolicy(_Strict):
    """A deployment's whole policy."""

    prompt: DirectionPolicy = Field(default_factory=DirectionPolicy)
    completion: DirectionPolicy = Field(default_factory=DirectionPolicy)
    jailbreak: ShieldAction = "block"
    indirect_attack: ShieldAction = "annotate"
    guard_deployment: str | None = Field(
        default=None, description="a deployment serving a guard model (e.g. Llama Guard)"
    )
    review: bool = Field(default=True, description="send blocked content to the review queue")
    stream_window_chars: int = Field(default=80, ge=16, le=4000)
    max_prompt_chars: int = Field(
        default=512_000,
        ge=1_000,
        le=16_000_000,
        description="longest prompt screened (all messages together, ~128k tokens by "
        "default); a longer one is refused with 400, never passed on unscreened",
    )


class PolicyStore:
    """Policies in the database, cached briefly (shared by replicas)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: Cached[dict[str, SafetyPolicy]] = Cached(self._load, CACHE_S)

    def _load(self) -> dict[str, SafetyPolicy]:
        with self.db.session() as session:
            rows = session.scalars(select(SafetyPolicyRow))
            return {r.deployment: SafetyPolicy.model_validate(r.config) for r in rows}

    def _all(self) -> dict[str, SafetyPolicy]:
        return self._cache.get()

    def invalidate(self) -> None:
        """Re-read the policies (another process changed them); in the background when on
        the event loop."""
        if not in_background(self._cache.reload):
            self._cache.reload()

    def warm(self) -> None:
        """Load the policies (at start-up, so no request ever waits for them)."""
        self._cache.reload()

    def for_deployment(self, deployment: str) -> SafetyPolicy:
        """The deployment's policy, else the default one, else the built-in default."""
        policies = self._all()
        return policies.get(deployment) or policies.get(DEFAULT) or SafetyPolicy()

    def list(self) -> dict[str, SafetyPolicy]:
        """Every stored policy by deployment name."""
        return dict(self._all())

    def put(self, deployment: str, policy: SafetyPolicy) -> None:
        """Store a deployment's policy (or the default with 'default')."""
        with self.db.session() as session, session.begin():
            session.merge(
                SafetyPolicyRow(
                    deployment=deployment,
                    config=policy.model_dump(mode="json"),
                    updated_at=datetime.now(UTC),
                )
            )
            announce(session, TOPIC)
        self._cache.reload()

    def delete(self, deployment: str) -> bool:
        """Remove a stored policy; the deployment falls back to the default."""
        with self.db.session() as session, session.begin():
            row = session.get(SafetyPolicyRow, deployment)
            if row is None:
                return False
            session.delete(row)
            announce(session, TOPIC)
        self._cache.reload()
        return True


def fingerprint(session: Session) -> Hashable:
    """What moves whenever a policy is stored or removed (SQLite change watching)."""
    row = session.execute(
        select(func.count(), func.max(SafetyPolicyRow.updated_at)).select_from(SafetyPolicyRow)
    ).one()
    return tuple(row)

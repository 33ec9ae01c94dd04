"""The safety layer on the model path: screen prompts before routing, completions after,
annotate responses in Azure's shapes, and hand blocked content to review and audit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from tandem.governance.audit import AuditLog
from tandem.governance.principal import Principal
from tandem.safety.annotations import ContentFilterError
from tandem.safety.blocklists import BlocklistStore
from tandem.safety.categories import Category
from tandem.safety.offload import Offload, require_length
from tandem.safety.policy import PolicyStore, SafetyPolicy
from tandem.safety.review import Decision, ReviewQueue
from tandem.safety.screen import Finding, Screener
from tandem.store.engine import Database
from tandem.store.models import Blocklist, BlocklistItem, ReviewItem
from tandem.wire import ChatCompletionRequest, ChatMessage, CompletionRequest, JSONObject

log = logging.getLogger(__name__)


@dataclass
class PromptCheck:
    """The outcome of screening a request's prompt."""

    policy: SafetyPolicy
    findings: list[Finding]
    request: ChatCompletionRequest | CompletionRequest

    def prompt_filter_results(self) -> list[JSONObject]:
        """Azure's prompt_filter_results list."""
        return [
            {"prompt_index": i, "content_filter_results": f.results()}
            for i, f in enumerate(self.findings)
        ]

    @property
    def outcome(self) -> str:
        """For the ledger: none, annotated or redacted."""
        if any(f.redacted is not None for f in self.findings):
            return "redacted"
        return "annotated" if any(f.flagged for f in self.findings) else "none"


def merge(findings: list[Finding]) -> Finding:
    """One finding for several texts of one prompt (worst of each)."""
    if len(findings) == 1:
        return findings[0]
    merged = Finding(severities={c: max(f.severities[c] for f in findings) for c in Category})
    for f in findings:
        merged.filtered |= f.filtered
        merged.redact_categories |= f.redact_categories
        merged.evidence.update(f.evidence)
        merged.jailbreak = _any(merged.jailbreak, f.jailbreak)
        merged.jailbreak_filtered |= f.jailbreak_filtered
        merged.indirect = _any(merged.indirect, f.indirect)
        merged.indirect_filtered |= f.indirect_filtered
        merged.profanity = _any(merged.profanity, f.profanity)
        merged.profanity_filtered |= f.profanity_filtered
        merged.pii += f.pii
        merged.pii_filtered |= f.pii_filtered
        merged.blocklist_matches += f.blocklist_matches
        merged.redacted = merged.redacted or f.redacted
    return merged


def _any(a: bool | None, b: bool | None) -> bool | None:
    return None if a is None and b is None else bool(a) or bool(b)


def _limit(deployment: str) -> str:
    return f"a prompt screened for deployment '{deployment}' (safety policy max_prompt_chars)"


@dataclass
class SafetyLayer:
    """Policies, screener, review queue and audit hooks."""

    db: Database
    audit: AuditLog
    retention_days: int
    policies: PolicyStore = field(init=False)
    blocklists: BlocklistStore = field(init=False)
    screener: Screener = field(init=False)
    review: ReviewQueue = field(init=False)
    offload: Offload = field(default_factory=Offload)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.policies = PolicyStore(self.db)
        self.blocklists = BlocklistStore(self.db)
        self.screener = Screener(self.blocklists)
        self.review = ReviewQueue(self.db, self.retention_days)

    # -- changes an administrator makes, each one audited ----------------------------------

    def set_policy(self, actor: Principal, deployment: str, policy: SafetyPolicy) -> None:
        """Store a deployment's policy ('default' for the rest) and record who did."""
        self.policies.put(deployment, policy)
        self.audit.by(
            actor,
            action="safety.policy.set",
            target=deployment,
            details=policy.model_dump(mode="json"),
        )

    def delete_policy(self, actor: Principal, deployment: str) -> bool:
        """Remove a stored policy and record who did; False when none was stored."""
        if not self.policies.delete(deployment):
            return False
        self.audit.by(actor, action="safety.policy.delete", target=deployment)
        return True

    def decide(
        self, actor: Principal, item_id: str, decision: Decision, note: str | None
    ) -> ReviewItem:
        """Approve or reject a review item of the actor's tenant, and record who did."""
        row = self.review.decide(item_id, actor.tenant_filter(None), decision, actor.actor, note)
        self.audit.by(
            actor,
            tenant=row.tenant,
            action=f"review.{decision}",
            target=item_id,
            details={"note": note, "kind": row.kind},
        )
        return row

    def upsert_blocklist(self, actor: Principal, name: str, description: str) -> Blocklist:
        """Create or update one of the actor's tenant's blocklists."""
        row = self.blocklists.upsert(actor.tenant, name, description)
        self.audit.by(actor, action="blocklist.upsert", target=name)
        return row

    def delete_blocklist(self, actor: Principal, name: str) -> None:
        """Delete a blocklist and its items."""
        self.blocklists.delete(actor.tenant, name)
        self.audit.by(actor, action="blocklist.delete", target=name)

    def add_blocklist_items(
        self, actor: Principal, name: str, items: list[tuple[str, bool, str]]
    ) -> list[BlocklistItem]:
        """Add terms or regular expressions to a blocklist."""
        rows = self.blocklists.add_items(actor.tenant, name, items)
        self.audit.by(
            actor, action="blocklist.add_items", target=name, details={"items": len(rows)}
        )
        return rows

    def remove_blocklist_items(self, actor: Principal, name: str, item_ids: list[str]) -> None:
        """Remove items of a blocklist by id."""
        self.blocklists.remove_items(actor.tenant, name, item_ids)
        self.audit.by(
            actor, action="blocklist.remove_items", target=name, details={"items": len(item_ids)}
        )

    def apply_configured(self, policies: Mapping[str, Mapping[str, object]]) -> None:
        """Store the policies the config file declares (it wins over earlier changes)."""
        for deployment, policy in policies.items():
            self.policies.put(deployment, SafetyPolicy.model_validate(policy))

    def warm(self) -> None:
        """Compile every pattern and load the learned weights now, not on the first request."""
        self.policies.warm()
        self.screener.classifier.warm()
        self.screener.pii.detect("Mr. John Smith, a@b.co, +1 415 555 0100, 4111 1111 1111 1111")

    async def check_chat(
        self,
        principal: Principal,
        deployment: str,
        request: ChatCompletionRequest,
        request_id: str,
        trusted_system: bool = False,
    ) -> PromptCheck:
        """Screen a chat prompt (off the loop unless tiny); raise ContentFilterError when the
        policy blocks it, TextTooLongError when it is longer than the policy screens."""
        policy = self.policies.for_deployment(deployment)
        chars = sum(len(m.text()) for m in request.messages)
        require_length(chars, policy.max_prompt_chars, "messages", _limit(deployment))
        combined, messages = await self.offload.run(
            chars, lambda: self._screen_chat(principal.tenant, policy, request, trusted_system)
        )
        self._enforce(
            principal, deployment, policy, combined, request_id, request.messages[-1].text()
        )
        changed = (
            request.model_copy(update={"messages": messages}) if combined.redacted else request
        )
        return PromptCheck(policy, [combined], changed)

    def _screen_chat(
        self,
        tenant: str,
        policy: SafetyPolicy,
        request: ChatCompletionRequest,
        trusted_system: bool = False,
    ) -> tuple[Finding, list[ChatMessage]]:
        """The merged finding of a chat prompt, and its messages with redactions applied."""
        documents = [m.text() for m in request.messages if m.role == "tool" and m.text()]
        findings: list[Finding] = []
        messages = list(request.messages)
        for index, message in enumerate(messages):
            if message.role not in ("system", "developer", "user") or not message.text():
                continue
            if trusted_system and message.role in ("system", "developer"):
                continue
            finding = self.screener.screen(
                message.text(),
                policy.prompt,
                tenant=tenant,
                jailbreak=policy.jailbreak if message.role == "user" else "off",
            )
            findings.append(finding)
            if finding.redacted is not None:
                messages[index] = message.model_copy(update={"content": finding.redacted})
        if documents and policy.indirect_attack != "off":
            findings.append(
                self.screener.screen(
                    "",
                    policy.prompt,
                    tenant=tenant,
                    documents=documents,
                    indirect=policy.indirect_attack,
                )
            )
        if not findings:
            return self.screener.screen("", policy.prompt, tenant=tenant), messages
        return merge(findings), messages

    async def check_completion_prompt(
        self, principal: Principal, deployment: str, request: CompletionRequest, request_id: str
    ) -> PromptCheck:
        """Screen each prompt of a text-completion request."""
        policy = self.policies.for_deployment(deployment)
        prompts = request.prompts()
        chars = sum(len(p) for p in prompts)
        require_length(chars, policy.max_prompt_chars, "prompt", _limit(deployment))

        def screen_all() -> list[Finding]:
            return [
                self.screener.screen(
                    p, policy.prompt, tenant=principal.tenant, jailbreak=policy.jailbreak
                )
                for p in prompts
            ]

        findings = await self.offload.run(chars, screen_all)
        self._enforce(principal, deployment, policy, merge(findings), request_id, prompts[0])
        screened = [f.redacted or p for f, p in zip(findings, prompts, strict=True)]
        changed = (
            request.model_copy(update={"prompt": screened})
            if any(f.redacted for f in findings)
            else request
        )
        return PromptCheck(policy, findings, changed)

    def _enforce(
        self,
        principal: Principal,
        deployment: str,
        policy: SafetyPolicy,
        finding: Finding,
        request_id: str,
        text: str,
    ) -> None:
        if finding.blocked:
            self.record(principal, deployment, policy, "prompt_blocked", finding, request_id, text)
            raise ContentFilterError(finding.results())

    async def check_output(
        self,
        principal: Principal,
        deployment: str,
        policy: SafetyPolicy,
        text: str,
        request_id: str,
    ) -> Finding:
        """Screen completion text (off the loop unless tiny); blocked output is recorded for
        review."""
        finding = await self.offload.run(
            len(text),
            lambda: self.screener.screen(
                text, policy.completion, tenant=principal.tenant, completion=True
            ),
        )
        if finding.blocked:
            self.record(
                principal, deployment, policy, "completion_blocked", finding, request_id, text
            )
        return finding

    async def filter_response(
        self,
        principal: Principal,
        deployment: str,
        check: PromptCheck,
        response: JSONObject,
        request_id: str,
    ) -> JSONObject:
        """Screen every choice of a whole response and annotate it."""
        response["prompt_filter_results"] = check.prompt_filter_results()
        for choice in response.get("choices", []):
            message = choice.get("message")
            text = (message or {}).get("content") if message is not None else choice.get("text")
            if not isinstance(text, str) or not text:
                choice["content_filter_results"] = self.screener.screen(
                    "", check.policy.completion, tenant=principal.tenant
                ).results()
                continue
            finding = await self.check_output(principal, deployment, check.policy, text, request_id)
            choice["content_filter_results"] = finding.results()
            replacement: str | None = None
            if finding.blocked:
                choice["finish_reason"] = "content_filter"
            else:
                replacement = finding.redacted
            if message is not None:
                message["content"] = None if finding.blocked else (replacement or text)
            else:
                choice["text"] = "" if finding.blocked else (replacement or text)
        return response

    def record(
        self,
        principal: Principal,
        deployment: str,
        policy: SafetyPolicy,
        kind: str,
        finding: Finding,
        request_id: str,
        text: str,
    ) -> None:
        """Audit a safety event and queue it for review, off the request path."""
        summary = finding.summary()

        def write() -> None:
            self.audit.append(
                tenant=principal.tenant,
                actor=principal.actor,
                action=f"safety.{kind}",
                target=request_id,
                details={"deployment": deployment, **summary},
            )
            if policy.review:
                self.review.submit(
                    tenant=principal.tenant,
                    kind=kind,
                    content=text,
                    findings=summary,
                    deployment=deployment,
                    request_id=request_id,
                )

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            write()
            return
        task = loop.create_task(asyncio.to_thread(write))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("recording a safety event failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for pending audit and review writes (shutdown, tests)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


__all__ = ["PromptCheck", "SafetyLayer", "merge"]

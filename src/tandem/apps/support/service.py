"""The support assistant: retrieve, decide (answer or hand off), answer with citations."""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import aclosing, closing
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tandem.apps.support import evidence, grounding
from tandem.apps.support.answering import Answerer, Draft
from tandem.apps.support.conversations import Conversations
from tandem.apps.support.feedback import Feedback
from tandem.apps.support.handoff import REPLIES, HandoffDetector, Reason
from tandem.apps.support.tickets import Tickets
from tandem.apps.support.widget_keys import WidgetKeys
from tandem.errors import InvalidRequestError, NotFoundError
from tandem.gateway.service import CallContext, ModelService
from tandem.governance.audit import AuditLog
from tandem.knowledge.service import KnowledgeService
from tandem.knowledge.store import Hit
from tandem.safety.annotations import ContentFilterError
from tandem.safety.classifier import Classifier
from tandem.store.engine import Database
from tandem.store.models import SupportConversation
from tandem.wire import ChatCompletionRequest

AnswerMode = Literal["auto", "generative", "extractive"]
PROMPT_PASSAGES = 3
MAX_ANSWER_TOKENS = 256
WITH_AGENT = "Your conversation is with our support team now; a person will reply here shortly."


@dataclass(frozen=True)
class Turn:
    """One message the client sent."""

    role: str
    content: str


@dataclass
class Reply:
    """What the assistant said, and why."""

    conversation_id: str
    message_id: str = ""
    answer: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    handoff: bool = False
    handoff_reason: str | None = None
    ticket_id: str | None = None
    method: str = "extractive"

    def body(self) -> dict[str, Any]:
        """The response body of POST /v1/support/chat."""
        return {"object": "support.chat", **asdict(self)}


@dataclass(frozen=True)
class Routed:
    """A question the assistant answers: as read in the knowledge base's words, and the
    passages to answer it from."""

    query: str
    hits: list[Hit]


@dataclass(frozen=True)
class Exchange:
    """The customer's new question in its conversation, with what came before."""

    conversation: SupportConversation
    question: str
    history: list[Turn]
    kb_name: str


GROUNDED_WINDOW = 8
RETRY_EVERY = 10


class SupportService:
    """Answers customers from a knowledge base and brings in people when it should."""

    def __init__(
        self,
        knowledge: KnowledgeService,
        models: ModelService,
        db: Database,
        audit: AuditLog,
        classifier: Classifier,
        deployment: str,
        mode: AnswerMode = "auto",
    ) -> None:
        self.knowledge = knowledge
        self.models = models
        self.deployment = deployment
        self.mode = mode
        self.conversations = Conversations(db)
        self.tickets = Tickets(self.conversations)
        self.feedback = Feedback(self.conversations)
        self.widget_keys = WidgetKeys(db, audit)
        self.detector = HandoffDetector(classifier)
        # In `auto` mode, whether the model's recent answers passed the grounding check:
        # a deployment whose answers never do (a small embedded model) is asked only now
        # and then, instead of costing seconds on every question for an answer not used.
        self.recent_grounded: deque[bool] = deque(maxlen=GROUNDED_WINDOW)
        self.skipped = 0
        self.answerer = Answerer(knowledge)

    async def chat(
        self,
        ctx: CallContext,
        kb_id: str,
        turns: list[Turn],
        conversation_id: str | None,
        channel: str = "api",
        mode: AnswerMode | None = None,
    ) -> Reply:
        """Answer the last user turn, or hand the conversation to a person."""
        exchange = await self._begin(ctx, kb_id, turns, conversation_id, channel)
        routed = await self._route(ctx, exchange)
        if isinstance(routed, Reply):
            return routed
        return await self._store(exchange, await self._compose(ctx, exchange, routed, mode))

    async def chat_events(
        self,
        ctx: CallContext,
        kb_id: str,
        turns: list[Turn],
        conversation_id: str | None,
        channel: str = "api",
        mode: AnswerMode | None = None,
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The streaming form: `conversation`, then `delta` events, then `done` with the
        whole reply. Only a generative answer streams token by token; other answers are
        checked or assembled first and arrive as one delta."""
        exchange = await self._begin(ctx, kb_id, turns, conversation_id, channel)
        yield {"type": "conversation", "conversation_id": exchange.conversation.id}
        routed = await self._route(ctx, exchange)
        if isinstance(routed, Reply):
            reply = routed
        elif (mode or self.mode) == "generative":
            hits = routed.hits[:PROMPT_PASSAGES]
            parts: list[str] = []
            stream = await self.models.stream(
                ctx, self._request(exchange, hits, stream=True), self.deployment
            )
            async with aclosing(self.models.chunks(stream)) as chunks:
                async for chunk in chunks:
                    for choice in chunk.get("choices") or []:
                        text = (choice.get("delta") or {}).get("content") or ""
                        if text:
                            parts.append(text)
                            yield {"type": "delta", "text": text}
            reply = await self._store(exchange, self._cited("".join(parts), hits, "generative"))
            yield {"type": "done", **reply.body()}
            return
        else:
            reply = await self._store(exchange, await self._compose(ctx, exchange, routed, mode))
        yield {"type": "delta", "text": reply.answer}
        yield {"type": "done", **reply.body()}

    async def _begin(
        self,
        ctx: CallContext,
        kb_id: str,
        turns: list[Turn],
        conversation_id: str | None,
        channel: str,
    ) -> Exchange:
        tenant = ctx.principal.tenant
        if not turns or turns[-1].role != "user" or not turns[-1].content.strip():
            raise InvalidRequestError("the last message must be the customer's", param="messages")
        with closing(self.knowledge.store.open(tenant, kb_id)) as kb:  # 404 if not the tenant's
            kb_name = kb.name
        if conversation_id:
            conversation = await asyncio.to_thread(self.conversations.get, tenant, conversation_id)
            if conversation.channel != channel:
                # A widget key may not write into an API conversation (nor the reverse): to
                # the other channel the conversation does not exist.
                raise NotFoundError(f"no conversation '{conversation_id}'", param="conversation_id")
            if conversation.knowledge_base != kb_id:
                raise InvalidRequestError(
                    "the conversation belongs to another knowledge base", param="conversation_id"
                )
            stored = await asyncio.to_thread(self.conversations.messages, conversation.id)
            history = [Turn(m.role, m.content) for m in stored]
        else:
            conversation = await asyncio.to_thread(self.conversations.start, tenant, kb_id, channel)
            history = turns[:-1]
        question = turns[-1].content.strip()
        await asyncio.to_thread(self.conversations.append, conversation, "user", question)
        return Exchange(conversation, question, history, kb_name)

    async def _route(self, ctx: CallContext, exchange: Exchange) -> Reply | Routed:
        """A reply when the assistant must not answer (people have the conversation, or it
        must go to them, or nothing retrieved answers it); otherwise the passages to use."""
        conversation, question = exchange.conversation, exchange.question
        if conversation.status == "with_agent":
            message = await asyncio.to_thread(
                self.conversations.append,
                conversation,
                "assistant",
                WITH_AGENT,
                question=question,
                handoff_reason="with_agent",
                method="handoff",
            )
            ticket = await asyncio.to_thread(self.tickets.current, conversation.id)
            return Reply(
                conversation.id,
                message.id,
                WITH_AGENT,
                handoff=True,
                handoff_reason=ticket.reason if ticket else "with_agent",
                ticket_id=ticket.id if ticket else None,
                method="handoff",
            )
        reason = self.detector.detect(question, await self.answerer.meaning(ctx, question))
        if reason is not None:
            return await self._handoff(exchange, reason)
        kb_id = exchange.conversation.knowledge_base
        query = await self.knowledge.expand(ctx, kb_id, self._query(exchange))
        hits = await self.answerer.retrieve(ctx, kb_id, query)
        if not evidence.answerable(question, hits):
            return await self._handoff(exchange, Reason.NO_EVIDENCE)
        if await self.answerer.out_of_scope(ctx, kb_id, question, hits):
            return await self._handoff(exchange, Reason.NOT_IN_KB)
        return Routed(query, self.answerer.passages(query, hits))

    @staticmethod
    def _query(exchange: Exchange) -> str:
        question = exchange.question
        earlier = [t.content for t in exchange.history if t.role == "user"]
        # A short follow-up ("and for express?") leans on the question before it.
        if earlier and len(evidence.content_terms(question)) < 4:
            return f"{earlier[-1]} {question}"
        return question

    async def _compose(
        self, ctx: CallContext, exchange: Exchange, routed: Routed, mode: AnswerMode | None
    ) -> Draft:
        """The extractive answer, or the model's when it is entailed by the passages and
        carries the facts the extractive answer found (in `generative` mode, the model's)."""
        mode = mode or self.mode
        hits = routed.hits
        floor = await self.answerer.extract(ctx, routed.query, hits)
        if mode == "extractive":
            return floor
        if mode == "auto" and self._model_not_worth_asking():
            return floor
        passages = hits[:PROMPT_PASSAGES]
        request = self._request(exchange, passages)
        try:
            reply = await self.models.ask(ctx, request, self.deployment)
        except ContentFilterError:
            if mode == "generative":
                raise
            return floor  # the passages tripped the prompt screen: quoting them is safe
        text = reply.text
        if mode == "generative":
            return self._cited(text, passages, "generative")
        grounded = await self.answerer.entailed(ctx, text, passages, floor)
        self.recent_grounded.append(grounded)
        return self._cited(text, passages, "generative") if grounded else floor

    def _model_not_worth_asking(self) -> bool:
        """True when the last GROUNDED_WINDOW model answers all failed the grounding check;
        every RETRY_EVERY-th question still asks, so a better model is noticed."""
        window = self.recent_grounded
        if len(window) < GROUNDED_WINDOW or any(window):
            return False
        self.skipped += 1
        return self.skipped % RETRY_EVERY != 0

    def _request(
        self, exchange: Exchange, hits: list[Hit], stream: bool = False
    ) -> ChatCompletionRequest:
        earlier = [
            {"role": t.role if t.role == "user" else "assistant", "content": t.content}
            for t in exchange.history[-4:]
        ]
        return ChatCompletionRequest.model_validate(
            {
                "model": self.deployment,
                "messages": [
                    {"role": "system", "content": grounding.SYSTEM.format(name=exchange.kb_name)},
                    *earlier,
                    {"role": "user", "content": grounding.prompt(exchange.question, hits)},
                ],
                "temperature": 0,
                "max_tokens": MAX_ANSWER_TOKENS,
                "stream": stream,
            }
        )

    @staticmethod
    def _cited(text: str, hits: list[Hit], method: str) -> Draft:
        """A model's answer with its citations renumbered 1..k in order of first mention."""
        order = grounding.cited(text, len(hits))
        renumber = {old: new for new, old in enumerate(order, start=1)}

        def swap(match: re.Match[str]) -> str:
            n = int(match.group(1))
            return f"[{renumber[n]}]" if n in renumber else ""

        cleaned = re.sub(r"\[(\d{1,2})\]", swap, text).strip()
        return Draft(cleaned, [hits[n - 1] for n in order], method)

    async def _store(self, exchange: Exchange, draft: Draft) -> Reply:
        conversation = exchange.conversation
        citations = [
            {
                "index": n,
                "document": h.document,
                "document_id": h.document_id,
                "title": h.title,
                "chunk": h.chunk,
                "position": h.position,
                "score": h.score,
            }
            for n, h in enumerate(draft.used, start=1)
        ]
        message = await asyncio.to_thread(
            self.conversations.append,
            conversation,
            "assistant",
            draft.text,
            question=exchange.question,
            citations=citations,
            method=draft.method,
        )
        return Reply(conversation.id, message.id, draft.text, citations, method=draft.method)

    async def _handoff(self, exchange: Exchange, reason: Reason) -> Reply:
        conversation, question, text = exchange.conversation, exchange.question, REPLIES[reason]

        def record() -> tuple[str, str]:
            ticket = self.tickets.open(
                conversation.tenant,
                conversation.knowledge_base,
                conversation.id,
                reason.value,
                question,
            )
            message = self.conversations.append(
                conversation,
                "assistant",
                text,
                question=question,
                handoff_reason=reason.value,
                method="handoff",
            )
            return ticket.id, message.id

        ticket_id, message_id = await asyncio.to_thread(record)
        return Reply(
            conversation.id,
            message_id,
            text,
            handoff=True,
            handoff_reason=reason.value,
            ticket_id=ticket_id,
            method="handoff",
        )


__all__ = ["AnswerMode", "Reply", "SupportService", "Turn"]

"""OpenAI's stateful APIs over the model path: stored responses and conversations, files,
vector stores (over knowledge bases) and batches (a job queue on the platform database).

Surfaces call these; these call the model service and the knowledge service, never a
surface. `build_hosted` is the one place they are wired.
"""

from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass

from tandem.config import Settings
from tandem.gateway.service import ModelService
from tandem.governance.keys import KeyStore
from tandem.knowledge.service import KnowledgeService
from tandem.stateful.batch_queue import BatchQueue
from tandem.stateful.batch_runner import LineRunner
from tandem.stateful.batch_worker import BatchWorker
from tandem.stateful.batches import BatchService
from tandem.stateful.files import FileStore
from tandem.stateful.ids import new_id
from tandem.stateful.response_store import ConversationStore, ResponseStore
from tandem.stateful.responses import ResponsesService
from tandem.stateful.vector_stores import VectorStoreService
from tandem.store.engine import Database


@dataclass
class Hosted:
    """The stateful services of one process."""

    files: FileStore
    responses: ResponsesService
    conversations: ConversationStore
    vector_stores: VectorStoreService
    batches: BatchService
    worker: BatchWorker
    worker_prefix: str

    async def start(self) -> None:
        """Start the batch worker (after the schema is migrated)."""
        await self.vector_stores.start()
        await self.worker.start(self.worker_prefix)

    async def stop(self) -> None:
        """Stop background work; batch lines in flight go back to the queue."""
        await self.worker.stop()
        await self.responses.stop()
        await self.vector_stores.stop()


def build_hosted(
    settings: Settings,
    db: Database,
    keys: KeyStore,
    models: ModelService,
    knowledge: KnowledgeService,
) -> Hosted:
    """Wire the stateful services (nothing starts until `Hosted.start`)."""
    files = FileStore(db, settings.files_max_bytes, settings.files_tenant_bytes)
    conversations = ConversationStore(db)
    vector_stores = VectorStoreService(db, files, knowledge)
    responses = ResponsesService(models, ResponseStore(db), conversations, files, vector_stores)
    # Stable per host and data directory, so a restarted process takes back its own lines
    # at once; the random part fences a process's results from its successor's.
    digest = hashlib.sha256(str(settings.data_dir.resolve()).encode()).hexdigest()[:8]
    prefix = f"{socket.gethostname()[:40]}:{digest}"
    queue = BatchQueue(db, f"{prefix}:{new_id('w', 8)}", settings.batch_lease_s)
    worker = BatchWorker(queue, LineRunner(models, responses), keys, settings.batch_concurrency)
    batches = BatchService(db, files, queue, worker, settings.batch_max_lines)
    return Hosted(files, responses, conversations, vector_stores, batches, worker, prefix)

"""responses, files, batches, vector stores, conversations

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _str(name: str, length: int, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def _json(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.JSON(), nullable=nullable)


def upgrade() -> None:
    _files_and_responses()
    _batches()
    _vector_stores()


def _files_and_responses() -> None:
    op.create_table(
        "files",
        _str("id", 40),
        _str("tenant", 64),
        _str("purpose", 32),
        _str("filename", 512),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        _str("status", 16),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_files_tenant_created", "files", ["tenant", "created_at"])
    op.create_table(
        "responses",
        _str("id", 64),
        _str("tenant", 64),
        _str("status", 16),
        _str("previous_response_id", 64, nullable=True),
        _json("input_items", nullable=False),
        _json("body", nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_responses_tenant_created", "responses", ["tenant", "created_at"])
    op.create_table(
        "conversations",
        _str("id", 64),
        _str("tenant", 64),
        _json("metadata"),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_conversations_tenant"), "conversations", ["tenant"])
    op.create_table(
        "conversation_items",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        _str("conversation_id", 64),
        _str("item_id", 64),
        _json("item", nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )
    op.create_index("ix_conversation_items_order", "conversation_items", ["conversation_id", "id"])


def _batches() -> None:
    op.create_table(
        "batches",
        _str("id", 40),
        _str("tenant", 64),
        _json("principal", nullable=False),
        _str("endpoint", 64),
        _str("input_file_id", 40),
        _str("completion_window", 16),
        _str("status", 16),
        _str("output_file_id", 40, nullable=True),
        _str("error_file_id", 40, nullable=True),
        _json("errors"),
        _json("request_counts"),
        _json("metadata"),
        _str("lease_owner", 64, nullable=True),
        _ts("lease_until", nullable=True),
        _ts("created_at"),
        *(
            _ts(f"{s}_at", nullable=True)
            for s in ("in_progress", "finalizing", "completed", "failed", "cancelling", "cancelled")
        ),
        _ts("expires_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_batches_status"), "batches", ["status"])
    op.create_index("ix_batches_tenant_created", "batches", ["tenant", "created_at"])
    op.create_table(
        "batch_lines",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        _str("batch_id", 40),
        sa.Column("line", sa.Integer(), nullable=False),
        _str("custom_id", 512),
        _json("body"),
        _str("status", 16),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _str("lease_owner", 64, nullable=True),
        _ts("lease_until", nullable=True),
        _json("result"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_batch_lines_batch_line", "batch_lines", ["batch_id", "line"], unique=True)
    op.create_index("ix_batch_lines_status", "batch_lines", ["status", "lease_until"])


def _vector_stores() -> None:
    op.create_table(
        "vector_stores",
        _str("id", 40),
        _str("tenant", 64),
        _str("name", 256),
        _str("knowledge_base", 40),
        _json("metadata"),
        _ts("created_at"),
        _ts("last_active_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_vector_stores_tenant_created", "vector_stores", ["tenant", "created_at"])
    op.create_table(
        "vector_store_files",
        _str("vector_store_id", 40),
        _str("file_id", 40),
        _str("tenant", 64),
        _str("batch_id", 40, nullable=True),
        _str("status", 16),
        _str("document_id", 40, nullable=True),
        _json("attributes"),
        _json("last_error"),
        sa.Column("usage_bytes", sa.BigInteger(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("vector_store_id", "file_id"),
    )
    op.create_index("ix_vector_store_files_batch", "vector_store_files", ["batch_id"])
    op.create_table(
        "vector_store_file_batches",
        _str("id", 40),
        _str("vector_store_id", 40),
        _str("tenant", 64),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_vector_store_file_batches_vector_store_id"),
        "vector_store_file_batches",
        ["vector_store_id"],
    )


def downgrade() -> None:
    for table in (
        "vector_store_file_batches",
        "vector_store_files",
        "vector_stores",
        "batch_lines",
        "batches",
        "conversation_items",
        "conversations",
        "responses",
        "files",
    ):
        op.drop_table(table)

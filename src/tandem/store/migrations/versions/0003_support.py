"""support assistant: conversations, messages, tickets, feedback, widget keys

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "support_conversations",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("knowledge_base", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_support_conversations_tenant"), "support_conversations", ["tenant"])
    op.create_table(
        "support_messages",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("knowledge_base", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("handoff_reason", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("author", sa.String(length=128), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_support_messages_conversation", "support_messages", ["conversation_id", "seq"]
    )
    op.create_index(
        "ix_support_messages_kb", "support_messages", ["tenant", "knowledge_base", "created_at"]
    )
    op.create_table(
        "support_tickets",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("knowledge_base", sa.String(length=40), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agent", sa.String(length=128), nullable=True),
        _ts("created_at"),
        _ts("claimed_at", nullable=True),
        _ts("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_support_tickets_conversation_id"), "support_tickets", ["conversation_id"]
    )
    op.create_index(
        "ix_support_tickets_status", "support_tickets", ["tenant", "status", "created_at"]
    )
    op.create_table(
        "support_feedback",
        sa.Column("message_id", sa.String(length=40), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("knowledge_base", sa.String(length=40), nullable=False),
        sa.Column("conversation_id", sa.String(length=40), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    op.create_index(
        op.f("ix_support_feedback_knowledge_base"), "support_feedback", ["knowledge_base"]
    )
    op.create_table(
        "support_widget_keys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("knowledge_base", sa.String(length=40), nullable=False),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        _ts("created_at"),
        _ts("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    op.create_index(op.f("ix_support_widget_keys_tenant"), "support_widget_keys", ["tenant"])


def downgrade() -> None:
    for table in (
        "support_widget_keys",
        "support_feedback",
        "support_tickets",
        "support_messages",
        "support_conversations",
    ):
        op.drop_table(table)

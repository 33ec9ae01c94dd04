"""safety

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blocklist_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("blocklist", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=256), nullable=False),
        sa.Column("is_regex", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_blocklist_items_list", "blocklist_items", ["tenant", "blocklist"], unique=False
    )
    op.create_table(
        "blocklists",
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("tenant", "name"),
    )
    op.create_table(
        "review_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("deployment", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_review_items_created_at"), "review_items", ["created_at"], unique=False
    )
    op.create_index("ix_review_tenant_status", "review_items", ["tenant", "status"], unique=False)
    op.create_table(
        "safety_policies",
        sa.Column("deployment", sa.String(length=64), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("deployment"),
    )


def downgrade() -> None:
    op.drop_table("safety_policies")
    op.drop_index("ix_review_tenant_status", table_name="review_items")
    op.drop_index(op.f("ix_review_items_created_at"), table_name="review_items")
    op.drop_table("review_items")
    op.drop_table("blocklists")
    op.drop_index("ix_blocklist_items_list", table_name="blocklist_items")
    op.drop_table("blocklist_items")

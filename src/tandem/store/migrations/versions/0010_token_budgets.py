"""budgets in tokens beside USD, per key, project and tenant

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("budget_tokens", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("project_budgets") as table:
        table.add_column(sa.Column("budget_tokens", sa.BigInteger(), nullable=True))
        table.alter_column("budget_usd", existing_type=sa.Float(), nullable=True)
    with op.batch_alter_table("tenants") as table:
        table.add_column(sa.Column("budget_usd", sa.Float(), nullable=True))
        table.add_column(sa.Column("budget_tokens", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenants") as table:
        table.drop_column("budget_tokens")
        table.drop_column("budget_usd")
    op.execute("DELETE FROM project_budgets WHERE budget_usd IS NULL")
    with op.batch_alter_table("project_budgets") as table:
        table.alter_column("budget_usd", existing_type=sa.Float(), nullable=False)
        table.drop_column("budget_tokens")
    with op.batch_alter_table("api_keys") as table:
        table.drop_column("budget_tokens")

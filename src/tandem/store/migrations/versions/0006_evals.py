"""evals, eval runs and their output items

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ts(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _str(name: str, length: int) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length=length), nullable=False)


def _json(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.JSON(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "evals",
        _str("id", 40),
        _str("tenant", 64),
        _str("name", 256),
        _json("data_source_config"),
        _json("testing_criteria"),
        _json("metadata", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evals_tenant_created", "evals", ["tenant", "created_at"])
    op.create_table(
        "eval_runs",
        _str("id", 40),
        _str("eval_id", 40),
        _str("tenant", 64),
        _str("name", 256),
        _str("model", 64),
        _str("status", 16),
        _json("data_source"),
        _json("principal"),
        _json("metadata", nullable=True),
        _json("error", nullable=True),
        _json("result_counts"),
        _json("per_model_usage"),
        _json("per_testing_criteria_results"),
        _str("worker", 128),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_eval_runs_eval_created", "eval_runs", ["eval_id", "created_at"])
    op.create_index(op.f("ix_eval_runs_tenant"), "eval_runs", ["tenant"])
    op.create_table(
        "eval_output_items",
        _str("id", 40),
        _str("run_id", 40),
        _str("eval_id", 40),
        _str("tenant", 64),
        sa.Column("datasource_item_id", sa.Integer(), nullable=False),
        _json("datasource_item"),
        _json("sample", nullable=True),
        _json("results"),
        _str("status", 16),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_eval_output_items_run_item", "eval_output_items", ["run_id", "datasource_item_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_eval_output_items_run_item", table_name="eval_output_items")
    op.drop_table("eval_output_items")
    op.drop_index(op.f("ix_eval_runs_tenant"), table_name="eval_runs")
    op.drop_index("ix_eval_runs_eval_created", table_name="eval_runs")
    op.drop_table("eval_runs")
    op.drop_index("ix_evals_tenant_created", table_name="evals")
    op.drop_table("evals")

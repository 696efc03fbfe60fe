"""Practice scoring of test mode: one row per trainee decision.

Revision ID: 0002_training
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_training"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_TEXT = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "practice_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session", sa.String(length=36), nullable=False),
        sa.Column("at", UTC_TEXT, nullable=False),
        sa.Column("dossier_code", sa.String(length=80), nullable=False),
        sa.Column("scenario", sa.String(length=40), nullable=False),
        sa.Column("expected", sa.String(length=32), nullable=False),
        sa.Column("given", sa.String(length=32), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_attempts")),
    )
    op.create_index(op.f("ix_practice_attempts_session"), "practice_attempts", ["session"])


def downgrade() -> None:
    op.drop_index(op.f("ix_practice_attempts_session"), table_name="practice_attempts")
    op.drop_table("practice_attempts")

"""Every officer's decisions in the decisions table, each with its origin.

The table was the desk's outbox only. A supervisor audits the whole office, so the decision
history the provincial system sends with each dossier (contract 1.1, ``Dossier.decisions``)
goes into the same table: ``origin`` says whether this desk made the decision (``desk``: it
went through the outbox) or the store read it from the server (``server``: another officer,
or another desk). A decision that comes back from the server with the id of one in the
outbox is that row, never a second one (the id is the primary key). ``officer_name`` and
``recorded_at`` are what the server says of the decision: its officer's display name and
when it recorded it. Every decision made before this revision was made at this desk.

Revision ID: 0005_decision_origin
Revises: 0004_raw_status
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_decision_origin"
down_revision: str | None = "0004_raw_status"
branch_labels: str | None = None
depends_on: str | None = None

# Aware datetimes are stored as fixed-format ISO-8601 UTC text (models.UtcDateTime).
UTC_TEXT = sa.String(length=32)


def upgrade() -> None:
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(length=16), nullable=False, server_default="desk")
        )
        batch.add_column(sa.Column("officer_name", sa.Text(), nullable=True))
        batch.add_column(sa.Column("recorded_at", UTC_TEXT, nullable=True))
        batch.create_index(batch.f("ix_decisions_officer"), ["officer"])


def downgrade() -> None:
    # Before this revision the table held the outbox only: the server's decisions go.
    op.execute("DELETE FROM decisions WHERE origin <> 'desk'")
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.drop_index(batch.f("ix_decisions_officer"))
        batch.drop_column("recorded_at")
        batch.drop_column("officer_name")
        batch.drop_column("origin")

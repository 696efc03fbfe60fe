"""Keep a provincial status the desk does not know, in the system's own words.

A dossier whose status the adapter cannot map (e.g. an iGate ``dossierStatus`` outside the
table in ``docs/adapters/igate.md``) is stored as ``other`` with the raw status beside it, so
the queue and the review can show it read-only. Its national TrangThaiHoSo is then unknown:
``national_status_code`` may be NULL (only for such dossiers).

Revision ID: 0004_raw_status
Revises: 0003_national_code
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_raw_status"
down_revision: str | None = "0003_national_code"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", recreate="auto") as batch:
        batch.add_column(sa.Column("raw_status", sa.Text(), nullable=True))
        batch.alter_column("national_status_code", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Dossiers of unknown status cannot be represented before this revision: drop them (the
    # next sync brings them back once the app is upgraded again).
    # Migrations run without foreign key enforcement: delete the children by hand.
    other = "SELECT id FROM dossiers WHERE status = 'other'"
    op.execute(
        "DELETE FROM attachments WHERE component_id IN "
        f"(SELECT id FROM components WHERE dossier_id IN ({other}))"
    )
    op.execute(f"DELETE FROM components WHERE dossier_id IN ({other})")
    op.execute("DELETE FROM dossiers WHERE status = 'other'")
    with op.batch_alter_table("dossiers", recreate="auto") as batch:
        batch.alter_column("national_status_code", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("raw_status")

"""Versions and sizes as 64-bit integers on PostgreSQL.

iGate's dossier versions are epoch milliseconds (about 1.8e12), past PostgreSQL's 32-bit
INTEGER; a file size may be too. SQLite's INTEGER is 64-bit already: nothing to do there.

Revision ID: 0006_wide_integers
Revises: 0005_decision_origin
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_wide_integers"
down_revision: str | None = "0005_decision_origin"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = (("dossiers", "version"), ("attachments", "size"), ("decisions", "dossier_version"))


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_nullable=False)

"""Keep the national TrangThaiHoSo of every decision (2 accepted, 3 refused, 5 supplement).

Whatever system the desk talks to (the contract, VNPT iGate…), the province reports the
national code to the national portal: the desk keeps the code it decided on with each
decision, so reports and audits never depend on one vendor's status numbers.

Revision ID: 0003_national_code
Revises: 0002_training
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_national_code"
down_revision: str | None = "0002_training"
branch_labels: str | None = None
depends_on: str | None = None

# DOMAIN.md: the national codes our decisions lead to. Copied, not imported: a migration
# must keep doing what it did when it was written.
_BY_KIND = {"accept": 2, "refuse": 3, "request_supplement": 5}


def upgrade() -> None:
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.add_column(sa.Column("national_status_code", sa.Integer(), nullable=True))
    decisions = sa.table(
        "decisions", sa.column("kind", sa.String()), sa.column("national_status_code", sa.Integer())
    )
    for kind, code in _BY_KIND.items():
        op.execute(
            decisions.update().where(decisions.c.kind == kind).values(national_status_code=code)
        )


def downgrade() -> None:
    with op.batch_alter_table("decisions", recreate="auto") as batch:
        batch.drop_column("national_status_code")

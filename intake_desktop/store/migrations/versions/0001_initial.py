"""Initial schema: catalog, dossiers, signature report cache, outbox, audit log, trust anchors.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Aware datetimes are stored as fixed-format ISO-8601 UTC text (models.UtcDateTime).
UTC_TEXT = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sector", sa.String(length=200), nullable=False),
        sa.Column("agency_level", sa.String(length=20), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("processing_days", sa.Integer(), nullable=False),
        sa.Column("processing_calendar_days", sa.Boolean(), nullable=False),
        sa.Column("processing_note", sa.Text(), nullable=False),
        sa.Column("fee_vnd", sa.Integer(), nullable=True),
        sa.Column("fee_note", sa.Text(), nullable=False),
        sa.Column("legal_basis_json", sa.Text(), nullable=False),
        sa.Column("source_urls_json", sa.Text(), nullable=False),
        sa.Column("channels_json", sa.Text(), nullable=False),
        sa.Column("code_verified", sa.Boolean(), nullable=False),
        sa.Column("components_verified", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_procedures")),
    )
    op.create_table(
        "component_specs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("copy_kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("signature_required", sa.Boolean(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("form", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["procedure_code"],
            ["procedures.code"],
            name=op.f("fk_component_specs_procedure_code_procedures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_component_specs")),
        sa.UniqueConstraint(
            "procedure_code", "code", name=op.f("uq_component_specs_procedure_code_code")
        ),
    )
    op.create_index(
        op.f("ix_component_specs_procedure_code"), "component_specs", ["procedure_code"]
    )

    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("procedure_code", sa.String(length=80), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("national_status_code", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applicant_name", sa.Text(), nullable=False),
        sa.Column("applicant_citizen_id", sa.String(length=32), nullable=False),
        sa.Column("applicant_birth_date", sa.Date(), nullable=True),
        sa.Column("applicant_phone", sa.String(length=32), nullable=True),
        sa.Column("applicant_email", sa.String(length=254), nullable=True),
        sa.Column("applicant_address", sa.Text(), nullable=True),
        sa.Column("submitted_at", UTC_TEXT, nullable=False),
        sa.Column("updated_at", UTC_TEXT, nullable=False),
        sa.Column("synced_at", UTC_TEXT, nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("raw_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
    )
    op.create_index(op.f("ix_dossiers_applicant_citizen_id"), "dossiers", ["applicant_citizen_id"])
    op.create_index(op.f("ix_dossiers_procedure_code"), "dossiers", ["procedure_code"])
    op.create_index(op.f("ix_dossiers_status"), "dossiers", ["status"])

    op.create_table(
        "components",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("spec_code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("copy_kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_components_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_components")),
        sa.UniqueConstraint(
            "dossier_id", "position", name=op.f("uq_components_dossier_id_position")
        ),
    )
    op.create_index(op.f("ix_components_dossier_id"), "components", ["dossier_id"])

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("cache_path", sa.Text(), nullable=True),
        sa.Column("download_state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", UTC_TEXT, nullable=False),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["components.id"],
            name=op.f("fk_attachments_component_id_components"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint(
            "component_id", "remote_id", name=op.f("uq_attachments_component_id_remote_id")
        ),
    )
    op.create_index(op.f("ix_attachments_component_id"), "attachments", ["component_id"])
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"])

    op.create_table(
        "signature_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("trust_version", sa.String(length=64), nullable=False),
        sa.Column("engine_version", sa.String(length=64), nullable=False),
        sa.Column("options", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_reports")),
        sa.UniqueConstraint(
            "sha256",
            "trust_version",
            "engine_version",
            "options",
            name=op.f("uq_signature_reports_sha256_trust_version_engine_version_options"),
        ),
    )

    op.create_table(
        "decisions",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("dossier_code", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("components_json", sa.Text(), nullable=False),
        sa.Column("appointment_date", sa.Date(), nullable=True),
        sa.Column("officer_note", sa.Text(), nullable=False),
        sa.Column("verdict_snapshot_json", sa.Text(), nullable=False),
        sa.Column("dossier_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_TEXT, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("server_receipt_json", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("sent_at", UTC_TEXT, nullable=True),
        sa.Column("officer", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_dossier_code"), "decisions", ["dossier_code"])
    op.create_index(op.f("ix_decisions_state"), "decisions", ["state"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TEXT, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("details_json", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    # Append-only by construction: the app never edits or deletes an entry. The hash chain
    # still catches edits made with these triggers dropped.
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            )
    else:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )

    op.create_table(
        "trust_anchors",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("not_before", UTC_TEXT, nullable=False),
        sa.Column("not_after", UTC_TEXT, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("added_at", UTC_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_trust_anchors")),
    )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("trust_anchors")
    if op.get_context().dialect.name == "postgresql":
        op.drop_table("audit_log")  # its triggers go with it
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.drop_table("audit_log")
    op.drop_index(op.f("ix_decisions_state"), table_name="decisions")
    op.drop_index(op.f("ix_decisions_dossier_code"), table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("signature_reports")
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_component_id"), table_name="attachments")
    op.drop_table("attachments")
    op.drop_index(op.f("ix_components_dossier_id"), table_name="components")
    op.drop_table("components")
    op.drop_index(op.f("ix_dossiers_status"), table_name="dossiers")
    op.drop_index(op.f("ix_dossiers_procedure_code"), table_name="dossiers")
    op.drop_index(op.f("ix_dossiers_applicant_citizen_id"), table_name="dossiers")
    op.drop_table("dossiers")
    op.drop_index(op.f("ix_component_specs_procedure_code"), table_name="component_specs")
    op.drop_table("component_specs")
    op.drop_table("procedures")

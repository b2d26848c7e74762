"""Sync support: index of pending outbox rows, and when central confirmed an evidence file.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import console.store.columns

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(
            'ix_outbox_pending', ['seq'], unique=False, sqlite_where=sa.text('done_at IS NULL')
        )
    # A plain ADD COLUMN: SQLite supports it without rebuilding the table.
    op.add_column(
        'evidence_items',
        sa.Column('central_confirmed_at', console.store.columns.UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table('evidence_items', schema=None) as batch_op:
        batch_op.drop_column('central_confirmed_at')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending', sqlite_where=sa.text('done_at IS NULL'))

"""Number plates of alerts, and the watch-list of plates.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import console.store.columns

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert_plates',
        sa.Column('alert_id', sa.Uuid(), nullable=False),
        sa.Column('text', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('colour', sa.String(length=16), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('lines', sa.Integer(), nullable=False),
        sa.Column('valid', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('frames', sa.Integer(), nullable=False),
        sa.Column('updated_at', console.store.columns.UTCDateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ['alert_id'], ['alerts.id'], name=op.f('fk_alert_plates_alert_id_alerts')
        ),
        sa.PrimaryKeyConstraint('alert_id', name=op.f('pk_alert_plates')),
    )
    with op.batch_alter_table('alert_plates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_plates_key'), ['key'], unique=False)
    op.create_table(
        'watchlist_plates',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('text', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('added_by', sa.String(length=64), nullable=False),
        sa.Column('added_at', console.store.columns.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_watchlist_plates')),
    )


def downgrade() -> None:
    op.drop_table('watchlist_plates')
    with op.batch_alter_table('alert_plates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_plates_key'))
    op.drop_table('alert_plates')

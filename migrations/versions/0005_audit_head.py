"""audit head

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 06:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    head = op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('count', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head')),
    )
    # The single row exists from the start, so two first writers never race to create it.
    op.bulk_insert(head, [{'id': 1, 'count': 0, 'hash': None}])


def downgrade():
    op.drop_table('audit_head')

"""analysis: tags, mentions, entities and coordinators' decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 07:40:00

Written by hand: the parallel branches (0002-0006) leave several heads, so autogenerate refuses.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _source_columns(table):
    return [
        sa.Column('organisation_id', sa.Uuid(), nullable=False),
        sa.Column('child_id', sa.Uuid(), nullable=False),
        sa.Column('rhi_id', sa.Uuid(), nullable=True),
        sa.Column('source_kind', sa.String(length=10), nullable=False),
        sa.Column('source_id', sa.Uuid(), nullable=False),
        sa.Column('source_key', sa.String(length=200), nullable=False),
        sa.Column('tagged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f(f'fk_{table}_child_id_children')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f(f'fk_{table}_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'],
                                name=op.f(f'fk_{table}_rhi_id_return_interviews')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _source_indexes(table, *extra):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for col in ('child_id', 'organisation_id', 'rhi_id', 'tagged_at', *extra):
            batch_op.create_index(batch_op.f(f'ix_{table}_{col}'), [col], unique=False)
        batch_op.create_index(f'ix_{table}_source', ['source_kind', 'source_id'], unique=False)


def upgrade():
    op.create_table('analysis_tags',
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    *_source_columns('analysis_tags'))
    _source_indexes('analysis_tags', 'category')

    op.create_table('analysis_mentions',
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('context', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    *_source_columns('analysis_mentions'))
    _source_indexes('analysis_mentions', 'category', 'code')

    op.create_table('analysis_entities',
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    *_source_columns('analysis_entities'))
    _source_indexes('analysis_entities', 'label', 'normalized')

    op.create_table('analysis_decisions',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('rhi_id', sa.Uuid(), nullable=True),
    sa.Column('source_kind', sa.String(length=10), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_analysis_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_analysis_decisions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'],
                            name=op.f('fk_analysis_decisions_rhi_id_return_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis_decisions')),
    sa.UniqueConstraint('source_kind', 'source_id', 'source_key', 'code', 'text_hash',
                        name='uq_analysis_decisions_mention'))
    with op.batch_alter_table('analysis_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analysis_decisions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_analysis_decisions_rhi_id'), ['rhi_id'], unique=False)


def downgrade():
    for table in ('analysis_decisions', 'analysis_entities', 'analysis_mentions', 'analysis_tags'):
        op.drop_table(table)

"""coordinator's view: entity groups and merges; indexes for the dashboards

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 09:00:00

Written by hand: 0008 is being added from 0007 in parallel, so autogenerate refuses (the lead
re-chains the two).
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('entity_groups',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.Column('children_count', sa.Integer(), nullable=False),
    sa.Column('episodes_count', sa.Integer(), nullable=False),
    sa.Column('sources_count', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_entity_groups_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_groups')),
    sa.UniqueConstraint('organisation_id', 'label', 'normalized', name='uq_entity_groups_form'))
    with op.batch_alter_table('entity_groups', schema=None) as batch_op:
        batch_op.create_index('ix_entity_groups_rank', ['organisation_id', 'children_count', 'episodes_count'], unique=False)

    op.create_table('entity_merges',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.Column('canonical', sa.String(length=200), nullable=False),
    sa.Column('merged_by_id', sa.Uuid(), nullable=True),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['merged_by_id'], ['users.id'], name=op.f('fk_entity_merges_merged_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_entity_merges_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_merges')),
    sa.UniqueConstraint('organisation_id', 'label', 'normalized', name='uq_entity_merges_form'))
    with op.batch_alter_table('entity_merges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_merges_canonical'), ['canonical'], unique=False)

    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.create_index('ix_missing_episodes_org_found', ['organisation_id', 'found_at'], unique=False)
        batch_op.create_index('ix_missing_episodes_org_reported', ['organisation_id', 'reported_missing_at', 'child_id'], unique=False)
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.create_index('ix_return_interviews_org_status_due', ['organisation_id', 'status', 'due_at'], unique=False)
        batch_op.create_index('ix_return_interviews_org_found', ['organisation_id', 'found_at'], unique=False)
    with op.batch_alter_table('analysis_mentions', schema=None) as batch_op:
        batch_op.create_index('ix_analysis_mentions_org_context', ['organisation_id', 'context', 'tagged_at'], unique=False)
    with op.batch_alter_table('analysis_entities', schema=None) as batch_op:
        batch_op.create_index('ix_analysis_entities_org_form', ['organisation_id', 'label', 'normalized'], unique=False)


def downgrade():
    with op.batch_alter_table('analysis_entities', schema=None) as batch_op:
        batch_op.drop_index('ix_analysis_entities_org_form')
    with op.batch_alter_table('analysis_mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_analysis_mentions_org_context')
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.drop_index('ix_return_interviews_org_found')
        batch_op.drop_index('ix_return_interviews_org_status_due')
    with op.batch_alter_table('missing_episodes', schema=None) as batch_op:
        batch_op.drop_index('ix_missing_episodes_org_reported')
        batch_op.drop_index('ix_missing_episodes_org_found')
    with op.batch_alter_table('entity_merges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_merges_canonical'))
    op.drop_table('entity_merges')
    with op.batch_alter_table('entity_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_entity_groups_rank')
    op.drop_table('entity_groups')

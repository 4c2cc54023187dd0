"""intelligence to police: summaries, their statements and the RHIs they draw on

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 07:30:00

Written against 0009 while other migrations are added in parallel; the lead re-chains them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('intelligence_summaries',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('about', sa.String(length=10), nullable=False),
    sa.Column('rhi_id', sa.Uuid(), nullable=True),
    sa.Column('entity_label', sa.String(length=20), nullable=True),
    sa.Column('entity_normalized', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('episode_date', sa.Date(), nullable=True),
    sa.Column('episode_place', sa.Text(), nullable=True),
    sa.Column('source_evaluation', sa.String(length=1), nullable=True),
    sa.Column('intelligence_evaluation', sa.String(length=1), nullable=True),
    sa.Column('handling_code', sa.String(length=1), nullable=True),
    sa.Column('handling_conditions', sa.Text(), nullable=True),
    sa.Column('force_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Uuid(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Uuid(), nullable=True),
    sa.Column('police_reference', sa.String(length=60), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_intelligence_summaries_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_intelligence_summaries_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_intelligence_summaries_created_by_id_users')),
    sa.ForeignKeyConstraint(['force_id'], ['organisations.id'], name=op.f('fk_intelligence_summaries_force_id_organisations')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_intelligence_summaries_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'], name=op.f('fk_intelligence_summaries_rhi_id_return_interviews')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_intelligence_summaries_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intelligence_summaries'))
    )
    with op.batch_alter_table('intelligence_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intelligence_summaries_force_id'), ['force_id'], unique=False)
        batch_op.create_index('ix_intelligence_summaries_force_sent', ['force_id', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_summaries_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_summaries_rhi_id'), ['rhi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_summaries_status'), ['status'], unique=False)

    op.create_table('intelligence_sources',
    sa.Column('summary_id', sa.Uuid(), nullable=False),
    sa.Column('rhi_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_intelligence_sources_child_id_children')),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'], name=op.f('fk_intelligence_sources_rhi_id_return_interviews')),
    sa.ForeignKeyConstraint(['summary_id'], ['intelligence_summaries.id'], name=op.f('fk_intelligence_sources_summary_id_intelligence_summaries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intelligence_sources'))
    )
    with op.batch_alter_table('intelligence_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intelligence_sources_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_sources_rhi_id'), ['rhi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_sources_summary_id'), ['summary_id'], unique=False)

    op.create_table('intelligence_statements',
    sa.Column('summary_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('rhi_id', sa.Uuid(), nullable=True),
    sa.Column('source_kind', sa.String(length=10), nullable=True),
    sa.Column('source_id', sa.Uuid(), nullable=True),
    sa.Column('source_key', sa.String(length=200), nullable=True),
    sa.Column('mention_id', sa.Uuid(), nullable=True),
    sa.Column('entity_id', sa.Uuid(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('entity_label', sa.String(length=20), nullable=True),
    sa.Column('entity_normalized', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'], name=op.f('fk_intelligence_statements_rhi_id_return_interviews')),
    sa.ForeignKeyConstraint(['summary_id'], ['intelligence_summaries.id'], name=op.f('fk_intelligence_statements_summary_id_intelligence_summaries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intelligence_statements'))
    )
    with op.batch_alter_table('intelligence_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intelligence_statements_entity_normalized'), ['entity_normalized'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_statements_rhi_id'), ['rhi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intelligence_statements_summary_id'), ['summary_id'], unique=False)



def downgrade():
    with op.batch_alter_table('intelligence_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intelligence_statements_summary_id'))
        batch_op.drop_index(batch_op.f('ix_intelligence_statements_rhi_id'))
        batch_op.drop_index(batch_op.f('ix_intelligence_statements_entity_normalized'))

    op.drop_table('intelligence_statements')
    with op.batch_alter_table('intelligence_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intelligence_sources_summary_id'))
        batch_op.drop_index(batch_op.f('ix_intelligence_sources_rhi_id'))
        batch_op.drop_index(batch_op.f('ix_intelligence_sources_child_id'))

    op.drop_table('intelligence_sources')
    with op.batch_alter_table('intelligence_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intelligence_summaries_status'))
        batch_op.drop_index(batch_op.f('ix_intelligence_summaries_rhi_id'))
        batch_op.drop_index(batch_op.f('ix_intelligence_summaries_organisation_id'))
        batch_op.drop_index('ix_intelligence_summaries_force_sent')
        batch_op.drop_index(batch_op.f('ix_intelligence_summaries_force_id'))

    op.drop_table('intelligence_summaries')

"""kept counts for the coordinator's pages: themes, 72-hour figures, review queue, peer groups,
repeat missing

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 09:40:34

Each mention's review state is worked out here from the decisions. The count tables start empty:
after upgrading a database that already holds RHIs, run `flask --app rhi_service recount` once to
count what is there (the writes keep them up to date from then on; `flask demo-data` fills them).
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('compliance_counts',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rhis', sa.Integer(), nullable=False),
    sa.Column('held_in_time', sa.Integer(), nullable=False),
    sa.Column('held_late', sa.Integer(), nullable=False),
    sa.Column('declined', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_compliance_counts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('organisation_id', 'dimension', 'value', 'day', name='pk_compliance_counts')
    )
    op.create_table('peer_groups',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sort_key', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_peer_groups_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_groups'))
    )
    with op.batch_alter_table('peer_groups', schema=None) as batch_op:
        batch_op.create_index('ix_peer_groups_rank', ['organisation_id', 'size', 'sort_key'], unique=False)

    op.create_table('review_counts',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_review_counts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('organisation_id', 'category', 'state', name='pk_review_counts')
    )
    op.create_table('theme_counts',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('rhis', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_theme_counts_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('organisation_id', 'dimension', 'value', 'grain', 'day', 'category', 'code', name='pk_theme_counts')
    )
    op.create_table('peer_group_members',
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('peer_group_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_peer_group_members_child_id_children')),
    sa.ForeignKeyConstraint(['peer_group_id'], ['peer_groups.id'], name=op.f('fk_peer_group_members_peer_group_id_peer_groups')),
    sa.PrimaryKeyConstraint('child_id', name=op.f('pk_peer_group_members'))
    )
    with op.batch_alter_table('peer_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_group_members_peer_group_id'), ['peer_group_id'], unique=False)

    op.create_table('peer_links',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('entity_group_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('other_child_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_peer_links_child_id_children')),
    sa.ForeignKeyConstraint(['entity_group_id'], ['entity_groups.id'], name=op.f('fk_peer_links_entity_group_id_entity_groups')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_peer_links_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['other_child_id'], ['children.id'], name=op.f('fk_peer_links_other_child_id_children')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_links')),
    sa.UniqueConstraint('entity_group_id', 'kind', 'child_id', 'other_child_id', name='uq_peer_links_pair')
    )
    with op.batch_alter_table('peer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_links_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_links_other_child_id'), ['other_child_id'], unique=False)

    op.create_table('repeat_marks',
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('latest_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('second_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('third_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_repeat_marks_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_repeat_marks_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('child_id', name=op.f('pk_repeat_marks'))
    )
    with op.batch_alter_table('repeat_marks', schema=None) as batch_op:
        batch_op.create_index('ix_repeat_marks_org_latest', ['organisation_id', 'latest_at'], unique=False)
        batch_op.create_index('ix_repeat_marks_org_second', ['organisation_id', 'second_at'], unique=False)
        batch_op.create_index('ix_repeat_marks_org_third', ['organisation_id', 'third_at'], unique=False)

    op.create_table('review_marks',
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_review_marks_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_review_marks_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('unit_id', 'category', 'state', name='pk_review_marks')
    )
    with op.batch_alter_table('review_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_marks_child_id'), ['child_id'], unique=False)

    op.create_table('compliance_marks',
    sa.Column('rhi_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_in_time', sa.Boolean(), nullable=False),
    sa.Column('held_late', sa.Boolean(), nullable=False),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('team', sa.String(length=100), nullable=False),
    sa.Column('legal_status', sa.String(length=30), nullable=False),
    sa.Column('sex', sa.String(length=20), nullable=False),
    sa.Column('placing', sa.String(length=40), nullable=False),
    sa.Column('age_band', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_compliance_marks_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_compliance_marks_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'], name=op.f('fk_compliance_marks_rhi_id_return_interviews')),
    sa.PrimaryKeyConstraint('rhi_id', name=op.f('pk_compliance_marks'))
    )
    with op.batch_alter_table('compliance_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compliance_marks_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_compliance_marks_org_day', ['organisation_id', 'day'], unique=False)
        batch_op.create_index('ix_compliance_marks_org_due', ['organisation_id', 'due_at'], unique=False)

    op.create_table('theme_marks',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('rhi_id', sa.Uuid(), nullable=True),
    sa.Column('unit_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('team', sa.String(length=100), nullable=False),
    sa.Column('legal_status', sa.String(length=30), nullable=False),
    sa.Column('sex', sa.String(length=20), nullable=False),
    sa.Column('placing', sa.String(length=40), nullable=False),
    sa.Column('age_band', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_theme_marks_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_theme_marks_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['rhi_id'], ['return_interviews.id'], name=op.f('fk_theme_marks_rhi_id_return_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_marks'))
    )
    with op.batch_alter_table('theme_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_marks_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_theme_marks_org_day', ['organisation_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_marks_rhi_id'), ['rhi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_marks_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('analysis_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_analysis_decisions_source', ['source_kind', 'source_id'], unique=False)

    with op.batch_alter_table('analysis_mentions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sa.String(length=12), server_default='waiting', nullable=False))
        batch_op.create_index('ix_analysis_mentions_org_state', ['organisation_id', 'context', 'review_state', 'tagged_at'], unique=False)
    # as theme_counts.review_state: a dismissal, else a confirmation or a coordinator's own tag
    decided = ("SELECT 1 FROM analysis_decisions d WHERE d.source_kind = analysis_mentions.source_kind"
               " AND d.source_id = analysis_mentions.source_id AND d.source_key = analysis_mentions.source_key"
               " AND d.code = analysis_mentions.code AND d.text_hash = analysis_mentions.text_hash AND d.decision = ")
    op.execute("UPDATE analysis_mentions SET review_state = CASE"
               f" WHEN EXISTS ({decided}'dismissed') THEN 'dismissed'"
               f" WHEN EXISTS ({decided}'confirmed') OR origin <> 'machine' THEN 'confirmed'"
               " ELSE 'waiting' END WHERE context = 'asserted'")

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index('ix_children_org_team', ['organisation_id', 'team'], unique=False)

    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.create_index('ix_return_interviews_awaiting_sign_off', ['organisation_id', 'submitted_at', 'id'], unique=False, postgresql_where=sa.text("status = 'submitted' AND signed_off_at IS NULL"), sqlite_where=sa.text("status = 'submitted' AND signed_off_at IS NULL"))



def downgrade():
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.drop_index('ix_return_interviews_awaiting_sign_off', postgresql_where=sa.text("status = 'submitted' AND signed_off_at IS NULL"), sqlite_where=sa.text("status = 'submitted' AND signed_off_at IS NULL"))

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_org_team')

    with op.batch_alter_table('analysis_mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_analysis_mentions_org_state')
        batch_op.drop_column('review_state')

    with op.batch_alter_table('analysis_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_analysis_decisions_source')

    with op.batch_alter_table('theme_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_marks_unit_id'))
        batch_op.drop_index(batch_op.f('ix_theme_marks_rhi_id'))
        batch_op.drop_index('ix_theme_marks_org_day')
        batch_op.drop_index(batch_op.f('ix_theme_marks_child_id'))

    op.drop_table('theme_marks')
    with op.batch_alter_table('compliance_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_compliance_marks_org_due')
        batch_op.drop_index('ix_compliance_marks_org_day')
        batch_op.drop_index(batch_op.f('ix_compliance_marks_child_id'))

    op.drop_table('compliance_marks')
    with op.batch_alter_table('review_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_marks_child_id'))

    op.drop_table('review_marks')
    with op.batch_alter_table('repeat_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_repeat_marks_org_third')
        batch_op.drop_index('ix_repeat_marks_org_second')
        batch_op.drop_index('ix_repeat_marks_org_latest')

    op.drop_table('repeat_marks')
    with op.batch_alter_table('peer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_links_other_child_id'))
        batch_op.drop_index(batch_op.f('ix_peer_links_child_id'))

    op.drop_table('peer_links')
    with op.batch_alter_table('peer_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_group_members_peer_group_id'))

    op.drop_table('peer_group_members')
    op.drop_table('theme_counts')
    op.drop_table('review_counts')
    with op.batch_alter_table('peer_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_peer_groups_rank')

    op.drop_table('peer_groups')
    op.drop_table('compliance_counts')

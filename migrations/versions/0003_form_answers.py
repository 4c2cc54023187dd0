"""form answers: answers, section versions, consent and addenda

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answers',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('form_code', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('section_code', sa.String(length=80), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text_value', sa.Text(), nullable=True),
    sa.Column('json_value', sa.JSON(), nullable=True),
    sa.Column('no_answer', sa.String(length=20), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_answers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_answers_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('form_code', 'subject_id', 'question_code', name='uq_answers_question')
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_subject_id'), ['subject_id'], unique=False)

    op.create_table('section_states',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('form_code', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('section_code', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_section_states_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_section_states_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_states')),
    sa.UniqueConstraint('form_code', 'subject_id', 'section_code', name='uq_section_states_section')
    )
    with op.batch_alter_table('section_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_states_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_section_states_subject_id'), ['subject_id'], unique=False)

    op.create_table('consents',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('return_interview_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=30), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('safeguarding_rationale', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_consents_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['return_interview_id'], ['return_interviews.id'], name=op.f('fk_consents_return_interview_id_return_interviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
    sa.UniqueConstraint('return_interview_id', 'purpose', name='uq_consents_purpose')
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_return_interview_id'), ['return_interview_id'], unique=False)

    op.create_table('addenda',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('return_interview_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Uuid(), nullable=True),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_addenda_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['return_interview_id'], ['return_interviews.id'], name=op.f('fk_addenda_return_interview_id_return_interviews')),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_addenda_written_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addenda'))
    )
    with op.batch_alter_table('addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addenda_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_addenda_return_interview_id'), ['return_interview_id'], unique=False)


def downgrade():
    for table in ('addenda', 'consents', 'section_states', 'answers'):
        op.drop_table(table)

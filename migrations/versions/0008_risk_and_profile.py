"""risk assessment and profile: saved versions of a form, the child's photo

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00

Written by hand, in the naming convention of extensions.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_versions',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('form_code', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('saved_by_id', sa.Uuid(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_form_versions_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_form_versions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_form_versions_saved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_versions')),
    sa.UniqueConstraint('form_code', 'subject_id', 'number', name='uq_form_versions_number')
    )
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_versions_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_versions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_versions_subject_id'), ['subject_id'], unique=False)

    op.create_table('child_photos',
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_photos_child_id_children')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_child_photos_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_child_photos_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_photos'))
    )
    with op.batch_alter_table('child_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_photos_child_id'), ['child_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_child_photos_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('child_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_photos_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_child_photos_child_id'))
    op.drop_table('child_photos')
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_versions_subject_id'))
        batch_op.drop_index(batch_op.f('ix_form_versions_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_form_versions_child_id'))
    op.drop_table('form_versions')

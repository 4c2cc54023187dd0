"""queue: contact attempt tokens, the decline's grounds, arranged-with and parent or carer information

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contact_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_contact_attempts_submission_token'), ['submission_token'])

    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arranged_with', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('decline_grounds', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('parent_carer_information', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('parent_carer_information_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('return_interviews', schema=None) as batch_op:
        batch_op.drop_column('parent_carer_information_at')
        batch_op.drop_column('parent_carer_information')
        batch_op.drop_column('decline_grounds')
        batch_op.drop_column('arranged_with')

    with op.batch_alter_table('contact_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_contact_attempts_submission_token'), type_='unique')
        batch_op.drop_column('submission_token')

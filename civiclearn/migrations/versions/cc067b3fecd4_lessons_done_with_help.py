"""lessons done with help: finished after seeing the practice's answer

Revision ID: cc067b3fecd4
Revises: 037f19b9b02b
Create Date: 2026-12-05 17:09:10.471880

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cc067b3fecd4'
down_revision = '037f19b9b02b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_with_help', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_column('completed_with_help')

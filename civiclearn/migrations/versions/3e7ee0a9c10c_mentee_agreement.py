"""a mentee agrees before their leader sees them

Revision ID: 3e7ee0a9c10c
Revises: de705a1b2c10
Create Date: 2026-12-05 06:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3e7ee0a9c10c'
down_revision = 'de705a1b2c10'
branch_labels = None
depends_on = None


def upgrade():
    # Rows added before this stay unanswered: their learners are asked at their next sign-in.
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('mentee', schema=None) as batch_op:
        batch_op.drop_column('agreed_at')

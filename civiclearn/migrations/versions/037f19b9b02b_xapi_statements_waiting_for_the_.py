"""xAPI statements waiting for the Learning Record Store

Revision ID: 037f19b9b02b
Revises: 32478ead5fce
Create Date: 2026-12-05 16:20:37.774927

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '037f19b9b02b'
down_revision = '32478ead5fce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('xapi_statement',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_statement'))
    )
    with op.batch_alter_table('xapi_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_statement_next_try_at'), ['next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_statement_state'), ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('xapi_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_statement_state'))
        batch_op.drop_index(batch_op.f('ix_xapi_statement_next_try_at'))

    op.drop_table('xapi_statement')

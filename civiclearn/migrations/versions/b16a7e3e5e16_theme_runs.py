"""theme runs: comment themes found in the background

Revision ID: b16a7e3e5e16
Revises: 970a550551ea
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b16a7e3e5e16'
down_revision = '970a550551ea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('comment_count', sa.Integer(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['requester_id'], ['person.id'], name=op.f('fk_theme_run_requester_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_run'))
    )
    with op.batch_alter_table('theme_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_run_requester_id'), ['requester_id'], unique=False)


def downgrade():
    with op.batch_alter_table('theme_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_run_requester_id'))
    op.drop_table('theme_run')

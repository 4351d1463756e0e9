"""civic actions: what learners did for real, logged by them or a leader

Revision ID: 970a550551ea
Revises: cc067b3fecd4
Create Date: 2026-12-05 20:45:04.645828

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '970a550551ea'
down_revision = 'cc067b3fecd4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('civic_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('case_number', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=280), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('asked_outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_how', sa.String(length=20), nullable=True),
    sa.CheckConstraint("channel IN ('traffy_fondue', 'hotline_1111', 'lgo_line_or_page', 'in_person', 'phone', 'other')", name=op.f('ck_civic_action_channel_known')),
    sa.CheckConstraint("kind IN ('reported_problem', 'joined_forum_or_hearing', 'commented_on_plan', 'asked_for_information', 'helped_someone')", name=op.f('ck_civic_action_kind_known')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('fixed', 'in_progress', 'no_answer', 'dont_know')", name=op.f('ck_civic_action_outcome_known')),
    sa.CheckConstraint('logged_by_id IS NULL OR (consent_at IS NOT NULL AND consent_how IS NOT NULL)', name=op.f('ck_civic_action_consent_when_logged_for')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['person.id'], name=op.f('fk_civic_action_logged_by_id_person')),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_civic_action_module_id_module')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_civic_action_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_civic_action')),
    sa.UniqueConstraint('person_id', 'token', name=op.f('uq_civic_action_person_id_token'))
    )
    with op.batch_alter_table('civic_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_civic_action_done_on'), ['done_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_civic_action_logged_by_id'), ['logged_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_civic_action_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('civic_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_civic_action_person_id'))
        batch_op.drop_index(batch_op.f('ix_civic_action_logged_by_id'))
        batch_op.drop_index(batch_op.f('ix_civic_action_done_on'))

    op.drop_table('civic_action')

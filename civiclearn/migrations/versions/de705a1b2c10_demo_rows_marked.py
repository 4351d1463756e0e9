"""demo rows marked, so they are never counted and can be removed

Revision ID: de705a1b2c10
Revises: 5e55105a1a10
Create Date: 2026-12-05 06:30:00.000000

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'de705a1b2c10'
down_revision = '5e55105a1a10'
branch_labels = None
depends_on = None

# What `flask demo seed` made before this revision, when demo rows were not marked: its centres and school
# by name, its people by learner code or username, each also named "(ตัวอย่าง)" or "(demo)" as the demo
# names them, so a real learner who happens to hold one of these codes is never taken for the demo's.
DEMO_CENTRES = ('Demo Community Digital Centre', 'Nong Bua Digital Centre (demo)')
DEMO_SCHOOLS = ('Demo Village School',)
DEMO_USERNAMES = ('demo-admin', 'demo-trainer', 'demo-teacher')
DEMO_CODES = tuple("""
    CAT347 FAN799 HEW473 JAM934 CEK374 HAM437 KET749 MAR397 NAK473 PAT934 RAK379 TAW794 PRE379
    MEA333 MEA334 MEA337 MEA339 MEA343 MEA344 MEA347 MEA349 MEA373 MEA374
    WAK333 WAK334 WAK337 WAK339 WAK343 WAK344 WAK347 WAK349 WAK373 WAK374 WAK377 WAK379 WAK393 WAK394 WAK397
    WAK399 WAK433 WAK434 WAK437 WAK439 WAK443 WAK444 WAK447 WAK449
    KEM333 KEM334 KEM337 KEM339 KEM343 KEM344 KEM347 KEM349 NAM333 NAM334 NAM337 NAM339
""".split())


def upgrade():
    op.create_table('demo_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demo_state'))
    )
    for table in ('centre', 'person', 'school'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('is_demo', sa.Boolean(), server_default=sa.false(), nullable=False))
    mark_earlier_demo()


def mark_earlier_demo():
    """Mark the demo rows an earlier version made, and remember that the demo was added, so that `flask demo
    remove` finds them, the counts leave them out and `make run` does not add the demo a second time."""
    centre = sa.table('centre', sa.column('name_en'), sa.column('is_demo'))
    school = sa.table('school', sa.column('name_en'), sa.column('is_demo'))
    person = sa.table('person', sa.column('learner_code'), sa.column('username'), sa.column('display_name'),
                      sa.column('is_demo'))
    found = op.get_bind().execute(centre.update().where(centre.c.name_en.in_(DEMO_CENTRES)).values(is_demo=True))
    op.execute(school.update().where(school.c.name_en.in_(DEMO_SCHOOLS)).values(is_demo=True))
    op.execute(person.update().where(
        sa.or_(person.c.learner_code.in_(DEMO_CODES), person.c.username.in_(DEMO_USERNAMES)),
        sa.or_(person.c.display_name.like('%(ตัวอย่าง)'), person.c.display_name.like('%(demo)')),
    ).values(is_demo=True))
    if found.rowcount:
        state = sa.table('demo_state', sa.column('id'), sa.column('seeded_at', sa.DateTime(timezone=True)))
        op.execute(state.insert().values(id=1, seeded_at=datetime.now(UTC)))


def downgrade():
    for table in ('school', 'person', 'centre'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('is_demo')
    op.drop_table('demo_state')

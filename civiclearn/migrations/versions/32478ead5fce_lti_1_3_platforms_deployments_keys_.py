"""LTI 1.3 platforms, deployments, keys, launch states, LMS courses and links, grade sends; teachers of one class; members who left an LMS course

Revision ID: 32478ead5fce
Revises: 3e7ee0a9c10c
Create Date: 2026-12-05 16:09:04.127634

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '32478ead5fce'
down_revision = '3e7ee0a9c10c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lti_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_lti_key_kid'))
    )
    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('auth_login_url', sa.String(length=500), nullable=False),
    sa.Column('auth_token_url', sa.String(length=500), nullable=False),
    sa.Column('auth_audience', sa.String(length=500), nullable=True),
    sa.Column('key_set_url', sa.String(length=500), nullable=False),
    sa.Column('frame_origins', sa.String(length=1000), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('registered_by', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], name=op.f('fk_lti_platform_approved_by_id_person')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_lti_platform_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name=op.f('uq_lti_platform_issuer_client_id'))
    )
    with op.batch_alter_table('lti_platform', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_platform_school_id'), ['school_id'], unique=False)

    op.create_table('lti_context',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('memberships_url', sa.String(length=500), nullable=True),
    sa.Column('lineitems_url', sa.String(length=500), nullable=True),
    sa.Column('ags_scopes', sa.JSON(), nullable=True),
    sa.Column('roster_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['school_class.id'], name=op.f('fk_lti_context_class_id_school_class')),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_context_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_context')),
    sa.UniqueConstraint('platform_id', 'context_id', name=op.f('uq_lti_context_platform_id_context_id'))
    )
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_context_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_context_platform_id'), ['platform_id'], unique=False)

    op.create_table('lti_deployment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_deployment_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deployment')),
    sa.UniqueConstraint('platform_id', 'deployment_id', name=op.f('uq_lti_deployment_platform_id_deployment_id'))
    )
    with op.batch_alter_table('lti_deployment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_deployment_platform_id'), ['platform_id'], unique=False)

    op.create_table('lti_launch_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deep_linking', sa.JSON(), nullable=True),
    sa.Column('deployment_id', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_lti_launch_state_person_id_person')),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_launch_state_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_launch_state')),
    sa.UniqueConstraint('nonce', name=op.f('uq_lti_launch_state_nonce')),
    sa.UniqueConstraint('state', name=op.f('uq_lti_launch_state_state'))
    )
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_launch_state_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_launch_state_platform_id'), ['platform_id'], unique=False)

    op.create_table('lti_resource_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=255), nullable=False),
    sa.Column('context_row_id', sa.Integer(), nullable=True),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('lineitem_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['context_row_id'], ['lti_context.id'], name=op.f('fk_lti_resource_link_context_row_id_lti_context')),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_lti_resource_link_module_id_module')),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_resource_link_platform_id_lti_platform')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_resource_link')),
    sa.UniqueConstraint('platform_id', 'resource_link_id', name=op.f('uq_lti_resource_link_platform_id_resource_link_id'))
    )
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_resource_link_context_row_id'), ['context_row_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_resource_link_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_resource_link_platform_id'), ['platform_id'], unique=False)

    op.create_table('lti_grade_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('score_given', sa.Double(), nullable=False),
    sa.Column('score_maximum', sa.Double(), nullable=False),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['lti_resource_link.id'], name=op.f('fk_lti_grade_send_link_id_lti_resource_link')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_lti_grade_send_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_grade_send')),
    sa.UniqueConstraint('person_id', 'link_id', name=op.f('uq_lti_grade_send_person_id_link_id'))
    )
    with op.batch_alter_table('lti_grade_send', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_grade_send_link_id'), ['link_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_send_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('class_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('class_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_role_assignment_class_id'), ['class_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_role_assignment_class_id_school_class'), 'school_class', ['class_id'], ['id'])



def downgrade():
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_role_assignment_class_id_school_class'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_role_assignment_class_id'))
        batch_op.drop_column('class_id')

    with op.batch_alter_table('class_member', schema=None) as batch_op:
        batch_op.drop_column('left_at')

    with op.batch_alter_table('lti_grade_send', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_grade_send_person_id'))
        batch_op.drop_index(batch_op.f('ix_lti_grade_send_link_id'))

    op.drop_table('lti_grade_send')
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_resource_link_platform_id'))
        batch_op.drop_index(batch_op.f('ix_lti_resource_link_module_id'))
        batch_op.drop_index(batch_op.f('ix_lti_resource_link_context_row_id'))

    op.drop_table('lti_resource_link')
    with op.batch_alter_table('lti_launch_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_launch_state_platform_id'))
        batch_op.drop_index(batch_op.f('ix_lti_launch_state_created_at'))

    op.drop_table('lti_launch_state')
    with op.batch_alter_table('lti_deployment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_deployment_platform_id'))

    op.drop_table('lti_deployment')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_context_platform_id'))
        batch_op.drop_index(batch_op.f('ix_lti_context_class_id'))

    op.drop_table('lti_context')
    with op.batch_alter_table('lti_platform', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_platform_school_id'))

    op.drop_table('lti_platform')
    op.drop_table('lti_key')

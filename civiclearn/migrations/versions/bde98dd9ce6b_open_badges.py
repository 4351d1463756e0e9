"""Open Badges 3.0: the issuer's keys and profile, a credential per certificate

Revision ID: bde98dd9ce6b
Revises: b16a7e3e5e16
Create Date: 2026-12-05 22:27:23.953375

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bde98dd9ce6b'
down_revision = 'b16a7e3e5e16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issuer_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_issuer_key_kid'))
    )
    op.create_table('issuer_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_th', sa.String(length=1000), nullable=False),
    sa.Column('description_en', sa.String(length=1000), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_profile'))
    )
    op.create_table('open_badge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('status_index', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('jwt', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_open_badge_certificate_id_certificate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['key_id'], ['issuer_key.id'], name=op.f('fk_open_badge_key_id_issuer_key')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_badge')),
    sa.UniqueConstraint('certificate_id', name=op.f('uq_open_badge_certificate_id')),
    sa.UniqueConstraint('status_index', name=op.f('uq_open_badge_status_index'))
    )


def downgrade():
    op.drop_table('open_badge')
    op.drop_table('issuer_profile')
    op.drop_table('issuer_key')

"""Open Badges 3.0: every certificate also exists as a verifiable credential (an OpenBadgeCredential secured as a
VC-JWT), signed by the programme's key, with a bit of its own in a revocation status list."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civiclearn.certificates.models import Certificate
from civiclearn.database import SigningKeyColumns, utcnow
from civiclearn.extensions import db


class IssuerKey(SigningKeyColumns, db.Model):
    """The programme's signing key pair (ES256). The newest key signs; a key replaced by a newer one stays
    published for ever, since the credentials it signed stay valid for ever."""

    __tablename__ = "issuer_key"


class IssuerProfile(db.Model):
    """Who issues the credentials: the programme, as its admins name it (one row, made with defaults on first use).
    The centre or school that awarded a certificate is named in each credential beside it."""

    __tablename__ = "issuer_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_th: Mapped[str] = mapped_column(String(1000), default="")
    description_en: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(300), default="")  # the programme's own web page, if it has one
    email: Mapped[str] = mapped_column(String(200), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)  # checked on upload (services.checked_logo)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpenBadge(db.Model):
    """A certificate's credential, signed once and kept as signed (its JWT), with its place in the status list.
    The JWT names the key that signed it, so a key replaced since still checks it."""

    __tablename__ = "open_badge"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"), unique=True)
    status_index: Mapped[int] = mapped_column(unique=True)  # its bit in the revocation status list
    subject_id: Mapped[str] = mapped_column(String(64))  # urn:uuid:..., a name for the holder in this credential only
    salt: Mapped[str] = mapped_column(String(32))  # of the hash of the learner code
    key_id: Mapped[int] = mapped_column(ForeignKey("issuer_key.id"))
    jwt: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    certificate: Mapped[Certificate] = relationship()

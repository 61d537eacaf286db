"""Stored media files: one row per re-encoded image on disk under MEDIA_ROOT."""

from __future__ import annotations

import uuid as uuid_lib
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.db import TimestampMixin
from fieldapp.extensions import db

if TYPE_CHECKING:
    from fieldapp.accounts.models import User

KINDS = ("photo", "signature")
_KIND_CHECK = "kind IN ('photo', 'signature')"


def new_uuid() -> str:
    return str(uuid_lib.uuid4())


class MediaFile(TimestampMixin, db.Model):
    """An image as stored: its random file name, type, size and the hash of the stored bytes.

    The uuid of a photo is made on the device that sent it (rule 3); the database keeps it
    unique. The row holds no original file name and no metadata from the upload.
    """

    __tablename__ = "media_files"
    __table_args__ = (CheckConstraint(_KIND_CHECK, name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    storage_name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    # The SHA-256 of the bytes as uploaded, before re-encoding: a photo sent again under its
    # device-made uuid is recognised by it (rule 3). One-way, so it gives no metadata back.
    upload_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:  # no names in logs
        return f"<MediaFile {self.id} {self.kind}>"

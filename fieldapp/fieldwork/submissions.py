"""Rule 3 for what a device sends: its own ids, erased ids refused, photos under device ids."""

# "One submission, one record." Every interview, observation and photo carries an id made
# on the device (a UUID the page puts in a hidden field). How the rule is kept here:
#
# - An id of erased data (one a withdrawal's tombstone lists) is refused with 410 before
#   anything else is looked at, so nothing is stored and no other check answers first.
# - The same id with the same content answers as the first time and stores nothing new;
#   with other content it is refused with 409 and the first version stays as it was. What
#   "the same content" is: for an observation, its fingerprint (observations.py); for a
#   photo, the SHA-256 of the bytes as uploaded.
# - The database holds the ids unique; a lost race surfaces as an IntegrityError inside a
#   savepoint and is answered as a resend or a conflict, never by a check-then-insert.

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.media.models import MediaFile
from fieldapp.media.services import read_upload, store_image, upload_digest
from fieldapp.participants.models import ErasedSubmission

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FieldworkError(Exception):
    """A refusal; `status` is the HTTP status a sync client gets (409 conflict, 410 gone)."""

    def __init__(self, reason: str, /, status: int = 400, **params):
        super().__init__(reason)
        self.code = reason
        self.status = status
        self.params = params


def normal_id(value: object) -> str | None:
    """A device-made id in its one spelling (lower case), or None when it is not a UUID."""
    text = value.strip().lower() if isinstance(value, str) else ""
    return text if UUID_RE.match(text) else None


def erased_ids(ids: Iterable[object]) -> set[str]:
    """Those of the ids that a tombstone lists."""
    wanted = {i for i in (normal_id(v) for v in ids) if i}
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            select(ErasedSubmission.submission_id).where(
                ErasedSubmission.submission_id.in_(sorted(wanted))
            )
        )
    )


def refuse_erased(*ids: object) -> None:
    """410 when any of the ids belongs to erased data: it may never come back."""
    if erased_ids(ids):
        raise FieldworkError("erased", status=410)


# ---------------------------------------------------------------- photos


@dataclass(frozen=True)
class PhotoUpload:
    """A photo as the device sent it: its device-made id, its bytes and their SHA-256."""

    id: str
    data: bytes
    digest: str


def read_photo(upload, photo_id: object) -> PhotoUpload:
    """Read an uploaded file under its device id (bad_id without one; MediaRejected if huge)."""
    normal = normal_id(photo_id)
    if normal is None:
        raise FieldworkError("bad_id")
    data = read_upload(upload.stream)
    return PhotoUpload(normal, data, upload_digest(data))


def chosen_files(uploads: Iterable) -> list:
    """The file fields that carry a file (an empty file input sends a part without a name)."""
    return [u for u in uploads if u is not None and getattr(u, "filename", "")]


def read_photos(uploads: Iterable, photo_ids: list[object]) -> list[PhotoUpload]:
    """The chosen files, the n-th under the n-th device id the form sent (one per slot)."""
    files = chosen_files(uploads)
    if len(files) > len(photo_ids):
        raise FieldworkError("bad_id")
    photos = [
        read_photo(upload, photo_id) for upload, photo_id in zip(files, photo_ids, strict=False)
    ]
    if len({p.id for p in photos}) != len(photos):
        raise FieldworkError("bad_id")
    return photos


def find_media(media_id: str) -> MediaFile | None:
    return db.session.scalar(select(MediaFile).where(MediaFile.uuid == media_id))


def same_photo(media: MediaFile, photo: PhotoUpload) -> bool:
    """The stored photo is this upload: the same id (found by it) and the same bytes."""
    return media.kind == "photo" and media.upload_sha256 == photo.digest


def store_photo(
    actor: User, photo: PhotoUpload, *, resend_of: Callable[[MediaFile], bool]
) -> tuple[MediaFile, bool]:
    """Store a photo under its device id; (media, True) when it is a resend of a stored one.

    resend_of(media) says whether the photo already stored under this id belongs where this
    one is sent to; with the same bytes, that is the same photo again and nothing new is
    stored. Any other use of the id is a conflict (409). Raises MediaRejected and
    MediaStorageFailed as store_image does; a refusal leaves no file behind.
    """
    existing = find_media(photo.id)
    if existing is None:
        try:
            with db.session.begin_nested():
                media = store_image(photo.data, kind="photo", uuid=photo.id, created_by=actor)
        except IntegrityError:
            # Another request stored the same id first (the unique constraint decided).
            existing = find_media(photo.id)
            if existing is None:
                raise
        else:
            return media, False
    if same_photo(existing, photo) and resend_of(existing):
        return existing, True
    raise FieldworkError("photo_conflict", status=409)

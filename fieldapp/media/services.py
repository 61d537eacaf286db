"""Storing images: checked, re-encoded without metadata, on disk in step with the database."""

# The rule: "Photos carry no secrets." How it is kept:
#
# - Accepted: JPEG (including multi-picture MPO files, first picture only), PNG and WebP
#   (animated PNG and WebP: first frame only). Refused as ``unsupported_format``: GIF, TIFF,
#   BMP, HEIF/HEIC/AVIF, ICO, PSD, JPEG 2000 and JPEG XL. Everything else, SVG and HTML
#   included, is ``not_an_image``.
# - Limits: MEDIA_MAX_BYTES (10 MB) before anything is decoded, MEDIA_MAX_PIXELS (40
#   million) from the header before the pixels are decoded, and Pillow's own decompression
#   bomb limit (``bomb``). Larger images are scaled down to MEDIA_MAX_SIDE (2048 px) on the
#   long side, signatures to MEDIA_SIGNATURE_MAX_SIDE (1024 px).
# - The EXIF orientation is applied to the pixels. Nothing of the upload's metadata is kept:
#   no EXIF (GPS, camera), XMP, comments, text chunks, thumbnails or ICC profile. An embedded
#   ICC profile is used to convert the pixels to sRGB first, so colours stay right.
# - Photos are stored as JPEG (quality 85, transparency flattened onto white), signatures as
#   greyscale PNG (flattened onto white).
# - Files get random names under MEDIA_ROOT/<first two characters>/, mode 0o640, written
#   atomically. A rollback removes files written in the transaction; files of deleted rows
#   are removed only after the transaction commits.

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import os
import re
import secrets
import stat
import tempfile
import time
import uuid as uuid_lib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from flask import Response, current_app, send_file
from PIL import Image, ImageCms, ImageOps, features
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, scoped_session
from werkzeug.exceptions import NotFound

from fieldapp.extensions import db
from fieldapp.media.models import KINDS, MediaFile

log = logging.getLogger("fieldapp.media")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_SIDE = 2048
DEFAULT_SIGNATURE_MAX_SIDE = 1024
JPEG_QUALITY = 85
FILE_MODE = 0o640
DIR_MODE = 0o750

REJECTION_CODES = (
    "empty",
    "too_large",
    "too_many_pixels",
    "not_an_image",
    "unsupported_format",
    "bomb",
)

# What is stored, and so the only types ever served.
_STORED_TYPES = {"photo": ("image/jpeg", ".jpg"), "signature": ("image/png", ".png")}
_SERVED_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}
_STORAGE_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png)")
_TEMP_PREFIX = ".tmp-"

_MEDIA_CSP = "default-src 'none'; sandbox"


class MediaStorageFailed(OSError):
    """The image could not be written (disk full, folder not writable): nothing was kept.

    The server's fault, not the upload's: the same upload can be sent again later.
    """


class MediaRejected(Exception):
    """An upload refused; ``code`` (one of REJECTION_CODES) is for a translated message."""

    def __init__(self, code: str, detail: str = ""):
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


# ---------------------------------------------------------------- limits and input


def _setting(given: int | None, key: str, default: int) -> int:
    value = given if given is not None else current_app.config.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{key} must be a positive whole number")
    return value


def read_upload(data: bytes | IO[bytes], *, max_bytes: int | None = None) -> bytes:
    """The bytes of an upload, refused as ``too_large`` above MEDIA_MAX_BYTES (read no further)."""
    return _read_limited(data, _setting(max_bytes, "MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_digest(raw: bytes) -> str:
    """The SHA-256 of an upload as it came: how a photo sent again is recognised."""
    return hashlib.sha256(raw).hexdigest()


def _read_limited(data: bytes | bytearray | memoryview | IO[bytes], limit: int) -> bytes:
    """The upload's bytes; refused without reading more than limit + 1 bytes."""
    if isinstance(data, bytes | bytearray | memoryview):
        if len(data) > limit:
            raise MediaRejected("too_large")
        return bytes(data)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = data.read(limit + 1 - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise MediaRejected("too_large")
    return b"".join(chunks)


_OTHER_IMAGE_MAGIC = (
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"II+\x00",  # BigTIFF
    b"MM\x00+",
    b"\x00\x00\x01\x00",  # ICO
    b"\x00\x00\x02\x00",  # CUR
    b"8BPS",  # Photoshop
    b"\xff\x0a",  # JPEG XL codestream
    b"\x00\x00\x00\x0cJXL \r\n\x87\n",
    b"\x00\x00\x00\x0cjP  \r\n\x87\n",  # JPEG 2000
    b"\xff\x4f\xff\x51",
    b"qoif",
)
_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"hevc",
    b"hevx",
    b"heim",
    b"heis",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
}
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _sniff(head: bytes) -> str:
    """The Pillow format to open the bytes with, decided from their first bytes only."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith(_OTHER_IMAGE_MAGIC):
        raise MediaRejected("unsupported_format")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        raise MediaRejected("unsupported_format")
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        raise MediaRejected("unsupported_format")
    raise MediaRejected("not_an_image")


# ---------------------------------------------------------------- re-encoding


@dataclass(frozen=True)
class _Encoded:
    data: bytes
    width: int
    height: int
    content_type: str
    extension: str


_HAVE_LCMS = features.check("littlecms2")
_SRGB = ImageCms.createProfile("sRGB") if _HAVE_LCMS else None


def _reencode(raw: bytes, *, kind: str, max_pixels: int, max_side: int) -> _Encoded:
    fmt = _sniff(raw[:32])
    with warnings.catch_warnings():
        # Untrusted files make Pillow warn about all sorts of things (bad EXIF, odd chunks);
        # only its decompression bomb warning matters, and it becomes a refusal.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=[fmt])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise MediaRejected("bomb") from exc
        except MemoryError:
            raise
        except Exception as exc:  # Pillow raises many types for malformed files
            raise MediaRejected(_code_for(exc), type(exc).__name__) from exc
        with image:
            width, height = image.size
            if width < 1 or height < 1:
                raise MediaRejected("not_an_image")
            if width * height > max_pixels:
                raise MediaRejected("too_many_pixels")
            try:
                clean = _clean(image, kind=kind, max_side=max_side)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise MediaRejected("bomb") from exc
            except MemoryError:
                raise
            except Exception as exc:  # truncated or corrupt pixel data
                raise MediaRejected(_code_for(exc), type(exc).__name__) from exc
    return _encode(clean, kind)


def _code_for(exc: Exception) -> str:
    # PNG text chunks that inflate beyond Pillow's limits
    if isinstance(exc, ValueError) and "Decompressed data too large" in str(exc):
        return "bomb"
    return "not_an_image"


def _clean(image: Image.Image, *, kind: str, max_side: int) -> Image.Image:
    """Decoded, upright, scaled down, in sRGB and flattened: the pixels and nothing else."""
    if image.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result stays large enough.
        image.draft(None, (max_side, max_side))
    image.load()
    icc = image.info.get("icc_profile")
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:  # unreadable EXIF: keep the pixels as they are
        log.info("media: orientation not applied, EXIF unreadable")
    pixels = _normalise_mode(image)
    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    pixels = _to_srgb(pixels, icc)
    if kind == "photo":
        return _flatten(pixels, "RGB")
    return _flatten(pixels, "L")


def _normalise_mode(image: Image.Image) -> Image.Image:
    """L, LA, RGB, RGBA or CMYK, so that scaling works on real colours."""
    mode = image.mode
    if mode.startswith("I") or mode == "F":  # 16-bit greyscale PNG
        return image.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = mode in ("LA", "PA", "RGBA", "La", "RGBa") or "transparency" in image.info
    if mode in ("1", "L"):
        return image.convert("LA" if has_alpha else "L")
    if mode in ("LA", "RGBA", "CMYK"):
        return image
    if mode == "RGB":
        return image.convert("RGBA") if has_alpha else image
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert the pixels to sRGB with the embedded profile; without one, use them as sRGB."""
    if icc and _HAVE_LCMS and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            log.info("media: colour profile not usable, dropped")
        else:
            if converted is not None:
                return converted
    return image


def _flatten(image: Image.Image, mode: str) -> Image.Image:
    """The image in the given mode, anything transparent laid onto white."""
    if image.mode in ("LA", "RGBA"):
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        white.alpha_composite(image.convert("RGBA"))
        image = white
    elif image.mode == "CMYK":
        image = image.convert("RGB")
    return image.convert(mode)


def _encode(image: Image.Image, kind: str) -> _Encoded:
    # A new image from the bare pixels: no info dict, so nothing of the upload can ride along
    # (Pillow writes, for one, a JPEG comment it finds in image.info).
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    content_type, extension = _STORED_TYPES[kind]
    out = io.BytesIO()
    if kind == "photo":
        bare.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        bare.save(out, format="PNG", optimize=True)
    return _Encoded(out.getvalue(), bare.width, bare.height, content_type, extension)


# ---------------------------------------------------------------- files on disk


def media_root() -> Path:
    """MEDIA_ROOT, which must not lie inside the static folder."""
    root = Path(current_app.config["MEDIA_ROOT"]).resolve()
    static = current_app.static_folder
    if static and root.is_relative_to(Path(static).resolve()):
        raise RuntimeError("MEDIA_ROOT must not be inside the static folder")
    return root


def _path_for(storage_name: str) -> Path:
    if not _STORAGE_NAME.fullmatch(storage_name or ""):
        raise ValueError("not a storage name")
    return media_root() / storage_name[:2] / storage_name


def media_path(media: MediaFile) -> Path:
    """Where a media file is on disk; refuses a storage name that is not one of ours."""
    return _path_for(media.storage_name)


def open_media(media: MediaFile) -> BinaryIO:
    """The stored file, opened for reading (the caller closes it)."""
    return media_path(media).open("rb")


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, fsync, then rename it into place."""
    path.parent.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.parent.mkdir(mode=DIR_MODE, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), FILE_MODE)
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("media: could not remove %s: %s", path.name, exc.strerror)


# ---------------------------------------------------------------- files and transactions
#
# Each session keeps, in session.info, the files written in its transaction and the files
# to remove once it commits, each with the (innermost) transaction it belongs to. After
# the outermost commit the doomed files go; a rollback of the transaction, or of a
# savepoint, removes the files written in it and forgets the removals scheduled in it.

_PENDING = "fieldapp.media.pending"


@dataclass
class _Pending:
    path: Path
    written: bool  # True: written in the transaction; False: remove once it commits
    transaction: SessionTransaction | None


def _current_transaction(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _track(session: Session | scoped_session, path: Path, *, written: bool) -> None:
    if isinstance(session, scoped_session):  # db.session: the session of this context
        session = session()
    if session.get_transaction() is None:
        session.connection()  # begin, so the file belongs to a transaction
    pending = session.info.setdefault(_PENDING, [])
    pending.append(_Pending(Path(path), written, _current_transaction(session)))


def schedule_file_removal(session: Session | scoped_session, path: str | os.PathLike[str]) -> None:
    """Remove a file from disk once the session's transaction commits; a rollback keeps it."""
    _track(session, Path(path), written=False)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _remove_files_after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released; the outer transaction can still roll back
    for item in session.info.pop(_PENDING, None) or ():
        if not item.written:
            _remove_file(item.path)


@event.listens_for(Session, "after_soft_rollback")
def _remove_files_after_rollback(session: Session, previous_transaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    kept = []
    for item in pending:
        if _within(item.transaction, previous_transaction):
            if item.written:
                _remove_file(item.path)
        else:
            kept.append(item)
    pending[:] = kept


@event.listens_for(Session, "after_transaction_end")
def _remove_files_after_close(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit (rollback or close): as a rollback."""
    if transaction.parent is not None:
        return
    for item in session.info.pop(_PENDING, None) or ():
        if item.written:
            _remove_file(item.path)


# ---------------------------------------------------------------- storing and deleting


def _normal_uuid(value: str | uuid_lib.UUID | None) -> str:
    if value is None:
        return str(uuid_lib.uuid4())
    return str(value if isinstance(value, uuid_lib.UUID) else uuid_lib.UUID(str(value)))


def store_image(
    data: bytes | IO[bytes],
    *,
    kind: str,
    created_by=None,
    uuid: str | None = None,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_side: int | None = None,
) -> MediaFile:
    """Check and re-encode an uploaded image, write it under a random name and add its row.

    Raises MediaRejected for an unacceptable upload and MediaStorageFailed when the disk
    cannot take the file (nothing is written then either), ValueError for a wrong kind or a
    malformed uuid, and IntegrityError when the uuid is taken (the file is removed at once).
    Flushes, never commits; a rollback removes the file.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    media_uuid = _normal_uuid(uuid)
    max_bytes = _setting(max_bytes, "MEDIA_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_pixels = _setting(max_pixels, "MEDIA_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    if kind == "signature":
        max_side = _setting(max_side, "MEDIA_SIGNATURE_MAX_SIDE", DEFAULT_SIGNATURE_MAX_SIDE)
    else:
        max_side = _setting(max_side, "MEDIA_MAX_SIDE", DEFAULT_MAX_SIDE)

    raw = _read_limited(data, max_bytes)
    if not raw:
        raise MediaRejected("empty")
    encoded = _reencode(raw, kind=kind, max_pixels=max_pixels, max_side=max_side)

    storage_name = secrets.token_hex(16) + encoded.extension
    path = _path_for(storage_name)
    try:
        _write_atomically(path, encoded.data)
    except OSError as exc:
        # Disk full, read-only or missing folder: the temporary file is gone already.
        log.error("media: could not write a file: %s", exc.strerror or type(exc).__name__)
        raise MediaStorageFailed(exc.errno, exc.strerror) from exc
    media = MediaFile(
        uuid=media_uuid,
        kind=kind,
        storage_name=storage_name,
        content_type=encoded.content_type,
        width=encoded.width,
        height=encoded.height,
        size_bytes=len(encoded.data),
        sha256=hashlib.sha256(encoded.data).hexdigest(),
        upload_sha256=upload_digest(raw),
        created_by_id=getattr(created_by, "id", created_by),
    )
    session = db.session()
    try:
        session.add(media)
        session.flush()
    except BaseException:
        _remove_file(path)
        raise
    _track(session, path, written=True)
    return media


def delete_media(media: MediaFile) -> None:
    """Delete the row now and its file once the transaction commits (a rollback keeps both)."""
    path = media_path(media)
    session = db.session()
    session.delete(media)
    session.flush()
    schedule_file_removal(session, path)


def remove_orphan_files(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Remove files under MEDIA_ROOT that no row names, and stale temporary files.

    They are left by a process that died between writing a file and committing. Files
    younger than older_than are left alone: their transaction may still be running.
    Returns how many files were removed.
    """
    root = media_root()
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    candidates: dict[str, Path] = {}
    for folder in root.iterdir():
        if not re.fullmatch(r"[0-9a-f]{2}", folder.name) or not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                continue
            if path.name.startswith(_TEMP_PREFIX):
                _remove_file(path)
                removed += 1
            elif _STORAGE_NAME.fullmatch(path.name) and path.name[:2] == folder.name:
                candidates[path.name] = path
    names = sorted(candidates)
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        known = set(
            db.session.scalars(
                select(MediaFile.storage_name).where(MediaFile.storage_name.in_(chunk))
            )
        )
        for name in chunk:
            if name not in known:
                _remove_file(candidates[name])
                removed += 1
    return removed


# ---------------------------------------------------------------- serving


def send_media(media: MediaFile, *, as_attachment: bool = False) -> Response:
    """The stored file as a response, for a view that has already checked access.

    Only ever image/jpeg or image/png, never sniffed, never cached, and sandboxed should a
    browser open it as a document.
    """
    content_type = media.content_type
    extension = _SERVED_EXTENSIONS.get(content_type)
    if extension is None:  # not something we store: never let a browser render it
        content_type, extension, as_attachment = "application/octet-stream", "bin", True
    try:
        filename = f"{uuid_lib.UUID(media.uuid)}.{extension}"
    except (TypeError, ValueError):
        filename = f"media.{extension}"
    try:
        fh = open_media(media)
    except FileNotFoundError:
        log.warning("media: file of media %s is missing", media.id)
        raise NotFound() from None
    response = send_file(
        fh,
        mimetype=content_type,
        as_attachment=as_attachment,
        download_name=filename,
        etag=media.sha256,
        max_age=None,
    )
    if response.content_length is None and hasattr(fh, "fileno"):
        # send_file knows the size of a path or a BytesIO, not of an open file: without it an
        # HTTP/1.1 server sends the photo chunked, and a phone cannot show its progress.
        response.content_length = os.fstat(fh.fileno()).st_size
    disposition = "attachment" if as_attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Content-Type"] = content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = _MEDIA_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # send_file's conditional handling adds a Date header; the WSGI server (gunicorn, the
    # development server) adds its own, so the client would get two. The server's is enough.
    del response.headers["Date"]
    return response

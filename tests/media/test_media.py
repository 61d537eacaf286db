"""Media storage: metadata stripped, limits kept, random names, files follow the transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import time
import uuid as uuid_lib
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from fieldapp.extensions import db
from fieldapp.media.models import MediaFile
from fieldapp.media.services import (
    MediaRejected,
    delete_media,
    media_path,
    open_media,
    remove_orphan_files,
    schedule_file_removal,
    send_media,
    store_image,
)

# ---------------------------------------------------------------- images made in memory

CAMERA_MAKE = "SecretCam"
CAMERA_MODEL = "Model-X-4471"
GPS_DATUM = "WGS-84-SECRET-DATUM"
JPEG_COMMENT = b"secret comment: Nieuwstraat 12"
XMP_PLACE = "secret-xmp-Heerlen-Noord"
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="' + XMP_PLACE.encode() + b'"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _bytes(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def two_colour(size=(64, 32), mode="RGB") -> Image.Image:
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(size=(64, 32), **params) -> bytes:
    return _bytes(two_colour(size), "JPEG", quality=90, **params)


def jpeg_with_metadata() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Orientation] = 6  # turn 90° clockwise to show
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 53.0, 11.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (5.0, 58.0, 42.0)
    gps[ExifTags.GPS.GPSMapDatum] = GPS_DATUM
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _bytes(
        two_colour((64, 32)),
        "JPEG",
        quality=95,
        exif=exif,
        comment=JPEG_COMMENT,
        xmp=XMP,
        icc_profile=srgb,
    )


def png(size=(40, 20), mode="RGB", **params) -> bytes:
    return _bytes(two_colour(size, mode), "PNG", **params)


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


def jpeg_segments(data: bytes) -> list[int]:
    """The markers before the image data of a JPEG file (APPn, COM, DQT, SOF...)."""
    assert data[:2] == b"\xff\xd8"
    markers, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan
            break
        markers.append(marker)
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return markers


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        chunks.append(data[i + 4 : i + 8].decode("ascii"))
        i += 12 + length
    return chunks


def media_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MediaFile))


def assert_no_metadata(path: Path) -> None:
    raw = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif()
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "dpi"):
            assert key not in image.info
    for marker in (b"Exif", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"MPF"):
        assert marker not in raw
    for secret in (CAMERA_MAKE, CAMERA_MODEL, GPS_DATUM, XMP_PLACE, "secret"):
        assert secret.encode() not in raw


# ---------------------------------------------------------------- metadata


def test_jpeg_loses_exif_gps_xmp_comment_and_profile_and_is_turned_upright(ctx):
    upload = jpeg_with_metadata()
    # The test image really carries all of it.
    for secret in (CAMERA_MAKE, GPS_DATUM, XMP_PLACE):
        assert secret.encode() in upload
    assert JPEG_COMMENT in upload
    assert b"Exif" in upload
    assert b"ICC_PROFILE" in upload
    with Image.open(io.BytesIO(upload)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    media = store_image(upload, kind="photo")

    path = media_path(media)
    assert_no_metadata(path)
    # Only the JFIF header (APP0) is left: no APP1 (EXIF, XMP), APP2 (ICC, MPF) or comment.
    markers = jpeg_segments(path.read_bytes())
    assert [m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE] == [0xE0]
    # Orientation 6 applied: 64×32 became 32×64 with the left (red) half on top.
    assert (media.width, media.height) == (32, 64)
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (32, 64)
        top, bottom = stored.convert("RGB").getpixel((16, 8)), stored.getpixel((16, 56))
    assert top[0] > 200
    assert top[2] < 60
    assert bottom[2] > 200
    assert bottom[0] < 60
    assert media.content_type == "image/jpeg"


@pytest.mark.parametrize("kind", ["photo", "signature"])
def test_metadata_is_dropped_when_nothing_else_changes(ctx, kind):
    """Upright, small, no colour profile: the pixels pass unchanged, the metadata does not."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    upload = jpeg(comment=JPEG_COMMENT, xmp=XMP, exif=exif)
    media = store_image(upload, kind=kind)
    assert_no_metadata(media_path(media))


def test_png_loses_text_chunks_exif_and_profile(ctx):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret tEXt")
    info.add_text("Author", "secret zTXt", zip=True)
    info.add_itxt("Description", "secret iTXt", lang="nl")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = png(mode="RGBA", pnginfo=info, exif=exif, icc_profile=srgb, dpi=(300, 300))
    assert {"tEXt", "zTXt", "iTXt", "eXIf", "iCCP", "pHYs"} <= set(png_chunks(upload))

    signature = store_image(upload, kind="signature")
    photo = store_image(upload, kind="photo")

    stored = media_path(signature).read_bytes()
    assert set(png_chunks(stored)) <= {"IHDR", "IDAT", "IEND"}
    assert signature.content_type == "image/png"
    assert_no_metadata(media_path(signature))
    assert_no_metadata(media_path(photo))


def test_webp_and_multi_picture_jpeg_are_accepted_as_one_clean_picture(ctx):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    webp = _bytes(two_colour(), "WEBP", exif=exif, xmp=XMP)
    first, second = two_colour(), Image.new("RGB", (64, 32), "green")
    mpo = _bytes(first, "MPO", save_all=True, append_images=[second], exif=exif)
    assert b"MPF" in mpo

    for upload in (webp, mpo):
        media = store_image(upload, kind="photo")
        assert media.content_type == "image/jpeg"
        assert_no_metadata(media_path(media))
        with Image.open(media_path(media)) as stored:
            assert getattr(stored, "n_frames", 1) == 1
            assert stored.convert("RGB").getpixel((4, 4))[0] > 200  # the first (red) picture


def test_modes_are_normalised_and_transparency_becomes_white(ctx):
    grey16 = Image.new("I;16", (20, 20), 32768)
    cmyk = Image.new("CMYK", (20, 20), (0, 255, 255, 0))  # red
    palette = Image.new("P", (20, 20), 0)
    palette.putpalette([0, 0, 0] * 256)
    signature = Image.new("RGBA", (60, 20), (0, 0, 0, 0))  # transparent black background
    signature.paste((0, 0, 0, 255), (10, 5, 50, 15))  # a black stroke

    stored = store_image(_bytes(grey16, "PNG"), kind="photo")
    with Image.open(media_path(stored)) as image:
        assert 110 < image.getpixel((10, 10))[0] < 145
    stored = store_image(_bytes(cmyk, "JPEG"), kind="photo")
    with Image.open(media_path(stored)) as image:
        assert image.mode == "RGB"
        assert image.getpixel((10, 10))[0] > 200
    stored = store_image(_bytes(palette, "PNG", transparency=0), kind="photo")
    with Image.open(media_path(stored)) as image:
        assert image.getpixel((10, 10)) == (255, 255, 255)
    stored = store_image(_bytes(signature, "PNG"), kind="signature")
    with Image.open(media_path(stored)) as image:
        assert image.mode == "L"
        assert image.getpixel((2, 2)) == 255  # transparent became white, not black
        assert image.getpixel((30, 10)) == 0


# ---------------------------------------------------------------- where and how files are kept


def test_files_get_random_names_outside_static_with_mode_0640(app, ctx, media_root):
    upload = jpeg()
    given = str(uuid_lib.uuid4())
    first = store_image(FileStorage(io.BytesIO(upload), filename="IMG_2041.jpg"), kind="photo")
    second = store_image(upload, kind="photo", uuid=given.upper())

    assert second.uuid == given  # a device's uuid, kept (in canonical form)
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", first.uuid
    )
    assert first.storage_name != second.storage_name
    assert first.sha256 == second.sha256  # same picture, same stored bytes
    static = Path(app.static_folder).resolve()
    for media in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", media.storage_name)
        assert "IMG_2041" not in media.storage_name
        assert media.uuid.replace("-", "") not in media.storage_name
        path = media_path(media)
        assert path == media_root.resolve() / media.storage_name[:2] / media.storage_name
        assert not path.is_relative_to(static)
        assert path.stat().st_mode & 0o777 == 0o640
        data = path.read_bytes()
        assert media.size_bytes == len(data)
        assert media.sha256 == hashlib.sha256(data).hexdigest()
        with open_media(media) as fh:
            assert fh.read() == data
    leftovers = [p.name for p in media_root.rglob(".tmp-*")]
    assert leftovers == []


def test_large_photos_are_scaled_down(ctx):
    big = store_image(jpeg((4000, 3000)), kind="photo")
    assert (big.width, big.height) == (2048, 1536)
    with Image.open(media_path(big)) as image:
        assert image.size == (2048, 1536)
    assert store_image(jpeg((1000, 600)), kind="photo").width == 1000  # never enlarged
    sized = store_image(jpeg((1000, 600)), kind="photo", max_side=500)
    assert (sized.width, sized.height) == (500, 300)
    signature = store_image(png((3000, 1000), mode="RGBA"), kind="signature")
    assert (signature.width, signature.height) == (1024, 341)


def test_media_path_refuses_foreign_storage_names(ctx):
    for name in (
        "../../etc/passwd",
        "ab/cdef.jpg",
        "..",
        "/etc/passwd",
        "x.jpg",
        "a" * 32 + ".svg",
    ):
        with pytest.raises(ValueError, match="storage name"):
            media_path(MediaFile(storage_name=name))


def test_media_root_inside_static_is_refused(app, ctx):
    saved = app.config["MEDIA_ROOT"]
    app.config["MEDIA_ROOT"] = str(Path(app.static_folder) / "uploads")
    try:
        with pytest.raises(RuntimeError, match="static"):
            store_image(jpeg(), kind="photo")
    finally:
        app.config["MEDIA_ROOT"] = saved
    assert not (Path(app.static_folder) / "uploads").exists()


def test_kind_and_uuid_are_checked(ctx, stored_files):
    with pytest.raises(ValueError, match="kind"):
        store_image(jpeg(), kind="video")
    with pytest.raises(ValueError, match="UUID"):
        store_image(jpeg(), kind="photo", uuid="not-a-uuid")
    assert stored_files() == []
    db.session.add(
        MediaFile(
            kind="video",
            storage_name="0" * 32 + ".jpg",
            content_type="image/jpeg",
            width=1,
            height=1,
            size_bytes=1,
            sha256="0" * 64,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


# ---------------------------------------------------------------- refusals


class EndlessStream(io.RawIOBase):
    """An upload that never ends; counts what was read from it."""

    def __init__(self):
        self.read_total = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = len(buffer)
        buffer[:n] = b"\xff" * n
        self.read_total += n
        return n


def _truncated_jpeg() -> bytes:
    data = jpeg((400, 300))
    return data[: len(data) // 2]


def _ztxt_bomb() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "a" * 50_000_000, zip=True)
    return png((4, 4), pnginfo=info)


REFUSALS = {
    "empty bytes": (b"", "empty"),
    "a text file": (b"Gesprek met bewoner, Nieuwstraat 12\n", "not_an_image"),
    "an svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "not_an_image",
    ),
    "an svg with xml declaration": (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "not_an_image",
    ),
    "html": (b"<!doctype html><html><script>alert(1)</script></html>", "not_an_image"),
    "a pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not_an_image"),
    "a gif": (_bytes(two_colour(), "GIF"), "unsupported_format"),
    "an animated gif": (
        _bytes(two_colour(), "GIF", save_all=True, append_images=[two_colour((64, 32), "RGB")]),
        "unsupported_format",
    ),
    "a tiff": (_bytes(two_colour(), "TIFF"), "unsupported_format"),
    "a bmp": (_bytes(two_colour(), "BMP"), "unsupported_format"),
    "a heic header": (
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 64,
        "unsupported_format",
    ),
    "a truncated jpeg": (_truncated_jpeg(), "not_an_image"),
    "a jpeg header only": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "not_an_image"),
    "a png claiming 50000 x 50000": (png_header(50_000, 50_000), "bomb"),
    "a png claiming 10000 x 10000": (png_header(10_000, 10_000), "bomb"),
    "a png claiming 7000 x 7000": (png_header(7_000, 7_000), "too_many_pixels"),
    "a png with a zTXt bomb": (_ztxt_bomb(), "bomb"),
}


@pytest.mark.parametrize("kind", ["photo", "signature"])
@pytest.mark.parametrize("name", list(REFUSALS))
def test_refusals_leave_nothing_behind(ctx, stored_files, name, kind):
    upload, code = REFUSALS[name]
    with pytest.raises(MediaRejected) as refused:
        store_image(FileStorage(io.BytesIO(upload), filename="photo.jpg"), kind=kind)
    assert refused.value.code == code
    assert stored_files() == []
    assert media_count() == 0


def test_bomb_headers_are_refused_without_decoding(ctx):
    upload = png_header(50_000, 50_000)
    assert len(upload) < 200
    started = time.monotonic()
    with pytest.raises(MediaRejected) as refused:
        store_image(upload, kind="photo")
    assert refused.value.code in ("too_many_pixels", "bomb")
    assert time.monotonic() - started < 1


def test_byte_and_pixel_limits(app, ctx, stored_files):
    upload = jpeg((400, 300))
    with pytest.raises(MediaRejected) as refused:
        store_image(upload, kind="photo", max_bytes=len(upload) - 1)
    assert refused.value.code == "too_large"
    assert store_image(upload, kind="photo", max_bytes=len(upload)).width == 400
    with pytest.raises(MediaRejected) as refused:
        store_image(upload, kind="photo", max_pixels=400 * 300 - 1)
    assert refused.value.code == "too_many_pixels"

    stream = EndlessStream()
    with pytest.raises(MediaRejected) as refused:
        store_image(stream, kind="photo", max_bytes=1000)
    assert refused.value.code == "too_large"
    assert stream.read_total <= 1001

    saved = app.config.get("MEDIA_MAX_BYTES")
    app.config["MEDIA_MAX_BYTES"] = 1000
    try:
        with pytest.raises(MediaRejected) as refused:
            store_image(upload, kind="photo")
        assert refused.value.code == "too_large"
    finally:
        if saved is None:
            app.config.pop("MEDIA_MAX_BYTES")
        else:
            app.config["MEDIA_MAX_BYTES"] = saved
    assert len(stored_files()) == 1


def test_rejection_codes_are_fixed():
    with pytest.raises(ValueError, match="unknown rejection code"):
        MediaRejected("too_ugly")


# ---------------------------------------------------------------- files follow the transaction


def test_rollback_removes_the_written_file(ctx, stored_files):
    media = store_image(jpeg(), kind="photo")
    path = media_path(media)
    assert path.is_file()
    db.session.rollback()
    assert not path.exists()
    assert stored_files() == []
    assert media_count() == 0


def test_commit_keeps_the_file(ctx, stored_files):
    media = store_image(jpeg(), kind="photo")
    path = media_path(media)
    db.session.commit()
    db.session.remove()
    assert path.is_file()
    assert stored_files() == [path]
    assert media_count() == 1


def test_ending_the_session_without_commit_removes_the_file(ctx, stored_files):
    store_image(jpeg(), kind="photo")
    assert len(stored_files()) == 1
    db.session.remove()  # what the app context teardown does after a failed request
    assert stored_files() == []


def test_delete_then_rollback_keeps_row_and_file(ctx):
    media = store_image(jpeg(), kind="photo")
    db.session.commit()
    path, media_id = media_path(media), media.id
    delete_media(media)
    assert path.is_file()  # not before the commit
    db.session.rollback()
    assert path.is_file()
    assert db.session.get(MediaFile, media_id) is not None
    db.session.commit()  # a later commit of other work does not remove it either
    assert path.is_file()


def test_delete_then_commit_removes_row_and_file(ctx, stored_files):
    media = store_image(jpeg(), kind="photo")
    db.session.commit()
    path, media_id = media_path(media), media.id
    delete_media(media)
    db.session.commit()
    assert not path.exists()
    assert stored_files() == []
    assert db.session.get(MediaFile, media_id) is None


def test_store_and_delete_in_one_transaction(ctx, stored_files):
    media = store_image(jpeg(), kind="photo")
    delete_media(media)
    db.session.commit()
    assert stored_files() == []
    assert media_count() == 0


def test_savepoints(ctx, stored_files):
    kept = store_image(jpeg(), kind="photo")
    kept_path = media_path(kept)

    savepoint = db.session.begin_nested()
    dropped_path = media_path(store_image(jpeg(), kind="photo"))
    savepoint.rollback()
    assert not dropped_path.exists()
    assert kept_path.is_file()

    savepoint = db.session.begin_nested()
    delete_media(kept)
    savepoint.rollback()  # the deletion is undone, so the file must stay
    db.session.commit()
    assert stored_files() == [kept_path]
    assert media_count() == 1

    savepoint = db.session.begin_nested()
    released_path = media_path(store_image(jpeg(), kind="photo"))
    savepoint.commit()
    assert released_path.is_file()
    db.session.rollback()  # the outer transaction decides
    assert not released_path.exists()
    assert stored_files() == [kept_path]


def test_failed_flush_removes_the_file_at_once(ctx, stored_files):
    given = str(uuid_lib.uuid4())
    first = store_image(jpeg(), kind="photo", uuid=given)
    first_path = media_path(first)
    db.session.commit()
    with pytest.raises(IntegrityError):
        store_image(jpeg(), kind="photo", uuid=given)
    assert stored_files() == [first_path]
    db.session.rollback()
    assert stored_files() == [first_path]


def test_schedule_file_removal_for_any_file(ctx, tmp_path):
    export = tmp_path / "erased-export.csv"
    export.write_text("x")
    schedule_file_removal(db.session, export)
    db.session.rollback()
    assert export.exists()
    schedule_file_removal(db.session, export)
    db.session.commit()
    assert not export.exists()


def test_orphan_files_are_swept(ctx, media_root, stored_files):
    kept = store_image(jpeg(), kind="photo")
    db.session.commit()
    kept_path = media_path(kept)
    old = time.time() - 3 * 3600
    folder = media_root / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    orphan = folder / ("ab" + "1" * 30 + ".jpg")
    young_orphan = folder / ("ab" + "2" * 30 + ".jpg")
    stale_temp = folder / ".tmp-x.part"
    foreign = folder / "README"
    for path in (orphan, young_orphan, stale_temp, foreign):
        path.write_bytes(b"x")
    for path in (orphan, stale_temp, foreign, kept_path):
        os.utime(path, (old, old))

    assert remove_orphan_files(older_than=dt.timedelta(hours=1)) == 2
    assert set(stored_files()) == {kept_path, young_orphan, foreign}


# ---------------------------------------------------------------- serving


def _body(response) -> bytes:
    response.direct_passthrough = False
    return response.get_data()


def test_send_media_headers(app, ctx):
    photo = store_image(jpeg(), kind="photo")
    signature = store_image(png(mode="RGBA"), kind="signature")
    db.session.commit()

    with app.test_request_context("/media/1"):
        response = send_media(photo)
        try:
            assert response.status_code == 200
            assert response.mimetype == "image/jpeg"
            assert response.headers["Content-Type"] == "image/jpeg"
            assert response.headers["Content-Disposition"] == f'inline; filename="{photo.uuid}.jpg"'
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "private, no-store"
            assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
            assert _body(response) == media_path(photo).read_bytes()
        finally:
            response.close()

        response = send_media(signature, as_attachment=True)
        try:
            assert response.headers["Content-Type"] == "image/png"
            assert response.headers["Content-Disposition"] == (
                f'attachment; filename="{signature.uuid}.png"'
            )
            # After the app's own after_request hooks: still sandboxed, still not stored.
            response = app.process_response(response)
            assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert "no-store" in response.headers["Cache-Control"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        finally:
            response.close()


def test_send_media_never_serves_html_or_svg(app, ctx):
    media = store_image(jpeg(), kind="photo")
    db.session.commit()
    for tampered in ("text/html", "image/svg+xml", "text/plain"):
        media.content_type = tampered  # as if the row had been changed behind our back
        with app.test_request_context("/media/1"):
            response = send_media(media)
            try:
                assert response.headers["Content-Type"] == "application/octet-stream"
                assert response.headers["Content-Disposition"].startswith("attachment;")
            finally:
                response.close()
    db.session.rollback()


def test_send_media_of_a_missing_file_is_not_found(app, ctx):
    media = store_image(jpeg(), kind="photo")
    db.session.commit()
    media_path(media).unlink()
    with app.test_request_context("/media/1"), pytest.raises(NotFound):
        send_media(media)

"""/media/ as a browser gets it: through a real WSGI server, headers counted in the raw bytes."""

from __future__ import annotations

import io
import socket
import threading
import uuid as uuid_module

import pytest
from PIL import Image
from werkzeug.serving import WSGIRequestHandler, make_server


class _HTTP11(WSGIRequestHandler):
    """HTTP/1.1, as gunicorn speaks it: a response without a length would go chunked."""

    protocol_version = "HTTP/1.1"


@pytest.fixture
def served(app):
    """The app under Werkzeug's WSGI server on a free local port (it adds its own Date)."""
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=_HTTP11)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def raw_get(port: int, path: str, cookie: str, extra: str = "") -> bytes:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        f"{extra}Connection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request.encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def header_lines(response: bytes) -> list[str]:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    return head.split("\r\n")[1:]


def test_media_responses_carry_one_date_header(app, served, as_co_researcher, consent_study):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    photo_id = str(uuid_module.uuid4())
    saved = as_co_researcher.post(
        f"/studies/{consent_study.id}/observations/new",
        data={
            "uuid": str(uuid_module.uuid4()),
            "themes": ["facilities"],
            "note": "Kapotte lantaarn.",
            "place_description": "Bij de bushalte",
            "photos": [(io.BytesIO(buffer.getvalue()), "IMG_1.png")],
            "photo_id": [photo_id],
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = f"{name}={as_co_researcher.get_cookie(name).value}"

    response = raw_get(served, f"/media/{photo_id}", cookie)
    assert response.split(b" ", 2)[1] == b"200"
    lines = header_lines(response)
    assert [line for line in lines if line.lower().startswith("date:")] != []
    assert len([line for line in lines if line.lower().startswith("date:")]) == 1, lines
    assert response.split(b"\r\n\r\n", 1)[1].startswith(b"\xff\xd8\xff")  # a JPEG
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    assert length == len(response.split(b"\r\n\r\n", 1)[1])

    # A conditional request answered 304 has one Date too.
    etag = next(line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("etag:"))
    again = raw_get(served, f"/media/{photo_id}", cookie, f"If-None-Match: {etag}\r\n")
    assert again.split(b" ", 2)[1] == b"304"
    assert len([line for line in header_lines(again) if line.lower().startswith("date:")]) == 1

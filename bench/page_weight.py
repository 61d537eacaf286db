"""Question page weight: what a phone downloads for an interview page, gzip-compressed.

First load: the page's HTML plus every resource it references (stylesheets, scripts, icons,
images such as the scale pictograms, and whatever the stylesheets reference in turn), each
compressed with gzip level 6 as a proxy would send it. Later page: the HTML of a page alone,
the resources being cached (their URLs carry a content hash and are served "immutable").

Measured on the demo questionnaire "Buurtgesprek", logged in as co-researcher samira, for a
plain question page (the number question "jaren_in_buurt") and for the heaviest page, the
group "ontmoeten" with its multiple choice and the five scale pictograms; in every language
of samira's consented participants (Arabic and Dutch), the heaviest figure counts.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from _common import DEMO_PASSWORD, DEMO_USER, gzip_size, log, main, metric, temp_dir, test_app

FIRST_LOAD_BUDGET = 30 * 1024
LATER_PAGE_BUDGET = 6 * 1024
PLAIN_PAGE = "jaren_in_buurt"
GROUP_PAGE = "ontmoeten"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _References(HTMLParser):
    """The same-page resources an HTML document makes a browser fetch."""

    LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and set(a.get("rel", "").lower().split()) & self.LINK_RELS:
            self.found.append((a.get("rel", "link").split()[0], a.get("href", "")))
        elif tag == "script" and a.get("src"):
            self.found.append(("script", a["src"]))
        elif tag in ("img", "source", "input", "video", "audio", "iframe"):
            for key in ("src", "poster"):
                if a.get(key) and not (tag == "input" and a.get("type") != "image"):
                    self.found.append((tag, a[key]))
            for candidate in a.get("srcset", "").split(","):
                if candidate.strip():
                    self.found.append((tag, candidate.split()[0]))
        if a.get("style"):
            self.found.extend(("inline-style", u) for u in _css_urls(a["style"]))


def _css_urls(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in CSS_URL.finditer(text)]


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("#", "data:"))


def resources(client, page_url: str, html: str) -> list[dict]:
    """Fetch every resource the page references, recursively through stylesheets."""
    parser = _References()
    parser.feed(html)
    queue = [(kind, urljoin(page_url, url)) for kind, url in parser.found if _local(url)]
    seen: dict[str, dict] = {}
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        body = response.get_data()
        seen[url] = {
            "url": url,
            "kind": kind,
            "content_type": response.content_type,
            "bytes": len(body),
            "gzip_bytes": gzip_size(body),
            "cache_control": response.headers.get("Cache-Control", ""),
        }
        if response.mimetype == "text/css":
            queue.extend(
                ("from-css", urljoin(url, u)) for u in _css_urls(body.decode()) if _local(u)
            )
    return list(seen.values())


def _page(client, url: str) -> tuple[str, bytes]:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return url, response.get_data()


def _next(client, url: str, data: dict) -> str:
    """Answer a page with "Next"; the URL of the page it leads to."""
    response = client.post(url, data={**data, "action": "next"})
    if response.status_code != 302:
        raise RuntimeError(f"POST {url} answered {response.status_code}: {data}")
    return urlsplit(response.headers["Location"]).path


def walk_interview(client, participant_id: int, version_id: int) -> dict[str, dict]:
    """Start an interview and go through it; each page's HTML by the name of its item."""
    response = client.post(
        f"/participants/{participant_id}/interviews",
        data={"uuid": str(uuid_module.uuid4()), "version_id": str(version_id)},
    )
    if response.status_code != 302 or "/interviews/" not in response.headers["Location"]:
        raise RuntimeError(f"starting an interview answered {response.status_code}")
    url = urlsplit(response.headers["Location"]).path
    answers = [
        ("welkom", {}),
        (PLAIN_PAGE, {"q_jaren_in_buurt": "12"}),
        (GROUP_PAGE, {"q_plekken": ["park", "markt"], "q_gevoel": "4"}),
        ("belemmering", {"q_belemmering": "yes"}),
        ("wat_houdt_tegen", {"q_wat_houdt_tegen": "Het buurthuis is vaak dicht."}),
    ]
    pages = {}
    for name, data in answers:
        url, html = _page(client, url)
        pages[name] = {"url": url, "html": html}
        url = _next(client, url, data)
    if "/submit" not in url:
        raise RuntimeError(f"the interview did not end at the submit page but at {url}")
    return pages


def run(quick: bool) -> dict:  # the same in a quick run: it takes two seconds
    with temp_dir("pages") as name, test_app(Path(name)) as app:
        from sqlalchemy import select

        from fieldapp.accounts.models import User
        from fieldapp.consent import services as consent
        from fieldapp.demo import DEMO_STUDY_SLUG, seed_demo
        from fieldapp.extensions import db
        from fieldapp.instruments.services import published_instruments
        from fieldapp.participants.models import Participant
        from fieldapp.studies.models import Study

        seed_demo()
        db.session.commit()
        study = db.session.scalar(select(Study).where(Study.slug == DEMO_STUDY_SLUG))
        version = published_instruments(study, "questionnaire")[0].current_version
        samira = db.session.scalar(select(User).where(User.username == DEMO_USER))
        participants = []
        for participant in db.session.scalars(
            select(Participant)
            .where(Participant.study_id == study.id, Participant.created_by_id == samira.id)
            .order_by(Participant.id)
        ):
            try:
                consent.require_consent(participant)
            except consent.ConsentRequired:
                continue
            participants.append((participant.id, participant.language))
        if not participants:
            raise RuntimeError("samira has no consented participant in the demo")

        client = app.test_client()
        response = client.post("/login", data={"username": DEMO_USER, "password": DEMO_PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"login answered {response.status_code}")

        measured = []
        for participant_id, language in participants:
            pages = walk_interview(client, participant_id, version.id)
            for page_name, page in pages.items():
                html = page["html"]
                found = resources(client, page["url"], html.decode())
                measured.append(
                    {
                        "page": page_name,
                        "language": language,
                        "url": page["url"],
                        "html_bytes": len(html),
                        "html_gzip_bytes": gzip_size(html),
                        "resources": found,
                        "first_load_gzip_bytes": gzip_size(html)
                        + sum(r["gzip_bytes"] for r in found),
                    }
                )
                log(
                    f"  {language} {page_name:<16} html {len(html):>6} B, gzip "
                    f"{gzip_size(html):>5} B; first load {measured[-1]['first_load_gzip_bytes']} B"
                )

    def heaviest(page_name: str) -> dict:
        return max(
            (m for m in measured if m["page"] == page_name),
            key=lambda m: m["first_load_gzip_bytes"],
        )

    plain, group = heaviest(PLAIN_PAGE), heaviest(GROUP_PAGE)
    return {
        "name": "page_weight",
        "metrics": [
            metric(
                f"first load, plain question page ({plain['language']})",
                plain["first_load_gzip_bytes"],
                "B",
                FIRST_LOAD_BUDGET,
            ),
            metric(
                f"first load, group page with scale ({group['language']})",
                group["first_load_gzip_bytes"],
                "B",
                FIRST_LOAD_BUDGET,
            ),
            metric(
                f"later page HTML, plain question page ({plain['language']})",
                max(m["html_gzip_bytes"] for m in measured if m["page"] == PLAIN_PAGE),
                "B",
                LATER_PAGE_BUDGET,
            ),
            metric(
                f"later page HTML, group page with scale ({group['language']})",
                max(m["html_gzip_bytes"] for m in measured if m["page"] == GROUP_PAGE),
                "B",
                LATER_PAGE_BUDGET,
            ),
            metric(
                "later page HTML, heaviest page of the interview",
                max(m["html_gzip_bytes"] for m in measured),
                "B",
                LATER_PAGE_BUDGET,
            ),
        ],
        "details": {"pages": measured},
    }


if __name__ == "__main__":
    main("page_weight", run, __doc__.splitlines()[0])

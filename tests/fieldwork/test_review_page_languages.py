"""The interview review page in Arabic: every answer carries its own language and direction,
numbers follow the page's direction, and several choices are joined the Arabic way.

The demo's two interviews are used: one held in Arabic (several places chosen, a number) and
one held in Dutch (a Dutch free-text answer).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from babel.lists import format_list
from sqlalchemy import select

from fieldapp.extensions import db
from tests.browser.conftest import DEMO_PASSWORDS

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found


class TreeBuilder(HTMLParser):
    """A small HTML tree (the standard library has no HTML parser that builds one)."""

    def __init__(self):
        super().__init__()
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


def answers_by_question(page: Node) -> dict[str, tuple[Node, Node]]:
    """{question label: (dt, dd)} of the page's answer list."""
    lists = [dl for dl in page.find_all("dl") if "answers" in dl.attrs.get("class", "")]
    assert len(lists) == 1
    items = [c for c in lists[0].children if isinstance(c, Node)]
    pairs = {}
    for dt, dd in zip(items[::2], items[1::2], strict=True):
        assert (dt.tag, dd.tag) == ("dt", "dd")
        pairs[" ".join(dt.text().split())] = (dt, dd)
    return pairs


@pytest.fixture
def demo_interviews(app):
    """The demo seeded; {language of the interview: uuid}."""
    from fieldapp.demo import seed_demo
    from fieldapp.fieldwork.models import Interview

    with app.app_context():
        seed_demo()
        db.session.commit()
        rows = db.session.execute(select(Interview.language, Interview.uuid)).all()
        db.session.remove()
    return dict(rows)


@pytest.fixture
def as_demo_coordinator(client):
    response = client.post(
        "/login", data={"username": "coordinator", "password": DEMO_PASSWORDS["coordinator"]}
    )
    assert response.status_code == 302
    return client


def review_page(client, uuid: str) -> Node:
    response = client.get(f"/interviews/{uuid}?lang=ar")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    html = page.find_all("html")[0]
    assert (html.attrs["lang"], html.attrs["dir"]) == ("ar", "rtl")
    return page


def test_dutch_answer_on_arabic_review_page_has_its_language_and_direction(
    demo_interviews, as_demo_coordinator
):
    page = review_page(as_demo_coordinator, demo_interviews["nl"])
    answers = answers_by_question(page)

    dt, dd = answers["ما الذي يمنعك؟"]  # "What stops you?", shown in Arabic
    assert dt.attrs.get("lang") == "ar"
    assert dd.text().strip() == "Ik ken de taal nog niet goed en het buurthuis is vaak dicht."
    assert dd.attrs.get("lang") == "nl"
    assert dd.attrs.get("dir") == "auto"


def test_numbers_follow_the_page_direction_and_choices_join_the_arabic_way(
    demo_interviews, as_demo_coordinator
):
    page = review_page(as_demo_coordinator, demo_interviews["ar"])
    answers = answers_by_question(page)

    _, years = answers["منذ كم سنة تسكن في هذا الحي؟"]
    # The box takes the page's direction (so the number stands at the right, where the
    # Arabic text starts); only the number itself is isolated, left to right.
    assert "dir" not in years.attrs
    assert [b.attrs.get("dir") for b in years.find_all("bdi")] == ["ltr"]
    assert years.text().strip() == "12"

    _, places = answers["أين تلتقي بالسكان الآخرين؟"]
    assert "dir" not in places.attrs
    joined = " ".join(places.text().split())
    assert joined == format_list(["السوق", "المركز المجتمعي"], locale="ar")
    assert "," not in joined
    assert [b.attrs.get("lang") for b in places.find_all("bdi")] == ["ar", "ar"]


def test_participant_code_in_the_heading_is_isolated(demo_interviews, as_demo_coordinator):
    page = review_page(as_demo_coordinator, demo_interviews["ar"])
    heading = page.find_all("h1")[0]
    assert len(heading.find_all("bdi")) == 1


def _bdi_texts(page: Node) -> list[str]:
    return [" ".join(b.text().split()) for b in page.find_all("bdi")]


def test_names_and_codes_are_isolated_in_arabic_pages(app, demo_interviews, as_demo_coordinator):
    """Latin names and codes inside Arabic sentences and lists sit in <bdi>, so they keep
    their own direction (the footer, the study's member list, the review list)."""
    from fieldapp.studies.models import Study

    with app.app_context():
        study_id = db.session.scalar(select(Study.id).where(Study.slug == "samen-in-de-buurt"))
        db.session.remove()
    client = as_demo_coordinator

    study = parse(client.get(f"/studies/{study_id}?lang=ar").get_data(as_text=True))
    names = _bdi_texts(study)
    assert "Chris Coördinator" in names  # the footer's "Logged in as ..." and the members
    assert {"Samira El Idrissi", "Piotr Nowak"} <= set(names)

    response = client.get(f"/studies/{study_id}/review?state=submitted&lang=ar")
    assert response.status_code == 200
    review = _bdi_texts(parse(response.get_data(as_text=True)))
    assert "Samira El Idrissi" in review
    assert any(text.count("-") == 1 and text.isupper() for text in review), review

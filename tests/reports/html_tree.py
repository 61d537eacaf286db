"""A small element tree built with the standard library's HTML parser, so that tests can ask
which language and direction a piece of text is marked with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def squeezed(self) -> str:
        return " ".join(self.text().split())

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            wanted = {k.rstrip("_"): v for k, v in attrs.items()}
            if all(element.attrs.get(k) == v for k, v in wanted.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def ancestors(self) -> Iterator[Element]:
        node = self
        while node is not None:
            yield node
            node = node.parent

    def language(self) -> str | None:
        """The language the element is in: the nearest `lang` attribute."""
        for node in self.ancestors():
            if "lang" in node.attrs:
                return node.attrs["lang"]
        return None

    def is_isolated(self) -> bool:
        """Its direction is worked out on its own: the element, or one of its ancestors up to
        the one that sets its language, is a <bdi> or carries `dir`."""
        for node in self.ancestors():
            if node.tag == "bdi" or "dir" in node.attrs:
                return True
            if "lang" in node.attrs:
                return False
        return False

    def innermost(self, text: str) -> list[Element]:
        """Every innermost element whose text holds `text` (spaces squeezed): it holds the text,
        and none of its child elements does on its own."""
        wanted = " ".join(text.split())
        return [
            element
            for element in self.iter()
            if wanted in element.squeezed()
            and not any(
                isinstance(child, Element) and wanted in child.squeezed()
                for child in element.children
            )
        ]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        for node in self.current.ancestors():
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root

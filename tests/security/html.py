"""A small HTML reader for the security tests: the tags a browser would build, and the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Tag:
    """One start tag with its attributes (names lower-cased, values unescaped)."""

    name: str
    attrs: dict[str, str]


@dataclass
class Form:
    """A form: its method, action and the names of the fields inside it."""

    method: str
    action: str
    fields: list[str] = field(default_factory=list)


class PageReader(HTMLParser):
    """Collects every start tag, the forms, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.forms: list[Form] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self.tags.append(Tag(tag.lower(), values))
        if tag == "form":
            self.forms.append(Form(values.get("method", "get").lower(), values.get("action", "")))
        elif tag in ("input", "textarea", "select", "button") and self.forms:
            if values.get("name"):
                self.forms[-1].fields.append(values["name"])
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def read_page(html: str) -> PageReader:
    """Parse a page."""
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")


def active_content(html: str) -> list[str]:
    """Everything on the page that would run script: inline scripts, handlers, script URLs."""
    page = read_page(html)
    found = []
    for tag in page.tags:
        if tag.name == "script" and tag.attrs.get("src", "") != "/static/js/app.js":
            found.append(f"<script {tag.attrs}>")
        if tag.name in ("iframe", "object", "embed", "base"):
            found.append(f"<{tag.name}>")
        if tag.name == "meta" and tag.attrs.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in tag.attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag.name} {name}=…>")
            compact = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and compact.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                found.append(f"<{tag.name} {name}={value[:40]}>")
    found += [f"inline script: {s[:60]}" for s in page.scripts if s.strip()]
    return found

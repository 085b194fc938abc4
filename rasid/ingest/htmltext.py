"""A page's whole text, for pages trafilatura cannot read: Python's own HTML tokenizer has no depth
limit, where libxml2 (under trafilatura and lxml) stops at 256 levels and drops what is deeper."""
from __future__ import annotations

import re
from html.parser import HTMLParser

DEEP = 250  # nesting past which libxml2 loses the text
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_HIDDEN = {"script", "style", "noscript", "template", "head", "svg"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.depth = self.max_depth = self.hidden = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        self.hidden = 0 if tag == "body" else self.hidden + (tag in _HIDDEN)
        self.in_title = self.in_title or tag == "title"
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> tuple[str, str, int]:
    """(text, title, deepest nesting) of an HTML page, every text node outside scripts and styles."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", "".join(parser.parts)))
    title = _SPACES.sub(" ", "".join(parser.title)).strip()
    return "\n".join(line.strip() for line in text.strip().splitlines()), title, parser.max_depth

"""CommonMark for campaign text fields: raw HTML off, only web and mail links allowed."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_SCHEMES = ("https://", "http://", "mailto:")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    # Images would make campaign text fetch files; the templates own every image.
    md.disable("image")
    # Accept every link here: check_links() reports the bad ones with their field and line,
    # instead of markdown-it silently printing them as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _parser()


def link_problems(text: str) -> list[str]:
    """Return a message for each link in ``text`` that is not an absolute web or mail link."""
    return [message for _href, message in bad_links(text)]


def bad_links(text: str) -> list[tuple[str, str]]:
    """(target as written, message) of each link in ``text`` that is not an absolute web or
    mail link."""
    problems = []
    for token in _MD.parse(text):
        for child in [token, *(token.children or [])]:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not href.lower().startswith(ALLOWED_SCHEMES):
                    problems.append(
                        (
                            href,
                            f"link '{href}' is not allowed: links must start with "
                            "https://, http:// or mailto:",
                        )
                    )
    return problems


@lru_cache(maxsize=4096)
def render(text: str) -> Markup:
    """Render Markdown ``text`` to HTML block content (paragraphs, lists, emphasis, links)."""
    return Markup(_MD.render(text))

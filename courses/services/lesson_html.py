"""Lesson text is written in the review site as HTML; it is cleaned with nh3 (the Ammonia
sanitiser) before it is stored, so a lesson can carry headings, lists, links and images but no
script, no event handler and no inline style (the site's Content-Security-Policy forbids them)."""

from __future__ import annotations

import nh3

LESSON_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "q",
    "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
LESSON_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
LESSON_URL_SCHEMES = {"https", "http", "mailto"}


def lesson_html_sanitised(html: str) -> str:
    """The lesson HTML with everything but the allowed tags, attributes and link schemes
    removed; links open with ``rel="noopener noreferrer"``."""
    return nh3.clean(
        html,
        tags=LESSON_TAGS,
        attributes=LESSON_ATTRIBUTES,
        url_schemes=LESSON_URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()

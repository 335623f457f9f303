"""The one exception the content checks raise."""

from __future__ import annotations

# The answer for anything that is not one of the accepted kinds of file, whatever its name.
NOT_ACCEPTED = "is not a PDF, Word document or image"


class ContentRefused(Exception):
    """A file refused for what it holds. ``reason`` completes a sentence that starts with the
    file's name in quotes, e.g. "contains macros, which are not accepted. …"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

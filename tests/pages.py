"""Reading a page in a test without its random parts.

A page carries the CSRF token (64 random letters and digits, several times: the logout form, the language
switcher, htmx's header). A test that asserts a word is *absent* from the page ("zip", "True", "cdn") fails
now and then when the token happens to spell it. ``page_text`` removes the tokens first.
"""

import re

_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def page_text(page):
    """The page's text (a response, bytes or str) without CSRF tokens."""
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode("utf-8-sig")
    return _TOKEN.sub("", page)

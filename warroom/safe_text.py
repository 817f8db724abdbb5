"""Text that came from data, made safe for st.markdown and for HTML blocks alike.

`html.escape` is not enough inside st.markdown: a blank line ends an HTML block and what follows
is read as markdown (`![x](http://host/x.png)` then makes the browser fetch an image), and in a
paragraph the markdown syntax works even between tags. So every text from data (names of
cameras, places, agencies, indicators, applications, user names) goes through `text`:

- runs of whitespace (new lines, tabs, blank lines) become one space, control characters go;
- HTML's special characters and every ASCII punctuation mark that markdown, Streamlit's
  directives (`:red[...]`, `$math$`) or GFM autolinks use are written as numeric character
  references (`[` -> `&#91;`). Both markdown and HTML show a reference as the character itself,
  and neither reads it as syntax, so the text shows exactly as sent and does nothing.
"""
from __future__ import annotations

import re

# Letters, digits, spaces and `.`, `,`, `-`, `:` stay as they are (codes, names, numbers and
# "Label: value" read naturally in the page source and in tests: inside one line none of them
# starts markdown syntax once `[`, `/`, `*` ... around them are references); every other ASCII
# punctuation mark becomes a reference.
_SPECIAL = frozenset("!\"#$%&'()*+/;<=>?@[\\]^_`{|}~")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_WWW = re.compile(r"(?i)(www)\.")   # a GFM autolink starts at "www."


def text(value: object) -> str:
    """`value` as one line of inert text for st.markdown or an HTML block (see module doc)."""
    if value is None:
        return ""
    s = _CONTROL.sub("", _SPACE.sub(" ", str(value))).strip()
    s = "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in s)
    return _WWW.sub(r"\1&#46;", s)

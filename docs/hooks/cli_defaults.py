"""mkdocs hook: real defaults in the CLI page's option tables.

click 8.3 marks "no default given" with a sentinel, which mkdocs-click 0.9
prints as `Sentinel.UNSET` in every default cell.  For a flag that means
``False``; for any other option, no value (``None``).  mkdocs-click expands
its tables while the Markdown is converted, so the fix is made on the HTML.
"""

from __future__ import annotations

import re

_CELLS = re.compile(
    r"(<td>(?P<type>(?:(?!</td>).)*)</td>\s*<td>(?:(?!</td>).)*</td>\s*<td>)<code>Sentinel\.UNSET</code>(</td>)", re.DOTALL
)


def unset_to_defaults(html: str) -> str:
    def real(match: re.Match) -> str:
        default = "<code>False</code>" if match.group("type").strip() == "boolean" else "None"
        return match.group(1) + default + match.group(3)

    return _CELLS.sub(real, html)


def on_page_content(html: str, **kwargs) -> str:
    return unset_to_defaults(html)

"""Whether every comment of a real file survives each conversion, once.

    python benchmarks/realworld/comments.py                 # every extracted file, four styles
    python benchmarks/realworld/comments.py --set fresh40   # one session's files
    python benchmarks/realworld/comments.py resnet unet     # files whose name has these

Converts each manifest file in-process (no TensorFlow) to each style and, for every
conversion that exits 0 with new text, counts the file's comments before and after, as
black writes them (``#x`` is ``# x``).  A row that loses a comment, or writes one more
often than the file did, is listed with those comments.  Where a comment stands is not
judged here (tests/test_comments.py and the fixtures do that); that none goes missing or
doubles is, on code nobody on the project wrote.  Two rows are so on purpose: two helpers
the file defines twice with the same code become one Layer class, whose comments are then
written once (rewrite/shared_classes.py), and a helper the rest of the file still calls stays
beside the Layer class written from it, each with the helper's comments.
"""

from __future__ import annotations

import argparse
import io
import sys
import tokenize
from collections import Counter

from measure import FILES, TARGETS, entries

from kconvert.convert import convert_source
from kconvert.rewrite.splice import comment_key
from kconvert.types import Converted, Options


def comments(text: str) -> Counter[str] | None:
    """The file's comments, as black writes them; None when the tokenizer cannot read it."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return Counter(comment_key(token.string.strip()) for token in tokens if token.type == tokenize.COMMENT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only files whose name contains one of these")
    parser.add_argument("--set", default="all", help="tune, report, all, or a session's fresh files (fresh9)")
    args = parser.parse_args(argv)
    chosen = [e for e in entries(args.set) if not args.names or any(w in e["name"] for w in args.names)]
    rows = lost_rows = doubled_rows = 0
    for entry in chosen:
        path = FILES / entry["name"]
        if not path.is_file():
            print(f"not extracted (run `measure.py extract`): {entry['name']}")
            return 1
        text = path.read_text(encoding="utf-8")
        before = comments(text)
        for target in TARGETS:
            try:
                result = convert_source(text, target, Options(), path=entry["name"])
            except Exception as error:  # a crash is measure.py's finding; here it is only not a row
                print(f"{entry['name']} -> {target}: crashed ({type(error).__name__})")
                continue
            if before is None or not isinstance(result, Converted) or result.source == text:
                continue
            rows += 1
            after = comments(result.source) or Counter()
            lost, doubled = before - after, after - before
            lost_rows += bool(lost)
            doubled_rows += bool(doubled)
            for word, found in (("loses", lost), ("doubles", doubled)):
                if found:
                    print(f"{entry['name']} -> {target} {word}: {sorted(found.elements())[:6]}")
    print(f"{rows} conversions that changed a file: {lost_rows} lose a comment, {doubled_rows} write one twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m kconvert``: the same command line as the ``kconvert`` script."""

from .cli import main

main(prog_name="kconvert")

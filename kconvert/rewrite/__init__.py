"""Putting emitted code back into the file: splicing statements and fixing imports."""

"""The verification worker: the only code of kconvert that imports TensorFlow.

It runs as ``python -m kconvert.verify.worker`` in a subprocess started by
``kconvert.verify.Worker``; nothing in the parent process may import this package's
modules other than this docstring-only ``__init__``.

* ``__main__``  the request loop (JSON lines on stdin/stdout), TensorFlow imported once
* ``build``     runs a model slice and records where each layer was created
* ``trace``     one forward pass, recording the model's direct layer calls in order
* ``inputs``    seeded inputs shaped like the model's inputs
* ``compare``   weight matching, weight copy, output comparison, first difference
* ``summary``   layer tables and parameter counts
* ``pair``      verifies one (original, converted) pair with all of the above
"""

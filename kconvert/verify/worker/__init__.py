"""The verification worker: the only code of kconvert that imports TensorFlow.

It runs as ``python -m kconvert.verify.worker`` in a subprocess started by
``kconvert.verify.Worker``; nothing in the parent process may import this package's
modules other than this docstring-only ``__init__``.

* ``__main__``  the request loop (JSON lines on stdin/stdout), TensorFlow imported once
* ``build``     runs a model slice and records where each layer was created
* ``trace``     one forward pass, recording the model's direct layer calls and the
                tensors each reads and writes
* ``graph``     the original's pass as a dataflow graph
* ``match``     pairs the converted model's calls with the original's by dataflow,
                copying weights as it goes
* ``inputs``    seeded inputs shaped like the model's inputs
* ``compare``   weight noise, output comparison, first difference
* ``config``    the paired layers' configurations, key by key
* ``training``  the seeded training-mode pass, with the same randomness in both
* ``seeds``     every global random seed, set before each build and pass
* ``legacy``    Keras 2 module paths Keras 3 removed (``keras.layers.convolutional``),
                served as the modules their names live in now
* ``guard``     resource limits, and the stand-in parent that model code may kill
* ``summary``   layer tables and parameter counts
* ``pair``      verifies one (original, converted) pair with all of the above
"""

"""Reading a ``keras.Model`` subclass: the class, its ``__init__``, its ``call`` and the loops in it, its input shape."""

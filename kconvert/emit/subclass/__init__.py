"""Writing a ``keras.Model`` subclass: the class, its ``__init__``, helper blocks as ``Layer`` classes, names."""

"""Reading a ``keras.Sequential`` model: its list or ``.add()`` statements, lifted into the IR."""

"""Writing a ``keras.Sequential`` model: the chain the graph is, then the list."""

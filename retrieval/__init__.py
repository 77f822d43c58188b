"""The engine: question analysis, search, the learned reader and composition of answers."""

"""Question analysis: what a question asks, read once and handed to every later stage."""

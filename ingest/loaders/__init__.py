"""One module per input format; each turns bytes into `Article`s or raises `SourceError`."""

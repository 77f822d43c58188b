"""`python -m ingest`: the same as `news-ingest`."""

from ingest.cli import main

raise SystemExit(main())

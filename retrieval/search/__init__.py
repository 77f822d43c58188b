"""Retrieval: the passage store and its embedder, BM25 beside it, the filters a question
carries, and the ranking of what both find (fusion, reranking, duplicates)."""

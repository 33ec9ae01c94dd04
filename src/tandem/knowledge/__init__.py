"""Knowledge bases: documents in, structured chunks, hybrid (BM25 + vector) retrieval."""

"""The knowledge product: knowledge bases over HTTP (the retrieval engine is `tandem.knowledge`)."""

"""Static assets served by Tandem (the chat widget)."""

"""The productivity assistant: documents, decks and workbooks in and out, over the platform's
own models (so every call keeps the keys, quotas, safety and ledger of any other)."""

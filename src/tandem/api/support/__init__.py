"""The support assistant surface: chat, tickets, feedback, analytics, widget."""

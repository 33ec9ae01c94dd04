"""The customer-service assistant: grounded answers, handoff to people, tickets, widget."""

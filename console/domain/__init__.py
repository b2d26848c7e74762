"""Records every stage shares: alerts, events, health, ground geometry, text helpers."""

"""Central sync: outbox push, evidence upload, and pull of other consoles' alert changes."""

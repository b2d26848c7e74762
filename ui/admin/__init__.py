"""Administration: first administrator, login and lock screen, zone editor, statistics."""

"""RoadWatch desktop interface (PySide6). Observes the core; never owns its threads' logic."""

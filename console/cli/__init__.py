"""The ``roadwatch`` command and its subcommands (one module per command group)."""

"""Local cache: models, single writer, queries, migrations, retention."""

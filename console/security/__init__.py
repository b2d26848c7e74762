"""Users, roles and permissions, the hash-chained audit trail, secrets and signing keys."""

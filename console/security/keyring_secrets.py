"""Moved to console.config.keyring_secrets: secrets kept in the OS keyring.

Only console/cli/security.py still imports these names from here; delete this module once
it imports them from console.config.keyring_secrets.
"""

from console.config.keyring_secrets import KeyringUnavailableError as KeyringUnavailableError
from console.config.keyring_secrets import store_keyring_secret as store_keyring_secret

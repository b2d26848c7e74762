"""Moved to console.config.secrets: a site file's secret references and their redaction.

Only console/cli/security.py, sync.py and analyze_status.py still import these names from
here; delete this module once they import them from console.config.secrets.
"""

from console.config.secrets import MissingSecretError as MissingSecretError
from console.config.secrets import env_references as env_references
from console.config.secrets import lookup_secret as lookup_secret
from console.config.secrets import mask_url as mask_url

"""Users from a provisioning file, for IT rolling out many consoles (no passwords in clear).

```yaml
users:
  - username: admin
    role: admin
    password_hash: "$argon2id$v=19$m=65536,t=3,p=4$..."   # roadwatch user hash-password
  - username: op.nguyen
    role: operator
    password_env: RW_PASSWORD_OP_NGUYEN                   # read from the environment once
```
Users that exist already are left unchanged. On a store without users the file may be
applied without logging in (first run); afterwards only an administrator may apply it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from console.config.yaml_lines import YamlFileError, load_yaml_file
from console.security.accounts import AccountError, Accounts, check_password
from console.security.roles import Role, UserSession

_FIELDS = {"username", "role", "password_hash", "password_env"}


class ProvisioningError(ValueError):
    """The provisioning file is unusable; nothing was created."""


def _entries(path: Path) -> list[Mapping[str, str]]:
    try:
        data = load_yaml_file(path).data
    except YamlFileError as exc:
        where = f":{exc.line}" if exc.line else ""
        raise ProvisioningError(f"{path}{where}: {exc.message}") from None
    users = data.get("users") if isinstance(data, Mapping) else None
    if not isinstance(users, list) or not users:
        raise ProvisioningError(f"{path}: expected a 'users:' list")
    for number, entry in enumerate(users, start=1):
        if not isinstance(entry, Mapping):
            raise ProvisioningError(f"{path}: user #{number} is not a mapping")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ProvisioningError(f"{path}: user #{number}: unknown field {sorted(unknown)[0]!r}")
        if "password" in entry or ("password_hash" in entry) == ("password_env" in entry):
            raise ProvisioningError(
                f"{path}: user #{number} needs exactly one of password_hash or password_env "
                "(clear-text passwords are not accepted)"
            )
        if entry.get("role") not in {role.value for role in Role}:
            raise ProvisioningError(
                f"{path}: user #{number}: role must be one of {[r.value for r in Role]}"
            )
    return users


def provision_users(accounts: Accounts, path: Path, by: UserSession | None) -> list[str]:
    """Create the file's users that do not exist yet; returns their names."""
    users: list[tuple[str, str, Role]] = []
    for entry in _entries(path):
        username = str(entry["username"])
        if "password_env" in entry:
            password = os.environ.get(str(entry["password_env"]))
            if password is None:
                raise ProvisioningError(
                    f"{path}: user {username}: environment variable "
                    f"{entry['password_env']} is not set"
                )
            try:
                hashed = accounts.hasher.hash(check_password(password, username))
            except AccountError as exc:
                raise ProvisioningError(f"{path}: user {username}: {exc}") from None
        else:
            hashed = str(entry["password_hash"])
        users.append((username, hashed, Role(entry["role"])))
    try:
        return accounts.provision(by, users)
    except AccountError as exc:
        raise ProvisioningError(f"{path}: {exc}") from None

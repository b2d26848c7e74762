"""``roadwatch provision``: install a site file and its model on this machine, or upgrade them.

Everything that can be refused is checked before the first write: the site file (the same
errors as ``check-config``), the model it names, the central URL, the secrets to store and
the administrator's password. Then the model and the site file are copied in (each written
under a temporary name and renamed), the previous site file is kept in ``backups/``, secrets
go to the OS keyring and the first administrator is created. User data (local database,
evidence, recordings, accounts) is never replaced; an existing database is only migrated,
with a backup first, as at every start.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from console.atomic_files import write_text_atomic
from console.config.keyring_secrets import (
    KeyringUnavailableError,
    keyring_available,
    keyring_secret,
    store_keyring_secret,
)
from console.config.secrets import ENV_REFERENCE, env_references
from console.config.site_file import (
    AnyEnvironment,
    ConfigError,
    SiteConfig,
    load_site,
    load_site_text,
)
from console.detect.model import DEMO_MODEL_NAME, _is_downloadable_name
from console.install.layout import InstallLayout
from console.paths import data_dir as default_data_dir
from console.security.accounts import AccountError, Accounts, check_password, check_username
from console.security.audit import AuditLog
from console.store.local import LocalStore, default_store_path
from console.store.migrate import SchemaTooNewError, refuse_unknown_revision


class ProvisionError(ValueError):
    """Provisioning was refused; the message says why and nothing was written."""


@dataclass(frozen=True, slots=True)
class ProvisionRequest:
    """What to install, and where.

    Secret values and the password come from callables (environment variable or terminal,
    never argv), called only once the site file and the request have passed their checks.
    """

    site_file: Path
    layout: InstallLayout
    central_url: str | None = None
    central_password: Callable[[], str] | None = None
    secrets: Mapping[str, Callable[[], str]] = field(default_factory=dict)
    admin: str | None = None
    admin_password: Callable[[], str] | None = None
    owner: str | None = None


@dataclass
class ProvisionReport:
    site_file: Path
    data_dir: Path
    site_changed: bool = False
    backup: Path | None = None
    model: str = ""
    secrets_stored: list[str] = field(default_factory=list)
    secrets_missing: list[str] = field(default_factory=list)
    admin: str = ""

    def lines(self) -> list[str]:
        site = f"site file: {self.site_file}" + ("" if self.site_changed else " (unchanged)")
        if self.backup is not None:
            site += f"; previous one kept as {self.backup}"
        lines = [site, f"model: {self.model}", f"data folder: {self.data_dir}"]
        if self.secrets_stored:
            lines.append(f"stored in the OS keyring: {', '.join(self.secrets_stored)}")
        if self.secrets_missing:
            lines.append(
                f"not set on this machine: {', '.join(self.secrets_missing)} (set them in the "
                "environment of the account that runs RoadWatch, or `roadwatch secret set NAME`)"
            )
        if self.admin:
            lines.append(self.admin)
        return lines


@dataclass(frozen=True, slots=True)
class _Plan:
    text: str
    site: SiteConfig
    model_source: Path | None
    model_note: str
    data_dir: Path
    secrets: dict[str, str]


def provision(request: ProvisionRequest) -> ProvisionReport:
    """Install or upgrade; raises ProvisionError before writing anything when refused."""
    plan = _plan(request)
    owner = _owner(request.owner)
    database = default_store_path(plan.data_dir)
    store = _open_store(database) if request.admin and database.exists() else None
    try:
        password = _admin_password(request, store)
        report = ProvisionReport(request.layout.site_file, plan.data_dir)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        report.model = plan.model_note
        if plan.model_source is not None:
            report.model += _install_model(plan.model_source, request.layout, stamp)
        report.site_changed, report.backup = _install_site(plan.text, request.layout, stamp)
        for name, value in plan.secrets.items():
            store_keyring_secret(name, value)
            report.secrets_stored.append(name)
        report.secrets_missing = _missing_secrets(plan.text, plan.secrets)
        if password is not None:
            store = store or _open_store(database)
            Accounts(store, AuditLog(store)).create_first_admin(str(request.admin), password)
            report.admin = f"administrator '{request.admin}' created in {database}"
        elif request.admin:
            report.admin = "users exist already: no administrator created"
    except KeyringUnavailableError as exc:
        raise ProvisionError(str(exc)) from None
    finally:
        if store is not None:
            store.close()
    plan.data_dir.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        _chown_tree(plan.data_dir, *owner)
    return report


# ---- checks (nothing written) ----------------------------------------------------------------


def _plan(request: ProvisionRequest) -> _Plan:
    source = request.site_file
    if not source.is_file():
        raise ProvisionError(f"{source}: no such site file")
    try:
        site = load_site(source, environ=AnyEnvironment())
        text = source.read_text(encoding="utf-8")
    except ConfigError as exc:
        raise ProvisionError(str(exc)) from None
    model_source, model_note = _model_source(site.model.path, source.parent)
    layout_data = request.layout.data_dir if site.storage.data_dir is None else None
    if model_source is not None or request.central_url or layout_data is not None:
        text = _edited_text(
            text,
            model_path=f"models/{model_source.name}" if model_source is not None else None,
            central_url=request.central_url,
            data_dir=layout_data,
        )
        try:
            site = load_site_text(text, environ=AnyEnvironment())
        except ConfigError as exc:
            raise ProvisionError(f"{source} with the provisioning changes: {exc}") from None
    readers = dict(request.secrets)
    if request.central_password is not None:
        readers[_central_secret_name(site)] = request.central_password
    unknown = sorted(set(readers) - set(env_references(text)))
    if unknown:
        raise ProvisionError(f"the site file does not refer to ${{{unknown[0]}}}; nothing stored")
    if readers and not keyring_available():
        raise ProvisionError(
            f"cannot store {', '.join(sorted(readers))}: no OS keyring is available on this "
            "machine (keyring found no backend); set the secrets in the environment of the "
            "account that runs RoadWatch instead"
        )
    secrets = {name: read() for name, read in sorted(readers.items())}
    data_dir = site.storage.data_dir or default_data_dir()
    return _Plan(text, site, model_source, model_note, data_dir, secrets)


def _model_source(setting: str, base_dir: Path) -> tuple[Path | None, str]:
    if setting == DEMO_MODEL_NAME:
        return None, "bundled demo model (synthetic scenes only)"
    path = Path(setting).expanduser()
    if not path.is_absolute():
        path = base_dir / path
    if path.exists():
        return path, ""
    if _is_downloadable_name(setting):
        return None, f"{setting} (not a local file: loaded by name where the machine is online)"
    raise ProvisionError(f"model.path '{setting}': no such file or folder ({path})")


def _central_secret_name(site: SiteConfig) -> str:
    if site.central is None:
        raise ProvisionError("a central password was given but the site has no central database")
    password = urlsplit(site.central.url).password or ""
    match = ENV_REFERENCE.fullmatch(password)
    if match is None:
        raise ProvisionError(
            "the central URL has no ${NAME} password reference to store the password under, "
            "e.g. postgresql+psycopg://roadwatch:${RW_CENTRAL_PASSWORD}@db.example:5432/roadwatch"
        )
    return match.group(1)


def _open_store(path: Path) -> LocalStore:
    try:
        if path.exists():
            refuse_unknown_revision(path)  # read-only: a newer database is not touched
        return LocalStore.open(path, console_id=socket.gethostname())
    except SchemaTooNewError as exc:
        raise ProvisionError(str(exc)) from None


def _admin_password(request: ProvisionRequest, store: LocalStore | None) -> str | None:
    """The new administrator's password, or None when there is nobody to create."""
    if request.admin is None:
        return None
    try:
        check_username(request.admin)
        if store is not None and Accounts(store, AuditLog(store)).count() > 0:
            return None
        if request.admin_password is None:
            raise ProvisionError(f"no password for the administrator '{request.admin}'")
        return check_password(request.admin_password(), request.admin)
    except AccountError as exc:
        raise ProvisionError(f"administrator '{request.admin}': {exc}") from None


def _owner(owner: str | None) -> tuple[str, str | None] | None:
    if owner is None:
        return None
    if os.name != "posix":
        raise ProvisionError("--owner is for Linux; on Windows the installer sets folder rights")
    import grp
    import pwd

    user, _, group = owner.partition(":")
    try:
        pwd.getpwnam(user)
        if group:
            grp.getgrnam(group)
    except KeyError:
        raise ProvisionError(f"--owner {owner}: no such user or group on this machine") from None
    return user, group or None


# ---- writes ----------------------------------------------------------------------------------


def _edited_text(
    text: str, *, model_path: str | None, central_url: str | None, data_dir: Path | None
) -> str:
    """The site text with the installed model path, central URL and data folder; comments kept."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    if model_path is not None:
        data["model"]["path"] = model_path
    if central_url is not None:
        if isinstance(data.get("central"), dict):
            data["central"]["url"] = central_url
        else:
            data["central"] = CommentedMap(url=central_url)
    if data_dir is not None:
        if not isinstance(data.get("storage"), dict):
            data["storage"] = CommentedMap()
        data["storage"]["data_dir"] = str(data_dir)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _install_model(source: Path, layout: InstallLayout, stamp: str) -> str:
    target = layout.models_dir / source.name
    if target.exists() and (source.resolve() == target.resolve() or _same_tree(source, target)):
        return f"{target} (unchanged)"
    layout.models_dir.mkdir(parents=True, exist_ok=True)
    temporary = layout.models_dir / f".{source.name}.part-{os.getpid()}"
    _remove(temporary)
    if source.is_dir():
        shutil.copytree(source, temporary)
    else:
        shutil.copy2(source, temporary)
    note = f"{target} copied from {source}"
    if target.exists():
        old = _unused(layout.backups_dir / "models" / f"{stamp}-{source.name}")
        old.parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, old)
        note += f"; previous model kept as {old}"
    os.replace(temporary, target)
    return note


def _install_site(text: str, layout: InstallLayout, stamp: str) -> tuple[bool, Path | None]:
    target = layout.site_file
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False, None
    layout.config_dir.mkdir(parents=True, exist_ok=True)
    backup = None
    if target.is_file():
        layout.backups_dir.mkdir(parents=True, exist_ok=True)
        backup = _unused(layout.backups_dir / f"site-{stamp}.yaml")
        shutil.copy2(target, backup)
    write_text_atomic(target, text, mode=0o644)  # a site file holds references, never secrets
    return True, backup


def _missing_secrets(text: str, stored: Mapping[str, str]) -> list[str]:
    return [
        name
        for name in sorted(set(env_references(text)))
        if name not in stored and name not in os.environ and keyring_secret(name) is None
    ]


def _chown_tree(root: Path, user: str, group: str | None) -> None:
    for path in [root, *_walk(root)]:
        shutil.chown(path, user=user, group=group)


def _walk(root: Path) -> Iterator[Path]:
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            yield Path(folder) / name


def _same_tree(first: Path, second: Path) -> bool:
    return _digest(first) == _digest(second)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in [path, *_walk(path)] if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else "").encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _unused(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()

"""`edtracker coalition ...`: coalitions as code, staff accounts and API keys."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from sqlalchemy import select
from sqlmodel import Session

from cli.common import console, print_json
from tracker.coalitions import audit
from tracker.coalitions.accounts import deactivate, revoke_sessions
from tracker.coalitions.auth import hash_password, new_api_key
from tracker.coalitions.loader import export_coalition, load_coalition
from tracker.coalitions.schema import CoalitionFileError
from tracker.db import get_engine, upgrade
from tracker.models import ApiKey, Coalition, StaffUser
from tracker.models.base import utcnow
from tracker.settings import get_settings
from tracker.vocab import ROLES

CLI_ACTOR = "command line"   # who the audit log names for account changes made with `edtracker`

app = typer.Typer(help="Coalitions: load and export their YAML, staff accounts, API keys.",
                  no_args_is_help=True)


def _engine():
    url = get_settings().effective_database_url
    upgrade(url)
    return get_engine(url)


def _coalition(db: Session, slug: str) -> Coalition:
    coal = db.execute(select(Coalition).where(Coalition.slug == slug)).scalar_one_or_none()
    if coal is None:
        typer.echo(f"no coalition {slug!r} (load its file first)", err=True)
        raise typer.Exit(1)
    return coal


def _role(role: str) -> str:
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}")
    return role


@app.command("load")
def load_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Load a coalition file; an invalid file is rejected whole, with line numbers."""
    try:
        slug, counts = load_coalition(_engine(), path)
    except CoalitionFileError as exc:
        for line in exc.lines():
            console.print(f"[red]error[/] {line}", highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        print_json({"coalition": slug, "changes": counts})
    else:
        typer.echo(f"{slug}: " + (" ".join(f"{k}={v}" for k, v in counts.items() if v) or "no changes"))


@app.command("export")
def export_cmd(slug: str, output: Optional[Path] = typer.Option(None, "-o", "--output")) -> None:
    """Write a coalition as YAML (to stdout, or a file) that `load` accepts."""
    with Session(_engine()) as db:
        try:
            text = export_coalition(db, slug)
        except LookupError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@app.command("add-user")
def add_user_cmd(slug: str, email: str, role: str = typer.Option("viewer", callback=_role),
                 password: str = typer.Option(..., prompt=True, hide_input=True,
                                              confirmation_prompt=True, envvar="EDTRACKER_NEW_PASSWORD"),
                 name: Optional[str] = typer.Option(None)) -> None:
    """Create (or reset the password and role of) a staff account of a coalition."""
    with Session(_engine()) as db:
        coal = _coalition(db, slug)
        user = db.execute(select(StaffUser).where(StaffUser.coalition_id == coal.id,
                                                  StaffUser.email == email.lower())).scalar_one_or_none()
        try:
            hashed = hash_password(password)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        if user is not None:
            revoke_sessions(db, user.id)   # a password reset by an admin ends the old logins
        before = (user.role, user.active) if user is not None else None
        user = user or StaffUser(coalition_id=coal.id, email=email.lower(), password_hash=hashed)
        user.password_hash, user.role, user.display_name, user.active = hashed, role, name, True
        db.add(user)
        audit.record(db, coal, CLI_ACTOR, "staff.added" if before is None else "staff.updated_by_cli", user.email,
                     {"role": role} if before is None else {"from": before[0], "to": role, "password": "set"})
        db.commit()
    typer.echo(f"{email} is {role} of {slug}")


@app.command("deactivate-user")
def deactivate_user_cmd(slug: str, email: str) -> None:
    """Lock a staff account out: it cannot log in and its open sessions end now."""
    with Session(_engine()) as db:
        coal = _coalition(db, slug)
        user = db.execute(select(StaffUser).where(StaffUser.coalition_id == coal.id,
                                                  StaffUser.email == email.lower())).scalar_one_or_none()
        if user is None:
            typer.echo(f"no staff account {email!r} in {slug}", err=True)
            raise typer.Exit(1)
        deactivate(db, user)
        audit.record(db, coal, CLI_ACTOR, "staff.deactivated", user.email)
        db.commit()
    typer.echo(f"{email} can no longer log in to {slug}; its sessions were ended")


@app.command("add-key")
def add_key_cmd(slug: str, name: str = typer.Option(..., help="what the key is for"),
                role: str = typer.Option("viewer", callback=_role)) -> None:
    """Create an API key; it is printed once (only its hash is stored)."""
    with Session(_engine()) as db:
        coal = _coalition(db, slug)
        key, prefix, hashed = new_api_key()
        db.add(ApiKey(coalition_id=coal.id, name=name, prefix=prefix, key_hash=hashed, role=role))
        db.commit()
    typer.echo(key)
    typer.echo(f"(key {prefix}, {role} of {slug}: store it now, it is not shown again)", err=True)


@app.command("revoke-key")
def revoke_key_cmd(prefix: str) -> None:
    """Revoke an API key by its prefix."""
    with Session(_engine()) as db:
        key = db.execute(select(ApiKey).where(ApiKey.prefix == prefix)).scalar_one_or_none()
        if key is None:
            typer.echo(f"no key {prefix!r}", err=True)
            raise typer.Exit(1)
        key.revoked_at = key.revoked_at or utcnow()
        db.add(key)
        db.commit()
    typer.echo(f"key {prefix} revoked")

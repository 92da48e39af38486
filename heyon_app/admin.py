"""Admin command line: `python -m heyon_app.admin create-admin EMAIL`.

The first admin cannot come from the web (nobody could grant the role), so it comes from
whoever can run commands on the server. The password is asked twice on a terminal, or read
from the first line of stdin when piped (for provisioning scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from sqlmodel import Session, select

from heyon_app import security
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import User
from heyon_app.services import accounts, audit
from heyon_app.services.errors import UserError

# Admins made here have no mobile number on file; the column is required.
NO_PHONE = "-"


def create_admin(session: Session, *, email: str, password: str) -> tuple[User, bool]:
    """An admin with this e-mail and password: a new user, or an existing one promoted (its
    password replaced, every session ended). Returns (user, created)."""
    email = accounts.normalize_email(email)
    if not accounts._EMAIL.match(email) or len(email) > 254:
        raise UserError("auth.email_invalid")
    problems = security.password_problems(password, email)
    if problems:
        raise UserError(problems[0])
    user = session.exec(select(User).where(User.email == email)).first()
    created = user is None
    before = {} if created else {"role": user.role}
    if created:
        user = User(email=email, phone=NO_PHONE, role="admin", password_hash="")
    user.role = "admin"
    user.password_hash = security.hash_password(password)
    session.add(user)
    session.flush()
    if not created:
        accounts._revoke_sessions(session, user.id)
    audit.record(
        session,
        actor=user,
        action="admin.create" if created else "admin.promote",
        target=f"user:{user.id}",
        before=before,
        after={"role": "admin", "password": "set"},
        detail="create-admin command",
    )
    return user, created


def _read_password(stdin: TextIO) -> str | None:
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            print("The passwords differ; nothing changed.", file=sys.stderr)
            return None
        return first
    return stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None, stdin: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.admin")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-admin", help="create an admin, or make an existing user one"
    )
    create.add_argument("email")
    args = parser.parse_args(argv)

    password = _read_password(stdin or sys.stdin)
    if password is None:
        return 1
    try:
        with session_scope() as session:
            user, created = create_admin(session, email=args.email, password=password)
    except UserError as exc:
        print(translate(exc.key, "en", **exc.params), file=sys.stderr)
        return 1
    print(f"{'Created' if created else 'Promoted'} admin {user.email}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

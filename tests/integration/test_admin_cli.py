"""The first admin comes from a command; the demo seed keeps its known password local."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid

from sqlmodel import select

from heyon_app import admin, db, security, seed
from heyon_app.i18n import translate
from heyon_app.models import AuditLog, AuthSession, User
from heyon_app.services import accounts
from tests import factories
from tests.conftest import ROOT

GOOD_PASSWORD = "Quiet-harbour-4711"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _email() -> str:
    return f"ops-{uuid.uuid4().hex[:10]}@example.com"


def _user(email: str) -> User | None:
    with db.session_scope() as session:
        return session.exec(select(User).where(User.email == email)).first()


def _entries(user: User) -> list[AuditLog]:
    with db.session_scope() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.target == f"user:{user.id}")))


def test_create_admin_reads_a_piped_password_and_the_admin_can_log_in(app_db, capsys):
    email = _email()
    assert admin.main(["create-admin", email.upper()], stdin=io.StringIO(GOOD_PASSWORD + "\n")) == 0
    assert f"Created admin {email}" in capsys.readouterr().out
    user = _user(email)
    assert user is not None and user.role == "admin"
    assert security.verify_password(GOOD_PASSWORD, user.password_hash)
    [entry] = _entries(user)
    assert (entry.action, entry.actor_user_id) == ("admin.create", user.id)
    assert json.loads(entry.after) == {"password": "set", "role": "admin"}
    assert GOOD_PASSWORD not in entry.after + entry.detail


def test_create_admin_asks_twice_on_a_terminal_and_refuses_a_mismatch(app_db, monkeypatch, capsys):
    email = _email()
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr(admin.getpass, "getpass", lambda prompt="": next(answers))
    assert admin.main(["create-admin", email], stdin=_Tty()) == 1
    assert "differ" in capsys.readouterr().err
    assert _user(email) is None

    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    assert admin.main(["create-admin", email], stdin=_Tty()) == 0
    assert _user(email).role == "admin"


def test_create_admin_applies_the_password_policy(app_db, capsys):
    email = _email()
    for weak, key in (
        ("short", "password.too_short"),
        ("password1234", "password.too_common"),
        (email.split("@")[0] + "-Harbour-9", "password.contains_email"),
    ):
        assert admin.main(["create-admin", email], stdin=io.StringIO(weak + "\n")) == 1
        assert capsys.readouterr().err.strip() == translate(key, "en")
    assert admin.main(["create-admin", "not-an-email"], stdin=io.StringIO(GOOD_PASSWORD)) == 1
    assert capsys.readouterr().err.strip() == translate("auth.email_invalid", "en")
    assert _user(email) is None


def test_create_admin_promotes_an_existing_customer_and_ends_their_sessions(app_db):
    with db.session_scope() as session:
        customer = factories.customer(session)
        token = accounts.open_session(session, customer)
        email = customer.email
    assert admin.main(["create-admin", email], stdin=io.StringIO(GOOD_PASSWORD)) == 0
    user = _user(email)
    assert user.role == "admin"
    with db.session_scope() as session:
        assert accounts.user_for_token(session, token) is None
        assert session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    [entry] = _entries(user)
    assert entry.action == "admin.promote"
    assert json.loads(entry.before) == {"role": "customer"}


def _seed(tmp_path, *args: str, db_url: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HEYON_VAR_DIR=str(tmp_path))
    for name in ("DB_URL", "REFLEX_DB_URL"):
        env.pop(name, None)
    if db_url:
        env["DB_URL"] = db_url
    return subprocess.run(
        [sys.executable, "-m", "heyon_app.seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _emails(url: str) -> set[str]:
    with db.session_scope(url) as session:
        return set(session.exec(select(User.email)))


def _packages(url: str) -> int:
    with db.session_scope(url) as session:
        return len(session.exec(select(seed.Package)).all())


def test_the_demo_seed_creates_no_known_password_accounts_on_another_database(tmp_path):
    other = f"sqlite:///{tmp_path / 'shared.db'}"
    db.migrate(other)

    refused = _seed(tmp_path, db_url=other)
    assert refused.returncode == 0, refused.stderr
    assert "--demo" in refused.stderr
    assert seed.DEMO_PASSWORD not in refused.stdout + refused.stderr
    assert _emails(other) == set()
    assert _packages(other) == len(seed.CATALOGUE)  # the catalogue is fine anywhere

    told = _seed(tmp_path, "--demo", db_url=other)
    assert told.returncode == 0, told.stderr
    assert {seed.DEMO_ADMIN, seed.DEMO_CUSTOMER} <= _emails(other)


def test_the_demo_seed_fills_the_local_default_database_without_being_told(tmp_path):
    local = f"sqlite:///{tmp_path / 'heyon.db'}"  # the default under HEYON_VAR_DIR
    db.migrate(local)
    done = _seed(tmp_path, db_url=None)
    assert done.returncode == 0, done.stderr
    assert {seed.DEMO_ADMIN, seed.DEMO_CUSTOMER} <= _emails(local)


def test_make_seed_passes_demo():
    makefile = (ROOT / "Makefile").read_text()
    assert "-m heyon_app.seed --demo" in makefile

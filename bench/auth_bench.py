"""How long a login costs: argon2 hashing and verifying, and session-token lookups.

Prints figures; run with `make bench`. argon2 is meant to be slow, but a login should stay
near 100 ms on 2 cores; token lookups happen on every page load and must stay far cheaper.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlmodel import Session, SQLModel, create_engine

import heyon_app.models  # noqa: F401
from heyon_app import security
from heyon_app.services import accounts


def _per_call_ms(fn, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        fn()
    return (time.perf_counter() - start) * 1000 / rounds


def main() -> None:
    hashed = security.hash_password("Slate-orchard-2026")
    print(
        f"argon2 hash:   {_per_call_ms(lambda: security.hash_password('Slate-orchard-2026'), 10):7.1f} ms"
    )
    print(
        f"argon2 verify: {_per_call_ms(lambda: security.verify_password('Slate-orchard-2026', hashed), 10):7.1f} ms"
    )

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        with Session(engine) as session:
            user = accounts.register(
                session,
                email="bench@example.com",
                phone="13800000000",
                password="Slate-orchard-2026",
            )
            token = accounts.open_session(session, user)
            session.commit()
            ms = _per_call_ms(lambda: accounts.user_for_token(session, token), 2000)
        print(f"token lookup:  {ms:7.3f} ms  ({1000 / ms:,.0f} per second, SQLite)")
        engine.dispose()


if __name__ == "__main__":
    main()

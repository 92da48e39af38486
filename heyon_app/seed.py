"""Demo data for `make run`: the package catalogue, a demo customer and an admin.

Idempotent: running it again updates the catalogue and leaves existing accounts alone.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta

from sqlmodel import Session, select

from heyon_app import clock, security
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Package, Promotion, UsageRecord, User
from heyon_app.settings import LOCAL_DEFAULT_DB_URL, settings

ASIA = "HK,MO,TW,JP,KR,SG,TH,MY,VN,ID,PH"
GLOBAL = ASIA + ",US,CA,GB,FR,DE,IT,ES,NL,CH,AU,NZ,AE,TR"

# code, zh, en, kind, period, data MB per month, minutes per month, roaming, price in fen
CATALOGUE = [
    ("VOICE_M", "畅聊月套餐", "Talk Monthly", "voice", "month", 5_120, 500, "", 3_900),
    ("VOICE_Q", "畅聊季套餐", "Talk Quarterly", "voice", "quarter", 5_120, 500, "", 10_500),
    ("VOICE_Y", "畅聊年套餐", "Talk Yearly", "voice", "year", 5_120, 500, "", 39_900),
    ("DATA_M", "流量月套餐", "Data Monthly", "data", "month", 30_720, 100, "", 5_900),
    ("DATA_Q", "流量季套餐", "Data Quarterly", "data", "quarter", 30_720, 100, "", 15_900),
    ("DATA_Y", "流量年套餐", "Data Yearly", "data", "year", 30_720, 100, "", 59_900),
    ("DATA_PLUS_M", "大流量月套餐", "Data Plus Monthly", "data", "month", 102_400, 200, "", 9_900),
    (
        "DATA_PLUS_Q",
        "大流量季套餐",
        "Data Plus Quarterly",
        "data",
        "quarter",
        102_400,
        200,
        "",
        26_900,
    ),
    ("DATA_PLUS_Y", "大流量年套餐", "Data Plus Yearly", "data", "year", 102_400, 200, "", 99_900),
    (
        "ROAM_ASIA_M",
        "亚洲漫游月套餐",
        "Asia Roaming Monthly",
        "roaming",
        "month",
        20_480,
        300,
        ASIA,
        12_900,
    ),
    (
        "ROAM_ASIA_Q",
        "亚洲漫游季套餐",
        "Asia Roaming Quarterly",
        "roaming",
        "quarter",
        20_480,
        300,
        ASIA,
        34_900,
    ),
    (
        "ROAM_GLOBAL_M",
        "全球漫游月套餐",
        "Global Roaming Monthly",
        "roaming",
        "month",
        20_480,
        300,
        GLOBAL,
        19_900,
    ),
    (
        "ROAM_GLOBAL_Y",
        "全球漫游年套餐",
        "Global Roaming Yearly",
        "roaming",
        "year",
        20_480,
        300,
        GLOBAL,
        199_900,
    ),
]

# Both start switched off: an admin switches them on in /admin/promotions.
# code, kind, zh, en, percent off, limited to these periods, uses per customer
PROMOTIONS = [
    (
        "FIRST_MONTH_FREE",
        "first_month_free",
        "新用户首月免费",
        "First month free for new customers",
        100,
        "month",
        1,
    ),
    ("RENEWAL_10", "renewal_discount", "续费九折", "10% off renewals", 10, "", None),
]

DEMO_CUSTOMER = "demo@heyon.local"
DEMO_ADMIN = "admin@heyon.local"
# Demo-only credentials for the local embedded set-up; override them anywhere shared.
DEMO_PASSWORD = os.environ.get("HEYON_DEMO_PASSWORD", "Heyon-demo-2026")


def seed_catalogue(session: Session) -> None:
    for sort_order, row in enumerate(CATALOGUE):
        code, zh, en, kind, period, data_mb, minutes, regions, price = row
        package = session.exec(select(Package).where(Package.code == code)).first() or Package(
            code=code, price_minor=price
        )
        package.name_zh, package.name_en, package.kind, package.period = zh, en, kind, period
        package.data_mb, package.minutes, package.roaming_regions = data_mb, minutes, regions
        package.price_minor, package.currency, package.sort_order = price, "CNY", sort_order
        session.add(package)
    for code, kind, zh, en, percent, periods, per_customer in PROMOTIONS:
        # Created once: an admin's later edits (and its on/off switch) are never overwritten.
        if not session.exec(select(Promotion).where(Promotion.code == code)).first():
            session.add(
                Promotion(
                    code=code,
                    kind=kind,
                    name_zh=zh,
                    name_en=en,
                    percent_off=percent,
                    periods=periods,
                    per_customer_limit=per_customer,
                )
            )
    session.flush()


def _user(session: Session, email: str, phone: str, role: str) -> tuple[User, bool]:
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing:
        return existing, False
    user = User(
        email=email, phone=phone, role=role, password_hash=security.hash_password(DEMO_PASSWORD)
    )
    session.add(user)
    session.flush()
    return user, True


def seed_demo_accounts(session: Session) -> None:
    _user(session, DEMO_ADMIN, "+8613900000000", "admin")
    customer, created = _user(session, DEMO_CUSTOMER, "+8613800138000", "customer")
    if not created:
        _seed_line_to_install(session, customer)
        return
    package = session.exec(select(Package).where(Package.code == "DATA_M")).one()
    now = clock.now()
    line = EsimLine(
        user_id=customer.id,
        number="+8617000000001",
        iccid="8986001700000000001",
        status="active",
        activation_code="LPA:1$smdp.heyon.local$HEYON-DEMO-0001",
        package_id=package.id,
        valid_until=now + timedelta(days=5),
    )
    session.add(line)
    session.flush()
    # A heavy data month (about 90 % of the allowance) so the dashboard has a story. Usage
    # days are the customers' calendar days, like the dashboard's window (not UTC dates).
    today = clock.local_today()
    for back in range(30, 0, -1):
        session.add(
            UsageRecord(
                line_id=line.id,
                day=today - timedelta(days=back),
                data_mb=800 + (back * 37) % 250,
                minutes=(back * 7) % 9,
            )
        )
    _seed_line_to_install(session, customer)


def _seed_line_to_install(session: Session, customer: User) -> None:
    """A second demo line, bought but not yet installed, so the activation QR can be shown."""
    number = "+8617000000002"
    if session.exec(select(EsimLine).where(EsimLine.number == number)).first():
        return
    package = session.exec(select(Package).where(Package.code == "VOICE_M")).one()
    session.add(
        EsimLine(
            user_id=customer.id,
            number=number,
            iccid="8986001700000000002",
            status="not_installed",
            activation_code="LPA:1$smdp.heyon.local$HEYON-DEMO-0002",
            package_id=package.id,
        )
    )
    session.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heyon_app.seed")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="also create the demo accounts (known password) on a database that is not the "
        "local default",
    )
    args = parser.parse_args(argv)
    # Accounts with a published password must never appear on a shared or production
    # database by accident; the catalogue is harmless anywhere.
    demo = args.demo or settings.db_url == LOCAL_DEFAULT_DB_URL
    with session_scope() as session:
        seed_catalogue(session)
        if demo:
            seed_demo_accounts(session)
    if not demo:
        print(
            "Catalogue seeded. Demo accounts NOT created: the database is not the local "
            "default; pass --demo to create them anyway.",
            file=sys.stderr,
        )
        return 0
    print(f"Demo customer: {DEMO_CUSTOMER} / {DEMO_PASSWORD}")
    print(f"Demo admin:    {DEMO_ADMIN} / {DEMO_PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

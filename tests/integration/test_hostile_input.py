"""Hostile input on every event handler: whatever JSON a client sends, the handler answers with
a clear message in the tab's language (or accepts free text as it is), no exception reaches
the client, every var keeps its type, and nothing malformed reaches the database.

Handlers are listed from the state classes themselves: a new handler without a strategy
here fails `test_every_handler_has_a_hostile_strategy`. The tests use a database of their
own, of the run's kind; `HEYON_HOSTILE_DB=postgresql` runs them on PostgreSQL from a SQLite
run (PostgreSQL refuses NUL and over-long text where SQLite stores them).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import os
import pkgutil
import re
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
import reflex as rx
import sqlalchemy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reflex.istate.data import RouterData
from reflex_base.event.processor.base_state_processor import _prepare_event_payload
from sqlmodel import Session, SQLModel, create_engine, select
from starlette.testclient import TestClient

import heyon_app.state
from heyon_app import db, routes, seed
from heyon_app.api import build_api
from heyon_app.i18n import catalogue
from heyon_app.models import (
    AuditLog,
    AuthSession,
    EsimLine,
    Order,
    Promotion,
    StripeEvent,
    SupportTicket,
    User,
)
from heyon_app.services import accounts, forms, stripe_gateway
from heyon_app.settings import settings as app_settings
from heyon_app.state import checkout as checkout_state
from heyon_app.state.admin import customers as customers_state
from heyon_app.state.admin.base import AdminState
from heyon_app.state.auth import AuthFormState
from heyon_app.state.base import AppState
from heyon_app.state.support import SupportState
from tests.concurrency import run_coroutine
from tests.factories import order as make_order
from tests.hostile import (
    any_text,
    field,
    form,
    hostile_text,
    json_values,
    query_text,
    slipped_into,
)
from tests.integration import payment_helpers
from tests.integration.conftest import PG_ADMIN_URL

# --- what each handler is sent --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Spec:
    """A handler's hostile arguments (a tuple, in order) and the page URL's query."""

    args: st.SearchStrategy = st.just(())
    query: st.SearchStrategy = st.just({})
    examples: int = 25


NONE = Spec(examples=3)


def _args(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(*strategies)


def _query(**params: st.SearchStrategy) -> st.SearchStrategy:
    return st.fixed_dictionaries({}, optional=params)


# "@line" and the like stand for a row of the test's own database (see `_resolve`).
LINE, ORDER, TICKET, PROMOTION, PACKAGE = "@line", "@order", "@ticket", "@promotion", "@package"
PASSWORD = "Harbor-lantern-3317"
password = field(PASSWORD, seed.DEMO_PASSWORD)

SPECS: dict[str, Spec] = {
    # AppState: no arguments; the tab's token and language are the input (see below).
    "AppState.require_login": NONE,
    "AppState.require_admin": NONE,
    "AppState.redirect_if_logged_in": NONE,
    "AppState.switch_locale": NONE,
    "AppState.log_out": NONE,
    "AuthFormState.clear_messages": NONE,
    "AuthFormState.log_in": Spec(
        _args(form(email=field(seed.DEMO_CUSTOMER, "a@b.cn"), password=password)), examples=10
    ),
    "AuthFormState.register": Spec(
        _args(
            form(
                email=field("hostile-new@example.com"),
                phone=field("13800138999", "+8613800138999"),
                password=password,
                password_repeat=password,
            )
        ),
        examples=30,
    ),
    "AuthFormState.request_reset": Spec(_args(form(email=field(seed.DEMO_CUSTOMER)))),
    "AuthFormState.reset_password": Spec(
        _args(form(password=password, password_repeat=password)),
        _query(token=query_text("abc")),
        examples=8,
    ),
    "AuthFormState.change_password": Spec(
        _args(form(current_password=password, password=password, password_repeat=password)),
        examples=8,
    ),
    "ActivationState.load": Spec(query=_query(line=query_text(LINE))),
    "DeviceCheckState.check": Spec(_args(form(model=field("iPhone 15"), part=field("MTP03CH/A")))),
    "CoverageState.search": Spec(_args(form(query=field("日本", "JP", "Japan")))),
    "DashboardState.load": NONE,
    "DashboardState.select_line": Spec(_args(field(LINE))),
    "OrdersState.load_orders": NONE,
    "OrdersState.load_receipt": Spec(query=_query(order=query_text(ORDER))),
    "OrdersState.print_receipt": NONE,
    "PackagesState.load": Spec(query=_query(line=query_text(LINE))),
    "PackagesState.set_kind": Spec(_args(field("data", "all"))),
    "PackagesState.set_period": Spec(_args(field("month", "all"))),
    "ReminderPrefsState.load": NONE,
    "ReminderPrefsState.switch": Spec(_args(field("before_3_days", "email"), json_values)),
    "SupportState.load": NONE,
    "SupportState.submit": Spec(
        _args(
            form(
                subject=field("Roaming in Japan"),
                message=field("My data stopped working in Tokyo."),
                order=field(ORDER, ""),
            )
        ),
        examples=20,
    ),
    "AutoRenewState.open_form": NONE,
    "AutoRenewState.close_form": NONE,
    "AutoRenewState.save_card": NONE,
    "AutoRenewState.card_returned": Spec(
        _args(
            st.one_of(
                json_values,
                form(status=field("done", "error"), code=field("card_declined"), message=any_text),
            )
        )
    ),
    "AutoRenewState.switch_off": NONE,
    "CheckoutState.load_renew": Spec(
        query=_query(line=query_text(LINE), package=query_text(PACKAGE)), examples=8
    ),
    "CheckoutState.mount_card": NONE,
    "CheckoutState.choose_package": Spec(_args(field(PACKAGE))),
    "CheckoutState.apply_code": Spec(_args(form(promo_code=field("WELCOME", "RENEWAL_10")))),
    "CheckoutState.remove_code": NONE,
    "CheckoutState.send_phone_code": Spec(_args(form(phone=field("13800138000")))),
    "CheckoutState.verify_phone": Spec(_args(form(code=field("123456")))),
    "CheckoutState.refresh_review": NONE,
    "CheckoutState.choose_method": Spec(_args(field("card", "wechat_pay"))),
    "CheckoutState.pay": Spec(_args(field(PACKAGE), field("card", "alipay"), any_text)),
    "CheckoutState.payment_returned": Spec(
        _args(
            st.one_of(
                json_values,
                form(
                    status=field("done", "qr", "error", "redirect"),
                    code=field("card_declined"),
                    message=any_text,
                    image=field("data:image/png;base64,AAAA"),
                    link=field("https://pay.test/q"),
                ),
            )
        )
    ),
    "CheckoutState.wait_for_wechat": NONE,
    "ResultState.load_result": Spec(query=_query(order=query_text(ORDER)), examples=8),
    # Admin pages (run as the admin, and as a customer, who must be refused).
    "AuditState.load": NONE,
    "AuditState.apply_filter": Spec(
        _args(
            form(
                action=field("ticket.answer"),
                target=any_text,
                admin=field(seed.DEMO_ADMIN),
                day_from=field("2026-01-01"),
                day_to=field("2026-12-31"),
            )
        )
    ),
    "AuditState.go_to_page": Spec(_args(field("2", "1"))),
    "OverviewState.load": NONE,
    "CustomersState.load": Spec(query=_query(user=query_text("1"))),
    "CustomersState.search": Spec(_args(form(query=field("demo", "138")))),
    "CustomersState.extend": Spec(
        _args(form(line=field(LINE), days=field("7"), reason=field("Network outage on 3 May")))
    ),
    "CustomersState.refund": Spec(_args(field(ORDER))),
    "PackagesAdminState.load": NONE,
    "PackagesAdminState.save": Spec(
        _args(
            form(
                id=field(PACKAGE),
                name_zh=field("流量月包"),
                name_en=field("Data monthly"),
                price=field("59.00"),
                data_mb=field("10240"),
                minutes=field("100"),
            )
        )
    ),
    "PackagesAdminState.switch": Spec(_args(field(PACKAGE), json_values)),
    "PromotionsState.load": NONE,
    "PromotionsState.preview": Spec(
        _args(form(customer=field("new", "returning"), package=field("DATA_M")))
    ),
    "PromotionsState.switch": Spec(_args(field(PROMOTION), json_values)),
    "PromotionsState.start_new": NONE,
    "PromotionsState.start_edit": Spec(_args(field(PROMOTION))),
    "PromotionsState.close_form": NONE,
    "PromotionsState.save": Spec(
        _args(
            form(
                id=field(PROMOTION, ""),
                kind=field("promo_code", "renewal_discount"),
                code=field("HOSTILE1"),
                name_zh=field("测试优惠"),
                name_en=field("Test offer"),
                percent_off=field("10"),
                amount_off=field("5.00", ""),
                starts_at=field("2026-01-01T08:00", ""),
                ends_at=field("2027-01-01T08:00", ""),
                max_redemptions=field("100", ""),
                per_customer_limit=field("1", ""),
                package_codes=field("DATA_M", ""),
                periods=field("month", ""),
            )
        ),
        examples=20,
    ),
    "TicketsState.load": NONE,
    "TicketsState.show": Spec(_args(field("open", "all"))),
    "TicketsState.answer": Spec(
        _args(form(id=field(TICKET), answer=field("We reset your profile; try again now.")))
    ),
    "TicketsState.close": Spec(_args(field(TICKET))),
}


def _state_classes() -> list[type[rx.State]]:
    for info in pkgutil.walk_packages(heyon_app.state.__path__, "heyon_app.state."):
        importlib.import_module(info.name)
    found, pending = [], list(rx.State.get_substates())
    while pending:
        cls = pending.pop()
        pending.extend(cls.get_substates())
        if cls.__module__.startswith("heyon_app.state"):
            found.append(cls)
    return found


def _our_handlers() -> dict[str, tuple[type[rx.State], str]]:
    """Every event handler written in heyon_app/state, by "Class.name" of its defining class."""
    handlers = {}
    for cls in _state_classes():
        for name, handler in cls.event_handlers.items():
            if handler.fn.__qualname__ == f"{cls.__name__}.{name}":
                handlers[f"{cls.__name__}.{name}"] = (cls, name)
    return handlers


HANDLERS = _our_handlers()


def test_every_handler_has_a_hostile_strategy():
    assert sorted(set(HANDLERS) - set(SPECS)) == [], "handlers with no hostile-input strategy"
    assert sorted(set(SPECS) - set(HANDLERS)) == [], "strategies for handlers that are gone"


def test_no_var_can_be_set_from_the_browser_by_name():
    """Reflex's `setvar` event calls a var's setter; without auto setters a client can name
    no var (a price shown, an order being paid) and set it."""
    for cls in _state_classes():
        generated = [
            name
            for name, handler in cls.event_handlers.items()
            if name.startswith("set_") and not handler.fn.__module__.startswith("heyon_app")
        ]
        assert generated == [], cls


# --- the test's own database and people ------------------------------------------------------


@dataclasses.dataclass
class World:
    emails: dict[str, str]
    rows: dict[str, str]

    def token(self, who: str) -> str:
        """A fresh session each time: a hostile log-out or password change before must not
        turn the next example into a stranger's."""
        if who == "anon":
            return ""
        with db.session_scope() as s:
            user = s.exec(select(User).where(User.email == self.emails[who])).one()
            return accounts.open_session(s, user)


@contextmanager
def _own_database(tmp_path_factory) -> Iterator[sqlalchemy.engine.Engine]:
    """An empty database of the kind the run uses: PostgreSQL refuses what SQLite lets by
    (NUL, over-long text, huge integers), so the hostile tests run where the app runs.
    HEYON_HOSTILE_DB=postgresql asks for PostgreSQL on a SQLite run."""
    wanted = os.environ.get("HEYON_HOSTILE_DB", app_settings.db_url.split(":", 1)[0])
    if not wanted.startswith("postgresql"):
        url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}"
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        yield engine
        engine.dispose()
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"heyon_hostile_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(
        PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql:", "postgresql+psycopg:") + "/" + name
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def world(app_db, local_stripe, smtp_server, tmp_path_factory) -> Iterator[World]:
    """A database of its own (hostile saves must not leak into other tests' prices), made
    the default one for the length of this module, with the demo people and catalogue."""
    with _own_database(tmp_path_factory) as engine:
        yield from _seeded_world(engine)


def _seeded_world(engine: sqlalchemy.engine.Engine) -> Iterator[World]:
    SQLModel.metadata.create_all(engine)
    shared = db._engines[app_settings.db_url]
    db._engines[app_settings.db_url] = engine
    try:
        with db.session_scope() as s:
            seed.seed_catalogue(s)
            seed.seed_demo_accounts(s)
            customer = s.exec(select(User).where(User.email == seed.DEMO_CUSTOMER)).one()
            admin = s.exec(select(User).where(User.email == seed.DEMO_ADMIN)).one()
            line = s.exec(select(EsimLine).where(EsimLine.user_id == customer.id)).first()
            paid = make_order(s, line=line, status="fulfilled", with_intent=False)
            ticket = SupportTicket(user_id=customer.id, subject="Hello", message="Help me please")
            s.add(ticket)
            s.flush()
            promotion = s.exec(select(Promotion)).first()
            emails = {"customer": customer.email, "admin": admin.email}
            rows = {
                LINE: str(line.id),
                ORDER: str(paid.id),
                TICKET: str(ticket.id),
                PROMOTION: str(promotion.id),
                PACKAGE: "DATA_M",
            }
        yield World(emails, rows)
    finally:
        db._engines[app_settings.db_url] = shared


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    """Polling loops (result page, WeChat Pay, refunds) ask once per example, not for minutes."""
    monkeypatch.setattr(checkout_state, "POLL_SECONDS", 0)
    monkeypatch.setattr(checkout_state, "RESULT_POLL_LIMIT", 2)
    monkeypatch.setattr(checkout_state, "WECHAT_POLL_LIMIT", 2)
    monkeypatch.setattr(customers_state, "REFUND_WATCH_SECONDS", 1)


# --- driving one handler the way Reflex does -------------------------------------------------


def _resolve(value: object, rows: dict[str, str]) -> object:
    if isinstance(value, str):
        return rows.get(value, value)
    if isinstance(value, dict):
        return {k: _resolve(v, rows) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_resolve(v, rows) for v in value)
    return value


def _tab(query: dict[str, str]) -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    peer = "203.0.113.200"
    root.router = RouterData.from_router_data(
        {
            "headers": {"asgi-scope-client": peer, "origin": "http://heyon.test"},
            "ip": peer,
            "pathname": "/page",
            "asPath": "/page" + (f"?{urlencode(query)}" if query else ""),
        }
    )
    return root


async def _run(state_cls, name: str, args: tuple, query: dict, token: str, locale: str):
    root = _tab(query)
    app = await root.get_state(AppState)
    app.auth_token, app.locale = token, locale
    state = await root.get_state(state_cls)
    handler = state_cls.event_handlers[name]
    params = list(inspect.signature(handler.fn).parameters)[1:]
    # The same argument coercion Reflex applies to a payload off the socket.
    payload = _prepare_event_payload(handler, dict(zip(params, args, strict=True)))
    outcome = handler.fn(state, **payload)
    if inspect.iscoroutine(outcome):
        outcome = await outcome
    if inspect.isasyncgen(outcome):
        outcome = [item async for item in outcome]
    elif inspect.isgenerator(outcome):
        outcome = list(outcome)
    return root, state


KEY_SHAPED = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
MESSAGE_VARS = re.compile(r"(error|notice)$")
# bool before int: a bool var must stay a bool. Str subclasses (LocalStorage) are text.
PLAIN_TYPES = (bool, int, float, str, list, dict)
KEY_VARS = re.compile(r"(_key|receipt_error)$")


def _check_tab(root: rx.State, state: rx.State, locale: str) -> None:
    """What the client receives: translated messages, keys it can look up, well-typed vars."""
    known = catalogue("en")
    for cls in [type(state), *type(state).__mro__]:
        if not (isinstance(cls, type) and issubclass(cls, rx.State)):
            continue
        for name, fld in cls.__fields__.items():
            value = getattr(state, name)
            default = fld.default_value()
            kind = next((k for k in PLAIN_TYPES if isinstance(default, k)), None)
            if kind is not None:
                assert isinstance(value, kind), f"{name} is now {value!r}"
            if isinstance(value, str) and KEY_VARS.search(name):
                assert value == "" or value in known, f"{name} names no message: {value}"
            elif isinstance(value, str) and MESSAGE_VARS.search(name) and value:
                assert not KEY_SHAPED.fullmatch(value), f"{name} shows a raw key: {value}"
                if locale == "zh-CN" and value in set(catalogue("en").values()):
                    assert value in set(catalogue("zh-CN").values()), f"{name} in English"
    # Everything the client is sent must serialize.
    json.dumps(root.dict(), default=str)


# Identifiers people compare by eye: an invisible or direction-changing character in one makes
# two accounts (or codes) look alike.
IDENTIFIERS = {
    ("user", "email"),
    ("user", "phone"),
    ("promotion", "code"),
    ("package", "code"),
    ("phoneverification", "phone"),
    ("freemonthclaim", "phone"),
}


def _stored_text_is_sane() -> list[str]:
    """Text columns the database holds that another database (or a mail, or a page) could not:
    NUL characters (PostgreSQL refuses them), lone surrogates, over-long values; and
    identifiers with characters no one sees."""
    problems = []
    with Session(db.engine()) as s:
        for table in SQLModel.metadata.sorted_tables:
            # SQLModel's str columns are AutoString, a decorator around String.
            texts = [
                c
                for c in table.columns
                if isinstance(getattr(c.type, "impl", c.type), sqlalchemy.String)
            ]
            for row in s.execute(sqlalchemy.select(*texts)) if texts else ():
                for column, value in zip(texts, row, strict=True):
                    if not isinstance(value, str):
                        continue
                    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
                        problems.append(f"{table.name}.{column.name}: {value[:40]!r}")
                    if (table.name, column.name) in IDENTIFIERS and any(
                        unicodedata.category(c)[0] in "CZ" for c in value
                    ):
                        problems.append(f"{table.name}.{column.name}: {value[:40]!r}")
                    limit = getattr(column.type, "length", None)
                    if limit and len(value) > limit:
                        problems.append(f"{table.name}.{column.name}: {len(value)} > {limit}")
    return problems


def _people_for(state_cls) -> st.SearchStrategy:
    if issubclass(state_cls, AdminState):
        return st.sampled_from(["admin", "admin", "customer", "anon"])
    return st.sampled_from(["customer", "customer", "admin", "anon"])


@pytest.mark.parametrize("key", sorted(SPECS))
def test_hostile_arguments_get_a_clear_answer(world, key):
    if key not in HANDLERS:
        pytest.fail(f"{key} is no handler (see test_every_handler_has_a_hostile_strategy)")
    state_cls, name = HANDLERS[key]
    spec = SPECS[key]
    tried = []

    @settings(max_examples=spec.examples)
    @given(
        args=spec.args,
        query=spec.query,
        who=_people_for(state_cls),
        locale=st.sampled_from(["zh-CN", "en"]),
    )
    def one(args, query, who, locale):
        args, query = _resolve(args, world.rows), _resolve(query, world.rows)
        root, state = run_coroutine(_run(state_cls, name, args, query, world.token(who), locale))
        _check_tab(root, state, locale)
        if issubclass(state_cls, AdminState) and who != "admin":
            assert state.error == catalogue(locale)["common.forbidden"]
        tried.append(args)

    one()
    assert tried
    assert _stored_text_is_sane() == []


# --- the tab's own vars: a token and a language the browser keeps --------------------------


@settings(max_examples=25)
@given(token=hostile_text, locale=any_text)
def test_a_hostile_token_or_language_is_a_stranger_in_chinese(world, token, locale):
    async def scenario():
        root = _tab({})
        app = await root.get_state(AppState)
        app.auth_token, app.locale = token, locale
        redirect = await app.require_login()
        support = await root.get_state(SupportState)
        await support.submit({"subject": "Hi", "message": "Something is wrong here."})
        return app, redirect

    app, redirect = run_coroutine(scenario())
    assert redirect is not None and app.user_email == "" and app.auth_token == ""


# --- free text is stored as typed -----------------------------------------------------------


@settings(max_examples=30)
@given(subject=hostile_text, message=hostile_text)
def test_a_support_ticket_is_stored_as_typed_or_refused(world, subject, message):
    async def scenario():
        root = _tab({})
        app = await root.get_state(AppState)
        app.auth_token, app.locale = world.token("customer"), "en"
        support = await root.get_state(SupportState)
        await support.submit({"subject": subject, "message": message})
        return support

    with Session(db.engine()) as s:
        before = s.exec(select(sqlalchemy.func.max(SupportTicket.id))).one() or 0
    support = run_coroutine(scenario())
    with Session(db.engine()) as s:
        new = s.exec(select(SupportTicket).where(SupportTicket.id > before)).all()
    if support.error:
        assert new == [] and support.notice == ""
    else:
        (ticket,) = new
        # As typed; only what no keyboard types and no database stores (NUL, a lone
        # surrogate) is left out.
        typed = forms.text(subject).strip(), forms.text(message).strip()
        assert (ticket.subject, ticket.message) == typed
        assert support.notice and support.tickets[0]["subject"] == ticket.subject


def test_order_rows_keep_their_amounts(world):
    """A sanity anchor: hostile saves above left the paid order as it was."""
    with Session(db.engine()) as s:
        paid = s.get(Order, int(world.rows[ORDER]))
    assert paid.status == "fulfilled" and paid.amount_minor > 0


# --- the plain HTTP endpoints ---------------------------------------------------------------

header_text = st.one_of(
    st.sampled_from(["", "t=1,v1=00", "t=,v1=", "v1=" + "a" * 64, "<script>", "' OR 1=1 --"]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300),
)
junk_body = st.one_of(
    st.binary(max_size=2000),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.just(b"\x00" * 10_000),
    st.just(b"{" * 5_000),
)


def _events_recorded() -> int:
    with Session(db.engine()) as s:
        return s.exec(select(sqlalchemy.func.count()).select_from(StripeEvent)).one()


def _fulfilled_orders() -> int:
    with Session(db.engine()) as s:
        return s.exec(
            select(sqlalchemy.func.count()).select_from(Order).where(Order.status == "fulfilled")
        ).one()


@settings(max_examples=40)
@given(body=junk_body, signature=header_text, request_id=header_text)
def test_an_unsigned_webhook_is_refused_and_records_nothing(world, body, signature, request_id):
    before = _events_recorded()
    with TestClient(build_api()) as http:
        answer = http.post(
            stripe_gateway.WEBHOOK_PATH,
            content=body,
            headers={"stripe-signature": signature, "x-request-id": request_id},
        )
    assert answer.status_code == 400 and answer.json() == {"error": "invalid signature"}
    assert _events_recorded() == before


# What a signed event could hold were Stripe's shape to change (or a secret to leak): a body
# that is no event, fields of the wrong type, an order id no int() reads.
signed_junk = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"id": st.one_of(st.just("evt_hostile"), any_text)},
        optional={
            "type": st.one_of(
                st.sampled_from(
                    ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"]
                ),
                any_text,
            ),
            "data": st.one_of(
                json_values,
                st.fixed_dictionaries(
                    {
                        "object": st.one_of(
                            json_values,
                            st.fixed_dictionaries(
                                {},
                                optional={
                                    "id": any_text,
                                    "amount": json_values,
                                    "amount_received": json_values,
                                    "currency": any_text,
                                    "metadata": st.one_of(
                                        json_values,
                                        st.fixed_dictionaries({"order_id": field(ORDER, "²")}),
                                    ),
                                    "last_payment_error": json_values,
                                    "payment_intent": any_text,
                                },
                            ),
                        )
                    }
                ),
            ),
        },
    ),
)


@settings(max_examples=40)
@given(event=signed_junk)
def test_a_signed_but_malformed_event_is_refused_or_ignored_never_a_crash(world, event):
    fulfilled = _fulfilled_orders()
    payload, signature = payment_helpers.signed(_resolve(event, world.rows))
    with TestClient(build_api(), raise_server_exceptions=False) as http:
        answer = http.post(
            stripe_gateway.WEBHOOK_PATH, content=payload, headers={"stripe-signature": signature}
        )
    assert answer.status_code in (200, 400), answer.text
    assert _fulfilled_orders() == fulfilled


@settings(max_examples=5)
@given(request_id=header_text, query=st.dictionaries(header_text, header_text, max_size=3))
def test_health_answers_hostile_headers_with_its_report(world, request_id, query):
    with TestClient(build_api()) as http:
        answer = http.get("/api/health", params=query, headers={"x-request-id": request_id})
    assert answer.status_code in (200, 503)
    assert answer.json()["status"] in ("ok", "unhealthy")
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", answer.headers["x-request-id"])


@settings(max_examples=30)
@given(authorization=header_text, locale=header_text, request_id=header_text)
def test_a_hostile_dashboard_preload_is_refused_and_shows_nobody(
    world, authorization, locale, request_id
):
    with TestClient(build_api(), raise_server_exceptions=False) as http:
        answer = http.get(
            routes.DASHBOARD_PRELOAD,
            headers={
                "authorization": authorization,
                "x-heyon-locale": locale,
                "x-request-id": request_id,
            },
        )
    assert answer.status_code == 401, answer.text
    assert answer.json() == {"error": "not logged in"}
    assert answer.headers["cache-control"] == "no-store"


@settings(max_examples=30)
@example(email="new\u200b-customer@example.com", phone="13800138123")
@example(email="new-customer@\u202emoc.elpmaxe", phone="13800138123")
@given(
    email=st.one_of(slipped_into(("new-customer@example.com",)), hostile_text),
    phone=st.one_of(st.just("13800138123"), slipped_into(("13800138123",)), hostile_text),
)
def test_a_registration_stores_a_clean_address_or_is_refused(world, email, phone):
    async def scenario():
        root = _tab({})
        state = await root.get_state(AuthFormState)
        state.locale = "en"
        form = {"email": email, "phone": phone, "password": PASSWORD, "password_repeat": PASSWORD}
        await state.register(form)
        return state

    state = run_coroutine(scenario())
    with Session(db.engine()) as s:
        stored = s.exec(select(User).where(User.email == state.user_email)).first()
    if state.error:
        assert state.user_email == "" and state.auth_token == ""
        return
    assert stored is not None
    assert _stored_text_is_sane() == []
    # Registered: the next example registers the same address again, so free it.
    with db.session_scope() as s:
        s.exec(sqlalchemy.delete(AuthSession).where(AuthSession.user_id == stored.id))
        s.exec(sqlalchemy.delete(AuditLog).where(AuditLog.actor_user_id == stored.id))
        s.exec(sqlalchemy.delete(User).where(User.id == stored.id))

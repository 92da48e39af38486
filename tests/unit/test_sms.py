"""The SMS providers: local files by default, or an HTTP gateway that may refuse, hang or
be absent; the settings that choose them are checked at start."""

from __future__ import annotations

import dataclasses
import json

import pytest

from heyon_app.services import sms
from heyon_app.settings import Settings, settings
from tests import sms_gateway
from tests.sms_gateway import TOKEN


def test_local_provider_writes_the_message_to_a_file(monkeypatch, tmp_path):
    monkeypatch.setattr(sms, "settings", dataclasses.replace(settings, sms_outbox_dir=tmp_path))
    sms.send_sms("+8613800001234", "您的验证码是 123456")
    (written,) = tmp_path.glob("*-8613800001234.json")
    assert json.loads(written.read_text("utf-8")) == {
        "to": "+8613800001234",
        "body": "您的验证码是 123456",
    }


def test_local_provider_that_cannot_write_raises_sms_error(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(sms, "settings", dataclasses.replace(settings, sms_outbox_dir=blocker))
    with pytest.raises(sms.SmsError, match="could not write"):
        sms.send_sms("+8613800001234", "hello")


def test_gateway_accepts_the_message_posted_with_the_bearer_token(monkeypatch):
    with sms_gateway.running(monkeypatch) as gateway:
        sms.send_sms("+8613800001234", "您的验证码是 123456")
    (request,) = gateway.requests
    assert request.path == "/v1/messages"
    assert request.authorization == f"Bearer {TOKEN}"
    assert request.content_type.startswith("application/json")
    assert request.body == {"to": "+8613800001234", "from": "Heyon", "text": "您的验证码是 123456"}


@pytest.mark.parametrize("status", [500, 401, 429, 302])
def test_refused_message_raises_with_the_status_and_never_the_token(monkeypatch, status):
    with sms_gateway.running(monkeypatch) as gateway:
        gateway.answers = [status]
        with pytest.raises(sms.SmsError) as caught:
            sms.send_sms("+8613800001234", "hello")
    assert f"HTTP {status}" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert len(gateway.requests) == 1  # a redirect is not followed with the token


def test_gateway_that_does_not_answer_in_time_raises_sms_error(monkeypatch):
    with sms_gateway.running(monkeypatch, timeout=0.3) as gateway:
        gateway.answering.clear()  # held until the test ends: only the timeout can end the call
        with pytest.raises(sms.SmsError, match="did not answer within 0.3 s") as caught:
            sms.send_sms("+8613800001234", "hello")
    assert TOKEN not in str(caught.value)
    assert len(gateway.requests) == 1


def test_unreachable_gateway_raises_sms_error_without_the_token(monkeypatch):
    with sms_gateway.running(monkeypatch) as gateway:
        closed = gateway.url
    # The server is stopped: nothing listens on its port any more.
    monkeypatch.setattr(sms, "settings", dataclasses.replace(sms.settings, sms_http_url=closed))
    with pytest.raises(sms.SmsError, match="not reached") as caught:
        sms.send_sms("+8613800001234", "hello")
    assert TOKEN not in str(caught.value)


@pytest.fixture
def env(monkeypatch):
    for name in (
        "SMS_PROVIDER",
        "SMS_HTTP_URL",
        "SMS_HTTP_TOKEN",
        "SMS_HTTP_SENDER",
        "SMS_HTTP_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_local_files_are_the_default_provider(env):
    loaded = Settings.from_env()
    assert (loaded.sms_provider, loaded.sms_http_timeout) == ("local", 10.0)


def test_http_provider_reads_its_settings(env):
    env.setenv("SMS_PROVIDER", "http")
    env.setenv("SMS_HTTP_URL", "https://sms.example.com/v1/messages")
    env.setenv("SMS_HTTP_TOKEN", TOKEN)
    env.setenv("SMS_HTTP_SENDER", "HEYON")
    env.setenv("SMS_HTTP_TIMEOUT", "2.5")
    loaded = Settings.from_env()
    assert (loaded.sms_provider, loaded.sms_http_url, loaded.sms_http_token) == (
        "http",
        "https://sms.example.com/v1/messages",
        TOKEN,
    )
    assert (loaded.sms_http_sender, loaded.sms_http_timeout) == ("HEYON", 2.5)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SMS_PROVIDER": "http", "SMS_HTTP_TOKEN": TOKEN}, "SMS_HTTP_URL and SMS_HTTP_TOKEN"),
        ({"SMS_PROVIDER": "http", "SMS_HTTP_URL": "https://sms.example.com"}, "SMS_HTTP_TOKEN"),
        ({"SMS_PROVIDER": "pigeon"}, "SMS_PROVIDER must be local or http"),
        ({"SMS_HTTP_URL": "sms.example.com"}, "SMS_HTTP_URL must start with"),
        ({"SMS_HTTP_TIMEOUT": "0"}, "SMS_HTTP_TIMEOUT must be more than 0"),
        ({"SMS_HTTP_TIMEOUT": "600"}, "at most 120 seconds"),
    ],
)
def test_incomplete_sms_settings_stop_the_start(env, variables, message):
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(ValueError, match=message) as caught:
        Settings.from_env()
    assert TOKEN not in str(caught.value)

"""The running settings are the secure defaults, and pages carry the security headers."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def test_passwords_are_hashed_with_argon2() -> None:
    from medvigil import settings as configured  # the suite itself hashes with a cheaper Argon2

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_debug_is_off_and_cookies_are_secure_by_default() -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_sign_in_page_sends_security_headers(client: Client, db: None) -> None:
    # On PostgreSQL every web request sets its statement timeout on the connection.
    response = client.get("/sign-in/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-Id"]) == 32


def test_a_safe_request_id_from_the_proxy_is_kept_and_a_dangerous_one_replaced(
    client: Client, db: None
) -> None:
    kept = client.get("/api/v1/health", headers={"X-Request-Id": "proxy-1234-abcd"})
    assert kept["X-Request-Id"] == "proxy-1234-abcd"
    replaced = client.get("/api/v1/health", headers={"X-Request-Id": "bad\nid injected"})
    assert replaced["X-Request-Id"] != "bad\nid injected"
    assert len(replaced["X-Request-Id"]) == 32


def test_static_files_are_served_locally(client: Client) -> None:
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert b"htmx" in body[:2000]

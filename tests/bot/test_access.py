"""The allow-list, admins and the per-user rate limit."""

from __future__ import annotations

from bot.access import Access, RateLimiter


def test_no_allow_list_lets_everyone_in_and_admins_always_pass() -> None:
    open_bot = Access(admin_ids=[1], allowed_ids=[])
    assert open_bot.is_allowed(42, 42) and open_bot.is_allowed(None, None)
    private = Access(admin_ids=[1], allowed_ids=[7, -100])
    assert private.is_allowed(1, 1)  # an admin
    assert private.is_allowed(7, 7)  # a listed user, anywhere
    assert private.is_allowed(8, -100)  # anyone in a listed chat
    assert not private.is_allowed(8, 8)
    assert private.is_admin(1) and not private.is_admin(7) and not private.is_admin(None)


def test_a_refused_user_is_told_once() -> None:
    access = Access(admin_ids=[], allowed_ids=[7])
    assert access.first_refusal(8, 8)
    assert not access.first_refusal(8, 8)
    assert access.first_refusal(9, -5)


def test_rate_limit_slides_over_a_minute() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.wait_time(1) == 0 and limiter.wait_time(1) == 0
    assert limiter.wait_time(1) == 60.0
    assert limiter.wait_time(2) == 0  # per user
    now[0] += 30
    assert limiter.wait_time(1) == 30.0  # refused questions do not count
    now[0] += 30
    assert limiter.wait_time(1) == 0
    assert RateLimiter(0).wait_time(1) == 0  # 0: no limit

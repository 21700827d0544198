"""The allow-list, admins, the per-user rate limit, one question at a time per user, refusals said once."""

from __future__ import annotations

import asyncio

from bot.telegram.access import Access, Limited, OneAtATime, RateLimiter


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


def test_over_the_rate_limit_a_user_is_told_once_until_they_may_ask_again() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check(1) is None and limiter.check(1) is None
    assert limiter.check(1) == Limited(60.0, tell=True)
    now[0] += 10
    assert [limiter.check(1) for _ in range(3)] == [Limited(50.0, tell=False)] * 3  # the flood: silence
    assert limiter.check(2) is None  # others are not affected
    now[0] += 50
    assert limiter.check(1) is None and limiter.check(1) is None  # the window has moved on
    assert limiter.check(1) == Limited(60.0, tell=True)  # a new window: told again, once


def test_admins_only_is_said_once_a_minute_per_command() -> None:
    now = [0.0]
    access = Access(admin_ids=[1], allowed_ids=[], clock=lambda: now[0])
    assert access.admin_only_due(5, "/reingest") and not access.admin_only_due(5, "/reingest")
    assert access.admin_only_due(5, "/cancel") and access.admin_only_due(6, "/reingest")
    now[0] += 59
    assert not access.admin_only_due(5, "/reingest")
    now[0] += 1
    assert access.admin_only_due(5, "/reingest")


async def test_a_users_questions_take_turns_in_order_and_others_do_not_wait() -> None:
    turns = OneAtATime()
    log: list[str] = []
    first_may_end = asyncio.Event()

    async def ask(user: int, name: str, hold: asyncio.Event | None = None) -> None:
        async with turns.turn(user):
            log.append(f"{name} starts")
            if hold is not None:
                await hold.wait()
            log.append(f"{name} ends")

    tasks = [asyncio.create_task(ask(1, "a1", first_may_end))]
    tasks += [asyncio.create_task(ask(1, name)) for name in ("a2", "a3")]
    tasks.append(asyncio.create_task(ask(2, "b1")))
    await asyncio.sleep(0.01)
    assert log == ["a1 starts", "b1 starts", "b1 ends"]  # user 2 did not wait for user 1
    assert turns.waiting(1) == 3 and turns.waiting(2) == 0
    first_may_end.set()
    await asyncio.gather(*tasks)
    assert log[3:] == ["a1 ends", "a2 starts", "a2 ends", "a3 starts", "a3 ends"]  # one at a time, in order
    assert turns.waiting(1) == 0

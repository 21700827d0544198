"""The bot end to end: the real ``Application`` long polling a local Bot API emulator, over a real archive.

``sample_data_dir`` ingests the repo's ``sample/`` archive once with the bundled model (tests only read
it; those that ingest use their own data directory); each test gets a fresh emulator and a bot built
from settings, as ``newsbot serve`` builds it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.archive import AnswererFactory, Archive, default_answerer
from bot.telegram.app import ALLOWED_UPDATES, NewsbotApp, build_application
from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import Settings, load_settings
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator

TOKEN = "424242:TEST-newsbot_token-xyz"
ADMIN_ID = 9001
_state_root: list[Path] = []
"""Where :func:`bot_settings` puts each bot's saved state: under pytest's own temporary directory, which
pytest prunes (a plain ``mkdtemp`` left a directory in /tmp for every bot a run started)."""


@pytest.fixture(scope="session", autouse=True)
def _bot_state_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    _state_root[:] = [tmp_path_factory.mktemp("bot-state")]


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """A data directory whose embedded store holds ``sample/`` (12 articles)."""
    data_dir = tmp_path_factory.mktemp("bot-archive")
    settings = load_settings(data_dir=data_dir)
    report = Ingestion(open_store(settings), e5, lock_dir=data_dir / "locks").run([SAMPLE])
    assert report.added == 12 and not report.skipped
    return data_dir


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


def bot_settings(emu: BotApiEmulator, data_dir: Path, **overrides: Any) -> Settings:
    """The bot's settings for a test; its saved state (buttons, threads) is the test's own unless
    ``bot_state_file`` is given (``None``: the default under ``data_dir``), as data dirs are shared."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "telegram_bot_token": emu.token,
        "telegram_api_base_url": emu.base_url,
        "admin_ids": [ADMIN_ID],
        "bot_state_file": Path(tempfile.mkdtemp(prefix="bot-", dir=_state_root[0])) / "state.pickle",
    }
    return load_settings(**(values | overrides))


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings,
    e5: E5Embeddings,
    make_answerer: AnswererFactory = default_answerer,
    *,
    polling: bool = True,
) -> AsyncIterator[NewsbotApp]:
    """The bot as ``newsbot serve`` runs it (post_init, long polling, post_stop), on this test's loop.

    With ``polling=False`` the test starts the updater itself (a webhook, say).
    """
    app = build_application(settings, archive=Archive(settings, embeddings=e5, make_answerer=make_answerer))
    async with app:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        if polling:
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)

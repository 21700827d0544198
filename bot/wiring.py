"""The composition root: the store, the embeddings, the answerer and an ingestion, built from settings
(the command line, the bot and the benches build them here).

    store = open_store(settings)                       # embedded, or the Chroma server of CHROMA_URL
    answerer = build_answerer(settings)                # store, model, searcher, abstention, LLM if set
    ingestion = build_ingestion(settings, store, embeddings, cancel=stop)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ingest.loaders import ArticleLimits
from ingest.pipeline import Ingestion, ProgressCallback
from retrieval.answer.answerer import Answerer, FollowUpRewriter, LLMComposer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import NewsEmbeddings, make_embeddings
from retrieval.search.searcher import Searcher
from retrieval.settings import Settings
from retrieval.store.chunks import ChunkStore


def open_store(settings: Settings) -> ChunkStore:
    token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
    return ChunkStore.open(
        settings.chroma_url,
        settings.data_dir / "chroma",
        settings.collection,
        tenant=settings.chroma_tenant,
        database=settings.chroma_database,
        token=token,
        token_header=settings.chroma_token_header,
        month_index=settings.month_index,
        timeout=settings.chroma_timeout,
    )


def load_embeddings(settings: Settings) -> NewsEmbeddings:
    return make_embeddings(settings.embedding)


def build_answerer(
    settings: Settings, *, store: ChunkStore | None = None, embeddings: NewsEmbeddings | None = None
) -> Answerer:
    """Everything ``ask`` needs: store, model, searcher, abstention policy and (if set up) the LLM."""
    store = store or open_store(settings)
    embeddings = embeddings or load_embeddings(settings)
    store.check_model(embeddings.model_id)
    searcher = Searcher(store, embeddings)
    policy = AbstainPolicy.for_model(embeddings.model_id, settings.abstain_threshold)
    llm = build_llm(settings, embeddings)
    return Answerer(
        searcher,
        policy,
        llm=llm,
        rewriter=llm if isinstance(llm, FollowUpRewriter) else None,
        max_question_chars=settings.max_question_chars,
    )


def build_llm(settings: Settings, embeddings: NewsEmbeddings) -> LLMComposer | None:
    if not settings.llm_enabled:
        return None
    from retrieval.answer.llm import OpenAICompatibleComposer
    from retrieval.answer.support import Support

    return OpenAICompatibleComposer.from_settings(settings, Support(embeddings))


def build_ingestion(
    settings: Settings,
    store: ChunkStore,
    embeddings: NewsEmbeddings,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    wait: float | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Ingestion:
    """An ingestion into ``store`` (not started): the article limits of the settings, the data
    directory's lock, waiting at most ``wait`` seconds (by default ``NEWSBOT_INGEST_WAIT``) for another
    one holding the collection (``on_wait`` told who holds it)."""
    return Ingestion(
        store,
        embeddings,
        lock_dir=settings.data_dir / "locks",
        limits=ArticleLimits.from_settings(settings),
        progress=progress,
        cancel=cancel,
        wait=settings.ingest_wait if wait is None else wait,
        on_wait=on_wait,
    )

"""Articles into chunks: pure functions, no I/O.

Embedding is the cost that rules ingestion (about five passages a second on two cores), so every token of
an article is embedded once: chunks do not overlap. They follow sentence boundaries (``razdel``, which
knows Russian abbreviations and initials and handles English too) and prefer paragraph breaks, and stay
small enough to quote in a citation. Each chunk is an exact span ``article.text[start:end]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from langchain_text_splitters import RecursiveCharacterTextSplitter, TextSplitter
from razdel import sentenize

from retrieval.boilerplate import Span, prose_start, strip_span
from retrieval.records import Article, Chunk

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_SEPARATORS = ["\n", "; ", ", ", " ", ""]


@dataclass(frozen=True, slots=True)
class ChunkingConfig:
    size: int = 300
    """Most characters in a chunk of several sentences; a longer sentence makes a chunk of its own.
    Small chunks (one to three sentences) retrieve best on the dev set; passages add context at search."""
    min_size: int = 75
    """A last chunk shorter than this joins the previous one when the two fit in 1.5 x ``size``."""
    max_sentence: int = 1200
    """A sentence longer than this (a run-on list, a table row) is cut at word boundaries."""

    @property
    def signature(self) -> str:
        """Changes whenever chunking would cut differently: stored chunks made otherwise are re-made."""
        return f"sent-v3/{self.size}/{self.min_size}/{self.max_sentence}"


def _paragraphs(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in (strip_span(text, s, e) for s, e in spans) if e > s]


def _cut_long(text: str, start: int, end: int, size: int) -> list[Span]:
    """A sentence longer than ``size``: cut at the widest separator that makes it fit."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=0,
        separators=_WORD_SEPARATORS,
        keep_separator="end",
        strip_whitespace=False,
    )
    spans: list[Span] = []
    pos = start
    for piece in splitter.split_text(text[start:end]):
        found = text.find(piece, pos, end)
        s = found if found >= 0 else pos
        spans.append(strip_span(text, s, s + len(piece)))
        pos = s + len(piece)
    return [(s, e) for s, e in spans if e > s]


def sentence_spans(text: str, size: int) -> Iterable[tuple[Span, bool]]:
    """Sentences as spans, each no longer than ``size`` (cut at words beyond), with whether it starts a
    paragraph."""
    for p_start, p_end in _paragraphs(text):
        first = True
        for sent in sentenize(text[p_start:p_end]):
            s, e = strip_span(text, p_start + sent.start, p_start + sent.stop)
            if e <= s:
                continue
            pieces = [(s, e)] if e - s <= size else _cut_long(text, s, e, size)
            for piece in pieces:
                yield piece, first
                first = False


def pack_spans(sentences: Iterable[tuple[Span, bool]], config: ChunkingConfig) -> list[Span]:
    """Greedy packing of sentences into chunks of at most ``config.size`` characters."""
    chunks: list[Span] = []
    cur: Span | None = None
    for (s, e), new_paragraph in sentences:
        if cur is None:
            cur = (s, e)
            continue
        too_long = e - cur[0] > config.size
        # A new paragraph is a good place to cut once the chunk has some body.
        paragraph_cut = new_paragraph and cur[1] - cur[0] >= config.size * 0.6
        if too_long or paragraph_cut:
            chunks.append(cur)
            cur = (s, e)
        else:
            cur = (cur[0], e)
    if cur is not None:
        chunks.append(cur)
    if len(chunks) >= 2:
        (ps, _), (ls, le) = chunks[-2], chunks[-1]
        if le - ls < config.min_size and le - ps <= config.size * 1.5:
            chunks[-2:] = [(ps, le)]
    return chunks


class SentenceTextSplitter(TextSplitter):
    """A LangChain text splitter that cuts at sentence boundaries (Russian and English), no overlap."""

    def __init__(self, config: ChunkingConfig | None = None, **kwargs: Any) -> None:
        self.config = config or ChunkingConfig()
        super().__init__(chunk_size=self.config.size, chunk_overlap=0, **kwargs)

    def split_spans(self, text: str) -> list[Span]:
        return pack_spans(sentence_spans(text, self.config.max_sentence), self.config)

    def split_text(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.split_spans(text)]


def article_document(article: Article) -> str:
    """The text that is chunked, embedded and quoted: the headline as the first paragraph (unless the
    text already starts with it, as in layouts whose title is the first sentence, perhaps after a caption
    or a dateline: see :func:`~retrieval.boilerplate.prose_start`), then the body."""
    title = article.title.strip()
    stem = title.rstrip("…").rstrip()
    if (
        not title
        or article.text.startswith(stem)
        or article.text[prose_start(article.text) :].startswith(stem)
    ):
        return article.text
    return f"{title}\n\n{article.text}"


def chunk_article(article: Article, config: ChunkingConfig | None = None) -> list[Chunk]:
    """Chunks of :func:`article_document`; ``start``/``end`` are offsets in that document."""
    splitter = SentenceTextSplitter(config)
    document = article_document(article)
    return [
        Chunk(
            article_id=article.id,
            index=i,
            text=document[s:e],
            start=s,
            end=e,
            title=article.title,
            date=article.date,
            url=article.url,
            source=article.source,
        )
        for i, (s, e) in enumerate(splitter.split_spans(document))
    ]

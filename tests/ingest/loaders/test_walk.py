"""Walking paths: ids relative to the root given, folders in sorted order, the supported suffixes, and a
generated archive of every layout loaded completely with stable ids."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES, load_file, load_paths
from tests.ingest.loaders.samples import STORY, only_article, write
from tests.support.generate import Archive


def test_ids_are_relative_to_the_root_given(tmp_path: Path) -> None:
    path = write(tmp_path, "archive/2026/01/story.txt", STORY)

    from_folder = only_article(load_paths([tmp_path / "archive"]))
    from_file = only_article(load_paths([path]))
    from_root = only_article(load_file(path, tmp_path))

    assert from_folder.id == "2026/01/story.txt"
    assert from_file.id == "story.txt"
    assert from_root.id == from_root.origin == "archive/2026/01/story.txt"


def test_folders_are_read_in_sorted_order_and_ids_are_stable(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.txt", "a.txt", "c/a.txt"):
        write(tmp_path, name, STORY)

    first = load_paths([tmp_path])
    second = load_paths([str(tmp_path)])

    assert [article.id for article in first.articles] == ["a/z.txt", "a.txt", "b.txt", "c/a.txt"]
    assert first.articles == second.articles


def test_supported_suffixes() -> None:
    assert frozenset({".txt", ".md", ".json", ".jsonl", ".csv", ".html", ".htm"}) == SUPPORTED_SUFFIXES


def test_an_archive_of_every_layout_loads_completely_with_stable_ids(generated_archive: Archive) -> None:
    archive = generated_archive
    result = load_paths([archive.root])

    assert result.skipped == [] and result.warnings == []
    assert [a.id for a in result.articles] == [a.id for a in archive.articles]
    assert len({a.id for a in result.articles}) == len(archive.articles)
    assert {a.layout for a in archive.articles} == {"jsonl", "json", "csv", "nerel", "seed", "plain", "html"}

    expected = {a.id: (a.title, a.date, a.url, a.source, a.text) for a in archive.articles}
    assert {a.id: (a.title, a.date, a.url, a.source, a.text) for a in result.articles} == expected

    nerel = sorted(p.name for p in (archive.root / "nerel").glob("*.txt"))
    assert sorted(a.id for a in result.articles if a.id.startswith("nerel/")) == [f"nerel/{n}" for n in nerel]
    for name in ("digest.json", "english.csv", "wire.jsonl", "world.jsonl"):
        file = f"feeds/{name}"
        loaded = [a.id for a in result.articles if (a.origin or "").startswith((f"{file}:", f"{file}["))]
        assert loaded == [a.id for a in archive.in_file(file)]

    assert load_paths([str(archive.root)]).articles == result.articles

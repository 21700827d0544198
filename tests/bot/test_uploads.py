"""Uploaded documents: checked before download, zips extracted without escaping their folder."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from bot.uploads import (
    UploadError,
    check_document,
    download_path,
    new_upload_folder,
    safe_file_name,
    unpack,
)

MB = 2**20


def make_zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def test_documents_are_checked_by_type_and_size() -> None:
    assert check_document("news.JSONL", 10, MB) == ".jsonl"
    assert check_document("batch.zip", MB, MB) == ".zip"
    with pytest.raises(UploadError, match=r"is 2\.0 MB; the limit is 1 MB"):
        check_document("big.txt", 2 * MB, MB)
    with pytest.raises(UploadError, match=r"«scan\.pdf» is not one of them"):
        check_document("scan.pdf", 10, MB)
    with pytest.raises(UploadError, match="did not say how big"):
        check_document("a.txt", None, MB)


def test_file_names_are_made_safe() -> None:
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\Users\\x\\новости 1.txt") == "новости 1.txt"
    assert safe_file_name("..") == "document" and safe_file_name(None) == "document"
    assert safe_file_name(".hidden.txt") == "hidden.txt"


def test_a_plain_file_is_ingested_where_it_is_kept(tmp_path: Path) -> None:
    folder = new_upload_folder(tmp_path / "uploads")
    saved = download_path(folder, "../news.txt")
    saved.write_text("x")
    assert saved == folder / "news.txt"
    assert unpack(saved, MB).path == saved


def test_a_zip_is_extracted_beside_its_original_safely(tmp_path: Path) -> None:
    folder = new_upload_folder(tmp_path / "uploads")
    saved = download_path(folder, "Batch.ZIP")
    members = {
        "a/one.txt": b"one",
        "two.csv": b"id,title,text\n",
        "../../evil.txt": b"evil",
        "/abs.txt": b"abs",
        "pic.png": b"png",
        "__MACOSX/a/._one.txt": b"fork",
        ".DS_Store": b"junk",
    }
    saved.write_bytes(make_zip(members, links=("link.txt",)))
    unpacked = unpack(saved, MB)
    assert saved.name == "original.zip"
    assert unpacked.path == folder / "files"
    extracted = sorted(str(p.relative_to(unpacked.path)) for p in unpacked.path.rglob("*") if p.is_file())
    assert extracted == ["a/one.txt", "two.csv"]
    reasons = {p.where: p.reason for p in unpacked.skipped}
    assert reasons == {
        "original.zip:../../evil.txt": "unsafe path (absolute or with ..), not extracted",
        "original.zip:/abs.txt": "unsafe path (absolute or with ..), not extracted",
        "original.zip:pic.png": "unsupported file type .png",
        "original.zip:link.txt": "a link, not extracted",
    }
    assert not list(tmp_path.rglob("evil.txt")) and not list(tmp_path.rglob("abs.txt"))


def test_a_zip_bomb_is_refused_and_nothing_half_extracted_stays(tmp_path: Path) -> None:
    folder = new_upload_folder(tmp_path / "uploads")
    saved = download_path(folder, "bomb.zip")
    saved.write_bytes(make_zip({"a.txt": b"0" * (3 * MB), "b.txt": b"0" * (3 * MB)}))
    assert saved.stat().st_size < MB // 10
    with pytest.raises(UploadError, match="unpacks to more than 5 MB"):
        unpack(saved, MB // 2)
    assert not (folder / "files").exists()
    assert saved.exists()  # the original is kept


def test_a_broken_zip_is_reported(tmp_path: Path) -> None:
    saved = download_path(new_upload_folder(tmp_path / "uploads"), "x.zip")
    saved.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UploadError, match="not a readable zip file"):
        unpack(saved, MB)

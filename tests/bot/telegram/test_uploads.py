"""Uploaded documents: checked before download, zips extracted without escaping their folder, clashing
or damaged members reported by name."""

from __future__ import annotations

import io
import re
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from bot.telegram.upload_files import (
    UploadError,
    check_document,
    download_path,
    new_upload_folder,
    safe_file_name,
    unpack,
)
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

MB = 2**20
TRAM = (
    "В Твери запустили новый трамвай на водородном топливе\n\n"
    "В Твери на линию вышел первый трамвай на водородном топливе. Вагон собран на местном заводе."
)


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


def scrambled(content: bytes, member: str) -> bytes:
    """The zip ``content`` with the stored data of ``member`` altered, its headers intact."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        info = z.getinfo(member)
    data = bytearray(content)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start, start + min(info.compress_size, 40)):
        data[i] ^= 0x55
    return bytes(data)


DAMAGED = (
    r"Cannot read «{member}» in the zip: its compressed data is damaged \(Error -3 while decompressing data: "
    r"[a-z ]+\)\. Nothing was ingested; send a sound zip, please\."
)
"""What an admin is told of a member with damaged deflate data (zlib's own words in the brackets)."""


def clashing_zip() -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as z:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name, as it should
        z.writestr("news/tram.txt", TRAM)
        z.writestr("news/tram.txt/inside.txt", "Файл внутри файла.")  # a folder named like the file
        z.writestr("more/b.txt/c.txt", "Папка с именем файла.")
        z.writestr("more/b.txt", "Файл с именем папки.")
        z.writestr("news/tram.txt", "Второй файл с тем же именем.")
    return buffer.getvalue()


def test_members_that_clash_are_reported_and_the_first_kept(tmp_path: Path) -> None:
    saved = download_path(new_upload_folder(tmp_path / "uploads"), "clash.zip")
    saved.write_bytes(clashing_zip())
    unpacked = unpack(saved, MB)
    files = sorted(str(p.relative_to(unpacked.path)) for p in unpacked.path.rglob("*") if p.is_file())
    assert files == ["more/b.txt/c.txt", "news/tram.txt"]
    assert (unpacked.path / "news" / "tram.txt").read_text(encoding="utf-8") == TRAM
    assert [(p.where, p.reason) for p in unpacked.skipped] == [
        (
            "original.zip:news/tram.txt/inside.txt",
            "clashes with the file «news/tram.txt» of the same name as its folder, not extracted",
        ),
        ("original.zip:more/b.txt", "clashes with a folder of the same name, not extracted"),
        ("original.zip:news/tram.txt", "its name appears twice in the zip; the first one was extracted"),
    ]


def test_a_damaged_member_is_named_and_nothing_half_extracted_stays(tmp_path: Path) -> None:
    members = {"a/good.txt": b"fine text " * 200, "a/bad.txt": b"Some text that is long enough " * 200}
    deflated = download_path(new_upload_folder(tmp_path / "uploads"), "deflate.zip")
    deflated.write_bytes(scrambled(make_zip(members), "a/bad.txt"))
    with pytest.raises(UploadError) as deflate_error:
        unpack(deflated, MB)
    assert re.fullmatch(DAMAGED.format(member=re.escape("a/bad.txt")), str(deflate_error.value))
    assert not (deflated.parent / "files").exists()
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a/good.txt", b"fine")
        z.writestr("a/flipped.txt", b"one byte will change")
    crc = download_path(new_upload_folder(tmp_path / "uploads"), "crc.zip")
    crc.write_bytes(scrambled(stored.getvalue(), "a/flipped.txt"))
    with pytest.raises(
        UploadError, match=r"^Cannot read «a/flipped\.txt» in the zip: it is damaged \(Bad CRC-32"
    ):
        unpack(crc, MB)
    assert not (crc.parent / "files").exists()


# -- through the bot ----------------------------------------------------------------------------------


async def test_a_damaged_zip_is_reported_by_member_and_removed(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    members = {"news/tram.txt": TRAM.encode(), "news/bad.txt": b"Some text that is long enough " * 200}
    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_document(chat, admin, "batch.zip", scrambled(make_zip(members), "news/bad.txt"))
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        final = await emu.wait_for_async(
            lambda: (m := emu.message(chat, status.message_id)).text.startswith("❌") and m, timeout=60
        )
        emu.send_text(chat, admin, "/stats")  # still serving, and nothing was ingested
        [_, stats] = await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert status.text == "📥 Receiving batch.zip…"
    assert re.fullmatch("❌ " + DAMAGED.format(member=re.escape("news/bad.txt")), final.text)
    assert "Articles: 0" in stats.text
    assert list((data_dir / "uploads").iterdir()) == []  # neither the zip nor a half-extracted file stays


async def test_a_zip_whose_members_clash_is_ingested_with_the_clashes_reported(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    async with running_bot(bot_settings(emu, tmp_path / "data"), e5):
        emu.send_document(chat, admin, "clash.zip", clashing_zip())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
    final = emu.message(chat, status.message_id).text
    assert final.startswith("✅ Ingesting clash.zip\nIngestion finished: 2 added")
    assert "original.zip:news/tram.txt/inside.txt: clashes with the file «news/tram.txt»" in final
    assert "original.zip:more/b.txt: clashes with a folder of the same name, not extracted" in final
    assert (
        "original.zip:news/tram.txt: its name appears twice in the zip; the first one was extracted" in final
    )

"""Files: documents and photos sent either way, `getFile` and the download URL. A photo gets the sizes
Telegram makes of it (`PhotoSize` objects, each a file holding the bytes sent: nothing is resized);
`sendPhoto` also takes a known `file_id` or an http(s) URL, fetched as Telegram fetches it."""

from __future__ import annotations

import copy
import io
import mimetypes
from pathlib import PurePosixPath
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from PIL import Image, UnidentifiedImageError

from .formatting import user_entities
from .limits import MAX_CAPTION, MAX_DOWNLOAD, MAX_PHOTO_URL_BYTES, PHOTO_SIDES
from .messages import Messages
from .protocol import ApiError, Params, bad
from .records import Chat, User
from .state import StoredFile


class Files(Messages):
    """Documents and photos either way, and their downloads."""

    def send_document(
        self,
        chat: Chat,
        user: User,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """`user` sends a file; the update carries a `document` whose `file_id` `getFile` resolves."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file(filename, mime_type, content)
        fields: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            fields["caption"] = caption
            if entities := user_entities(caption):
                fields["caption_entities"] = entities
        return self._user_message(chat, user, fields, caption or "", None)

    def _store_file(self, filename: str, mime_type: str, content: bytes) -> StoredFile:
        with self._lock:
            number = next(self._file_ids)
            suffix = PurePosixPath(filename).suffix
            stored = StoredFile(
                file_id=f"BQACAgIAAxkBAAI{number:08d}",
                file_unique_id=f"AgAD{number:08d}",
                file_path=f"documents/file_{number}{suffix}",
                file_name=filename,
                mime_type=mime_type,
                content=content,
            )
            self._files[stored.file_id] = stored
        return stored

    def file_content(self, file_id: str) -> bytes:
        """The bytes of a file the bot sent or a user sent (a photo's sizes all hold the bytes sent)."""
        with self._lock:
            return self._files[file_id].content

    @property
    def downloads(self) -> list[str]:
        """The file paths the bot downloaded."""
        with self._lock:
            return list(self._downloads)

    # -- Bot API methods and the download URL

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        path = request.match_info["file_path"]
        with self._lock:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
            if stored is not None:
                self._downloads.append(path)
                self._notify()
        if stored is None:
            return ApiError(404, "Not Found").response()
        return web.Response(body=stored.content, content_type=stored.mime_type)

    def _send_document(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "caption", MAX_CAPTION, required=False)
            stored = self._document_param(params)
            return self._store_bot_message(chat, version, params, {"document": stored.document_json()})

    def _document_param(self, params: Params) -> StoredFile:
        reference = params.text("document") or ""
        upload = params.uploads.get(reference.removeprefix("attach://") if reference else "document")
        if upload is not None:
            if not upload.content:
                raise bad("file must be non-empty")
            mime = (
                upload.content_type or mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
            )
            return self._store_file(upload.filename, mime, upload.content)
        if reference in self._files:
            return self._files[reference]
        raise bad("wrong file identifier/HTTP URL specified")

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        with self._lock:
            self._chat(params)  # "chat not found" comes first
        content = await self._photo_content(params)
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "caption", MAX_CAPTION, required=False)
            if isinstance(content, list):  # a photo sent before: the same sizes
                sizes = content
            else:
                sizes = [size.photo_size_json() for size in self._store_photo(content)]
            return self._store_bot_message(chat, version, params, {"photo": sizes})

    async def _photo_content(self, params: Params) -> bytes | list[dict[str, Any]]:
        """The uploaded or fetched bytes of `photo`, or the sizes of the photo a `file_id` names."""
        reference = params.text("photo") or ""
        upload = params.uploads.get(reference.removeprefix("attach://") if reference else "photo")
        if upload is not None:
            return upload.content
        if not reference:
            raise bad("there is no photo in the request")
        if reference.lower().startswith(("http://", "https://")):
            return await _fetch_photo(reference)
        with self._lock:
            sizes = self._photos.get(reference)
        if sizes is None:
            raise bad("wrong file identifier/HTTP URL specified")
        return copy.deepcopy(sizes)

    def _store_photo(self, content: bytes) -> list[StoredFile]:
        """The sizes of a new photo, each a file; call with the lock held."""
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, ValueError):
            raise bad("IMAGE_PROCESS_FAILED") from None
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise bad("PHOTO_INVALID_DIMENSIONS")
        longer = max(width, height)
        sides = [side for side in PHOTO_SIDES if side < longer] + [min(longer, PHOTO_SIDES[-1])]
        sizes = []
        for side in sides:
            scale = side / longer
            number = next(self._file_ids)
            stored = StoredFile(
                file_id=f"AgACAgIAAxkDAAI{number:08d}",
                file_unique_id=f"AQAD{number:08d}",
                file_path=f"photos/file_{number}.jpg",
                file_name="",
                mime_type="image/jpeg",
                content=content,
                width=max(1, round(width * scale)),
                height=max(1, round(height * scale)),
            )
            self._files[stored.file_id] = stored
            sizes.append(stored)
        json_sizes = [size.photo_size_json() for size in sizes]
        for size in sizes:
            self._photos[size.file_id] = json_sizes
        return sizes

    def _get_file(self, params: Params) -> dict[str, Any]:
        with self._lock:
            stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise bad("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD:
            raise bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


async def _fetch_photo(url: str) -> bytes:
    """A photo sent by URL, fetched as Telegram fetches it (an image type, at most 5 MB)."""
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=10)) as session,
            session.get(url) as response,
        ):
            if response.status != 200:
                raise bad("failed to get HTTP URL content")
            if not response.content_type.startswith("image/"):
                raise bad("wrong type of the web page content")
            content = await response.content.read(MAX_PHOTO_URL_BYTES + 1)
    except (ClientError, TimeoutError):
        raise bad("failed to get HTTP URL content") from None
    if len(content) > MAX_PHOTO_URL_BYTES:
        raise bad("failed to get HTTP URL content")
    return content

"""Formatting options, as Telegram applies them: HTML parsed as tdlib parses it (the same tags, attribute
rules, entity decoding and error wording), entity offsets in UTF-16 code units, the trimming and ordering
of entities, and the entities Telegram adds to what a user types (bot commands and @mentions)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

COMMAND_RE = re.compile(r"(?<![\w/<>])/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,32}))?(?!\w)", re.ASCII)
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,32})(?!\w)", re.ASCII)


class EntityParseError(ValueError):
    """HTML the API refuses; the message is worded as Telegram words it."""


_SPACES = frozenset(" \t\r\n\v\f")
_TRIM = " \t\r\n\v\f"
_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote"}
    | {"tg-spoiler", "span"}
)
_SIMPLE_ENTITIES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "code": "code",
}  # fmt: skip
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})
# tdlib's order for entities on the same range, outermost first; code and pre swallow what they contain
_PRIORITY = {"blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49}
_PRIORITY |= {"bold": 90, "italic": 91, "underline": 92, "strikethrough": 93}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_reference(s: str, pos: int) -> tuple[str, int] | None:
    """tdlib's decode_html_entity: the character at `&...` and where it ends; the `;` is optional."""
    end = pos + 1
    if s[end] == "#":
        end += 1
        hexadecimal = s[end] == "x"
        end += hexadecimal
        start = end
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while s[end] in digits:
            end += 1
        code = int(s[start:end], 16 if hexadecimal else 10) if end > start else 0
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        while s[end].isascii() and s[end].isalpha():
            end += 1
        named = _NAMED_REFERENCES.get(s[pos + 1 : end])
        if named is None:
            return None
        char = named
    return char, end + (s[end] == ";")


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the visible text
    start: int  # index in the visible text


class _HtmlParser:
    """One pass over the raw text: visible text, entities, or EntityParseError."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.s = html + "\0"  # tdlib reads a C string; the sentinel ends every inner scan
        self.i = 0
        self.out: list[str] = []
        self.length16 = 0
        self.length = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def at(self, index: int) -> str:
        return f"at byte offset {len(self.html[:index].encode('utf-8', 'surrogatepass'))}"

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)
        self.length16 += utf16_len(text)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        while self.i < len(self.html):
            char = self.s[self.i]
            if char == "&" and (decoded := _decode_reference(self.s, self.i)):
                self.emit(decoded[0])
                self.i = decoded[1]
            elif char != "<":
                self.emit(char)
                self.i += 1
            elif self.s[self.i + 1] == "/":
                self.close_tag()
            else:
                self.open_tag()
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        return "".join(self.out), self.entities

    def skip_spaces(self) -> None:
        while self.s[self.i] in _SPACES:
            self.i += 1

    def open_tag(self) -> None:
        s, begin = self.s, self.i
        self.i += 1
        while s[self.i] not in _SPACES and s[self.i] not in ">\0":
            self.i += 1
        if s[self.i] == "\0":
            raise EntityParseError(f"Unclosed start tag {self.at(begin)}")
        name = s[begin + 1 : self.i].lower()
        if name not in _TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" {self.at(begin)}')
        argument = ""
        while s[self.i] != ">":
            argument = self.attribute(name, begin, argument)
        self.i += 1
        if name == "span" and argument != "spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" {self.at(begin)}')
        self.stack.append(_OpenTag(name, argument, self.length16, self.length))

    def attribute(self, tag: str, begin: int, argument: str) -> str:
        """Read one attribute of `tag`; return the tag's argument, updated if this attribute sets it."""
        s = self.s
        self.skip_spaces()
        if s[self.i] == ">":
            return argument
        start = self.i
        while s[self.i] not in _SPACES and s[self.i] not in "=>\0":
            self.i += 1
        attribute = s[start : self.i].lower()
        if not attribute:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" {self.at(begin)}')
        self.skip_spaces()
        if s[self.i] != "=":
            if tag == "blockquote" and attribute == "expandable":
                return "expandable"
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" {self.at(begin)}'
            )
        self.i += 1
        self.skip_spaces()
        if s[self.i] == "\0":
            raise EntityParseError(f'Unclosed start tag "{tag}" {self.at(begin)}')
        value = self.attribute_value()
        if s[self.i] == "\0":
            raise EntityParseError(f"Unclosed start tag {self.at(begin)}")
        if tag == "a" and attribute == "href":
            return value
        if tag == "code" and attribute == "class" and value.startswith("language-"):
            return value.removeprefix("language-")
        if tag == "span" and attribute == "class" and value.startswith("tg-"):
            return value.removeprefix("tg-")
        return argument

    def attribute_value(self) -> str:
        s = self.s
        if s[self.i] not in "'\"":  # a name token: letters, digits, periods, hyphens; case-insensitive
            start = self.i
            while s[self.i].isascii() and (s[self.i].isalnum() or s[self.i] in ".-"):
                self.i += 1
            if s[self.i] not in _SPACES and s[self.i] not in ">\0":
                raise EntityParseError(f"Unexpected end of name token {self.at(start)}")
            return s[start : self.i].lower()
        quote = s[self.i]
        self.i += 1
        chars: list[str] = []
        while s[self.i] not in (quote, "\0"):
            if s[self.i] == "&" and (decoded := _decode_reference(s, self.i)):
                chars.append(decoded[0])
                self.i = decoded[1]
            else:
                chars.append(s[self.i])
                self.i += 1
        self.i += s[self.i] == quote
        return "".join(chars)

    def close_tag(self) -> None:
        s, begin = self.s, self.i
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag {self.at(begin)}")
        self.i += 2
        while s[self.i] not in _SPACES and s[self.i] not in ">\0":
            self.i += 1
        end_name = s[begin + 2 : self.i].lower()
        self.skip_spaces()
        if s[self.i] != ">":
            raise EntityParseError(f"Unclosed end tag {self.at(begin)}")
        self.i += 1
        tag = self.stack.pop()
        if end_name and end_name != tag.name:
            raise EntityParseError(
                f'Unmatched end tag {self.at(begin)}, expected "</{tag.name}>", found "</{end_name}>"'
            )
        if self.length16 > tag.offset:
            self.add_entity(tag)

    def add_entity(self, tag: _OpenTag) -> None:
        entity: dict[str, Any] = {"offset": tag.offset, "length": self.length16 - tag.offset}
        if tag.name in _SIMPLE_ENTITIES:
            entity["type"] = _SIMPLE_ENTITIES[tag.name]
            if tag.name == "code" and tag.argument:
                entity["language"] = tag.argument  # kept only when a <pre> around it takes it
        elif tag.name == "a":
            url = _link_url(tag.argument or "".join(self.out)[tag.start :])
            if url is None:
                return
            entity |= {"type": "text_link", "url": url}
        elif tag.name == "pre":
            entity["type"] = "pre"
            inner = self.entities[-1] if self.entities else {}
            if inner.get("type") == "code" and inner["offset"] == tag.offset and "language" in inner:
                entity["language"] = inner["language"]
        else:
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        self.entities.append(entity)


def _link_url(url: str) -> str | None:
    """The URL of a text link, or None where tdlib would drop the link and keep the text."""
    url = url.strip()
    if not url or any(char.isspace() for char in url):
        return None
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme is None:
        return f"http://{url}"
    return url if scheme.group(1).lower() in _LINK_SCHEMES else None


def finish_entities(text: str, entities: list[dict[str, Any]]) -> tuple[str, tuple[dict[str, Any], ...]]:
    """Trim surrounding whitespace, drop what is empty or nested in code, order as Telegram does."""
    left16 = utf16_len(text[: len(text) - len(text.lstrip(_TRIM))])
    text = text.strip(_TRIM)
    total = utf16_len(text)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - left16, 0)
        end = min(entity["offset"] + entity["length"] - left16, total)
        if end > start:
            kept.append(entity | {"offset": start, "length": end - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))
    shown: list[dict[str, Any]] = []
    for entity in kept:
        if any(_inside(entity, other) for other in shown if other["type"] in ("code", "pre")):
            continue
        if entity["type"] == "code":
            entity.pop("language", None)
        shown.append(entity)
    return text, tuple(shown)


def _inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    start: int = inner["offset"]
    end: int = start + inner["length"]
    return bool(outer["offset"] <= start and end <= outer["offset"] + outer["length"])


def parse_html(html: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The visible text and entities of `html` with `parse_mode=HTML`; raise EntityParseError."""
    return finish_entities(*_HtmlParser(html).parse())


def user_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram adds to what a user types: bot commands and @mentions."""
    found = [(m.start(), m.end(), "bot_command") for m in COMMAND_RE.finditer(text)]
    found += [(m.start(), m.end(), "mention") for m in MENTION_RE.finditer(text)]
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in sorted(found)
    ]

"""The Bot API's documented limits the emulator enforces."""

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
PHOTO_SIDES = (90, 320, 800, 1280, 2560)
"""The longer side of the sizes Telegram makes of a photo (s, m, x, y, w), up to the photo's own."""
MAX_PHOTO_URL_BYTES = 5 * 1024 * 1024
MAX_INLINE_QUERY = 256
MAX_INLINE_RESULTS = 50

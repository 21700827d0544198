"""The service's error answers: an HTTP status with an OpenAI error body (`{"error": {...}}`), or a
gateway's HTML page, and the service's wording of the common ones."""

from __future__ import annotations

from aiohttp import web

DEFAULT_ERROR_MESSAGES = {
    429: "Rate limit reached for requests. Please try again later.",
    500: "The server had an error while processing your request. Sorry about that!",
    503: "The engine is currently overloaded, please try again later.",
}
NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using "
    "Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)
BAD_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
    "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)"
)


class ApiError(Exception):
    """An answer the service gives instead of a completion: an HTTP status and an OpenAI error body (or,
    from a gateway in front of the service, ``html``: a web page)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        html: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "type": _error_type(status), "param": param, "code": code}}
        self.html = html

    def response(self) -> web.Response:
        if self.html is not None:
            return web.Response(text=self.html, status=self.status, content_type="text/html")
        return web.json_response(self.body, status=self.status)


def gateway_page(status: int, reason: str) -> str:
    """The page nginx serves for an error of its own, CRLF line ends and all."""
    title = f"{status} {reason}"
    lines = ["<html>", f"<head><title>{title}</title></head>", "<body>", f"<center><h1>{title}</h1></center>"]
    return "\r\n".join([*lines, "<hr><center>nginx/1.24.0</center>", "</body>", "</html>", ""])


def _error_type(status: int) -> str:
    if status == 429:
        return "requests"
    return "server_error" if status >= 500 else "invalid_request_error"

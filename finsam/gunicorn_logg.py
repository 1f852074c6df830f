"""gunicorn's access log without the anonymous survey pages (`--logger-class
finsam.gunicorn_logg.Atkomstlogg`).

A line of gunicorn's access log holds the client's address (%(h)s), the time (%(t)s), the
referrer (%(f)s) and the user agent (%(a)s); for /e/<lank>/ it would say who answered which
survey when. No format can drop the time that the container's log adds to every line, so these
requests get no line at all. Every other request is logged as before.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from finsam.anonymitet import ar_anonym


class Atkomstlogg(Logger):
    """gunicorn's logger, with no access line for the anonymous survey pages."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """Log the request, unless it was to an anonymous page (by the decoded path or the
        path as sent)."""
        if ar_anonym(str(environ.get("PATH_INFO") or "")) or ar_anonym(str(req.path or "")):
            return
        super().access(resp, req, environ, request_time)

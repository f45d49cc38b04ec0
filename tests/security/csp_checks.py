"""What every banwu response must carry, and what no page may contain
(shared by the tests in this folder)."""

import re
from html.parser import HTMLParser

# The policy of config/settings.py CONTENT_SECURITY_POLICY, directive by directive.
EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def csp_directives(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = set(words[1:])
    return directives


def assert_security_headers(response, *, hsts: bool = False):
    """The headers every response carries: CSP without inline script or
    style or eval, nosniff, referrer policy, no framing, COOP; HSTS on HTTPS."""
    where = f"{response.request.get('PATH_INFO')} ({response.status_code})"
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{where}: no Content-Security-Policy"
    directives = csp_directives(header)
    for name, sources in EXPECTED_CSP.items():
        assert directives.get(name) == sources, f"{where}: {name} is {directives.get(name)}, expected {sources}"
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"):
        assert unsafe not in header.split(), f"{where}: CSP allows {unsafe}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") in {"same-origin", "strict-origin-when-cross-origin"}, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    if hsts:
        value = response.headers.get("Strict-Transport-Security", "")
        assert re.search(r"max-age=(\d+)", value) and int(re.search(r"max-age=(\d+)", value).group(1)) >= 31536000, where
        assert "includeSubDomains" in value, where


class _InlineFinder(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' and
    'unsafe-eval' would block (or what would need eval in htmx)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        if tag == "script":
            if "src" not in values:
                if (values.get("type") or "").strip().lower() != "application/json":
                    self.problems.append(f"line {line}: inline <script> (type={values.get('type')!r})")
            elif re.match(r"^\s*(https?:)?//", values["src"] or "", re.I):
                self.problems.append(f"line {line}: script from another origin {values['src']}")
        if tag == "style":
            self.problems.append(f"line {line}: inline <style> block")
        for name, value in attrs:
            value = value or ""
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"line {line}: <{tag} {name}=…> event handler attribute")
            if name == "style":
                self.problems.append(f"line {line}: <{tag} style=\"{value}\"> inline style attribute")
            if re.match(r"^\s*(javascript|vbscript):", value, re.I) or (
                name in {"href", "src", "action", "formaction"} and re.match(r"^\s*data:text/html", value, re.I)
            ):
                self.problems.append(f"line {line}: <{tag} {name}=\"{value[:40]}\"> script URL")
            if name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"line {line}: <{tag} {name}> needs eval (htmx hx-on)")
            if name in {"hx-vals", "hx-vars", "data-hx-vals", "data-hx-vars"} and (
                name.endswith("vars") or re.match(r"^\s*(js|javascript):", value, re.I)
            ):
                self.problems.append(f"line {line}: <{tag} {name}> needs eval (htmx js: values)")
            if name in {"hx-trigger", "data-hx-trigger"} and "[" in value:
                self.problems.append(f"line {line}: <{tag} hx-trigger=\"{value}\"> filter needs eval")


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems

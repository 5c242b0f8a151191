"""The page's ``index.html``: the playground's own page, rewritten for a static folder or
for one self-contained file.

The playground's ``index.html`` is used as it is, with four changes: paths
become relative (the folder works under any subpath, e.g. a project site);
a Content-Security-Policy comes first in ``<head>``; the page's
configuration (a JSON data block) and the loader, which defines
``window.neurographTransport``, come before the page's own scripts; and, for
the single file, every script, style sheet and file of the page is inlined.

=============================  ==========================================================
name                           what it is
=============================  ==========================================================
``relative_paths(html)``       ``src="/static/x"`` -> ``src="static/x"``
``insert_head(html, a, b)``    *a* first in ``<head>``, *b* before the first script
``csp(kind, origin, ...)``     the Content-Security-Policy of a folder or a single file
``inline_page(html, files)``   the page's scripts, styles and files inlined; the hashes
                               of the inline scripts and styles
``data_block(id, text)``       a ``<script type=..>`` block of data (never run)
``script_hash(text)``          ``'sha256-...'`` of an inline script or style
=============================  ==========================================================

>>> relative_paths('<script src="/static/playground.js" defer></script>')
'<script src="static/playground.js" defer></script>'
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from typing import Dict, List, Optional, Tuple

__all__ = ["relative_paths", "insert_head", "csp", "inline_page", "data_block", "script_hash"]

_ROOTED = re.compile(r'(\s(?:src|href)=")/(?!/)')
_SCRIPT = re.compile(r'<script\b([^>]*)\bsrc="([^"]+)"([^>]*)>\s*</script>', re.I)
_STYLE = re.compile(r'<link\b([^>]*)\brel="stylesheet"([^>]*)>', re.I)
_HREF = re.compile(r'\bhref="([^"]+)"')
_OTHER = re.compile(r'(\s(?:src|href)=")([^":#?]+)"')


def relative_paths(html: str) -> str:
    """Every ``src="/..."`` and ``href="/..."`` of *html* made relative to the page.

    >>> relative_paths('<link href="/static/a.css"><a href="//cdn.example/x">')
    '<link href="static/a.css"><a href="//cdn.example/x">'
    """
    return _ROOTED.sub(r"\1", html)


def insert_head(html: str, first: str, before_scripts: str) -> str:
    """*first* at the start of ``<head>`` (after ``<meta charset>``), *before_scripts*
    before the head's first script (or at its end).

    >>> insert_head('<head><meta charset="utf-8"><script src="a.js"></script></head>', "F", "B")
    '<head><meta charset="utf-8">FB<script src="a.js"></script></head>'
    >>> insert_head("<head><title>t</title></head>", "F", "B")
    '<head>F<title>t</title>B</head>'
    """
    charset = re.search(r"<meta\s+charset=[^>]*>", html, re.I)
    head = re.search(r"<head\b[^>]*>", html, re.I)
    if head is None:
        raise ValueError("the playground's index.html has no <head>")
    at = charset.end() if charset and charset.start() > head.start() else head.end()
    html = html[:at] + first + html[at:]
    close = html.lower().index("</head>")
    script = html.lower().find("<script", at + len(first), close)
    at = script if script >= 0 else close
    return html[:at] + before_scripts + html[at:]


def script_hash(text: str) -> str:
    """The CSP source of an inline script or style: ``'sha256-<base64>'``.

    >>> script_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return "'sha256-%s'" % digest


def csp(kind: str, runtime_origin: Optional[str] = None, scripts: List[str] = (),
        styles: List[str] = ()) -> str:
    """The Content-Security-Policy of the page: its own files only, plus
    ``'wasm-unsafe-eval'`` (WebAssembly) and, where used, the CDN or mirror of the runtime.

    *kind* is ``"folder"`` (runtime copied in), ``"cdn"`` (runtime from
    *runtime_origin*) or ``"single"`` (everything inline: *scripts* and
    *styles* are the hashes of the inline blocks; the worker runs from a blob).

    >>> csp("folder")
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'"
    >>> csp("cdn", "https://cdn.jsdelivr.net").split("; ")[1]
    "script-src 'self' 'wasm-unsafe-eval' blob: https://cdn.jsdelivr.net"
    """
    if kind == "single":
        script = " ".join(list(scripts) + ["'wasm-unsafe-eval'", "blob:"])
        parts = [("script-src", script), ("worker-src", "blob:"), ("connect-src", "blob: data:"),
                 ("style-src", " ".join(styles) or "'none'"), ("img-src", "data: blob:")]
    else:
        extra = " blob: " + runtime_origin if kind == "cdn" and runtime_origin else ""
        parts = [("script-src", "'self' 'wasm-unsafe-eval'" + extra), ("worker-src", "'self'"),
                 ("connect-src", "'self'" + (" " + runtime_origin if extra else "")),
                 ("style-src", "'self'"), ("img-src", "'self' data: blob:")]
    parts = [("default-src", "'none'")] + parts + [("base-uri", "'none'"), ("form-action", "'none'")]
    return "; ".join(k + " " + v for k, v in parts)


def data_block(block_id: str, text: str, kind: str = "application/json",
               attrs: str = "") -> str:
    """A ``<script>`` element holding data, not code (the browser never runs it, so the
    CSP need not allow it); ``<`` is escaped so the text cannot end the element.

    >>> data_block("cfg", '{"a": "</script>"}')
    '<script type="application/json" id="cfg">{"a": "\\\\u003c/script>"}</script>'
    """
    if kind == "application/json":
        text = text.replace("<", "\\u003c")
    elif "</script" in text.lower():
        raise ValueError("the text of #%s contains </script" % block_id)
    return '<script type="%s" id="%s"%s>%s</script>' % (kind, block_id, attrs, text)


def _inline_text(text: str, tag: str) -> str:
    """*text* safe inside ``<tag>``: ``</tag`` written as ``<\\/tag`` (the same string in JS)."""
    return re.sub(r"</(%s)" % tag, r"<\\/\1", text, flags=re.I)


def _data_url(name: str, data: bytes) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return "data:%s;base64,%s" % (kind, base64.b64encode(data).decode("ascii"))


def inline_page(html: str, files: Dict[str, bytes]) -> Tuple[str, List[str], List[str]]:
    """*html* with its style sheets, scripts and other files of *files* (relative path ->
    bytes) inlined; also the CSP hashes of the inline scripts and of the styles.

    A deferred script moves to the end of ``<body>`` (an inline script cannot be
    deferred); a module script stays in place (modules run deferred anyway).

    >>> page = ('<head><link rel="stylesheet" href="s/a.css"><script src="s/a.js" defer>'
    ...         '</script></head><body><img src="s/i.png"></body>')
    >>> html, scripts, styles = inline_page(page, {"s/a.css": b"p{}", "s/a.js": b"go()",
    ...                                            "s/i.png": b"PNG"})
    >>> html
    '<head><style>p{}</style></head><body><img src="data:image/png;base64,UE5H"><script>go()</script></body>'
    >>> scripts == [script_hash("go()")], styles == [script_hash("p{}")]
    (True, True)
    """
    scripts: List[str] = []
    styles: List[str] = []
    deferred: List[str] = []

    def style(m: "re.Match[str]") -> str:
        href = _HREF.search(m.group(0))
        if href is None or href.group(1) not in files:
            return m.group(0)
        text = _inline_text(files[href.group(1)].decode("utf-8"), "style")
        styles.append(script_hash(text))
        return "<style>%s</style>" % text

    def script(m: "re.Match[str]") -> str:
        src, attrs = m.group(2), m.group(1) + m.group(3)
        if src not in files:
            return m.group(0)
        text = _inline_text(files[src].decode("utf-8"), "script")
        scripts.append(script_hash(text))
        module = re.search(r'\btype="module"', attrs) is not None
        tag = '<script type="module">%s</script>' if module else "<script>%s</script>"
        if re.search(r"\bdefer\b", attrs) and not module:
            deferred.append(tag % text)
            return ""
        return tag % text

    html = _STYLE.sub(style, html)
    html = _SCRIPT.sub(script, html)
    html = _OTHER.sub(lambda m: m.group(1) + _data_url(m.group(2), files[m.group(2)]) + '"'
                      if m.group(2) in files else m.group(0), html)
    close = html.lower().rfind("</body>")
    at = close if close >= 0 else len(html)
    return html[:at] + "".join(deferred) + html[at:], scripts, styles

"""Read pages the way a browser would: the values a form would send back, the inputs of a kind."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        elif tag == "input":
            self.inputs.append(a)
            if self._form is None or "name" not in a or "disabled" in a:
                return
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and self._form is not None and "name" in a:
            self._select = (a["name"], "multiple" in a)
            self._select_first, self._select_chosen = None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form["fields"].append((self._select[0], value))
                self._select_chosen = True
        elif tag == "textarea" and self._form is not None and "name" in a:
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            if not self._select_chosen and not multiple and self._select_first is not None and self._form is not None:
                self._form["fields"].append((name, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops the one newline that follows <textarea>.
            self._form["fields"].append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def read(html: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(html)
    return reader


def post_forms(html: str) -> list[dict]:
    return [f for f in read(html).forms if f["attrs"].get("method", "get").lower() == "post"]


def form_data(html: str, *, having: str) -> dict[str, list[str] | str]:
    """What the first POST form that has a field named `having` sends back untouched."""
    for form in post_forms(html):
        names = [n for n, _v in form["fields"]]
        if having in names:
            data: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    raise AssertionError(f"no POST form with a field {having!r} on the page")


def inputs_of_type(html: str, kind: str) -> list[dict[str, str]]:
    return [a for a in read(html).inputs if a.get("type", "").lower() == kind]

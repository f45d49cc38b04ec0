"""Shared by the trust tests: the world, posting a row of the table, and
reading the forms of a page."""

from html.parser import HTMLParser

from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.permissions.world import people


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url_of(action, objects, world) -> str:
    return reverse(action.url_name, args=action.args(objects.side[1], world))


def actor_of(action, world):
    return people(world)[action.actor]


def model_of(action):
    return apps.get_model(action.model)


def post(client, action, url, body, key=None):
    data = dict(body)
    if key is not None:
        data["request_key"] = key
    headers = {"HX-Request": "true"} if action.htmx else {}
    return client.post(url, data, headers=headers)


class FormReader(HTMLParser):
    """Collects each POST form (action, input names) and each element with
    hx-post (its URL, hx-vals, hx-headers, and the form it sits in)."""

    def __init__(self):
        super().__init__()
        self.forms = []  # dicts: action, names, hx
        self.hx_posts = []  # dicts: url, vals, headers, form (index or None)
        self._open = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append({"action": a.get("action") or a.get("hx-post") or "", "post": method == "post" or "hx-post" in a,
                               "names": set()})
            self._open.append(len(self.forms) - 1)
            if "hx-post" in a:
                self.hx_posts.append({"url": a["hx-post"], "vals": a.get("hx-vals", ""), "headers": a.get("hx-headers", ""),
                                      "form": self._open[-1]})
            return
        if tag in ("input", "select", "textarea", "button") and self._open and a.get("name"):
            self.forms[self._open[-1]]["names"].add(a["name"])
        if "hx-post" in a and tag != "form":
            self.hx_posts.append({"url": a["hx-post"], "vals": a.get("hx-vals", ""), "headers": a.get("hx-headers", ""),
                                  "form": self._open[-1] if self._open else None})

    def handle_endtag(self, tag):
        if tag == "form" and self._open:
            self._open.pop()


def read_forms(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader

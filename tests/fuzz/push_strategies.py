"""Hostile Web Push subscriptions (issue 19 item 3b), beside ``strategies.py``."""

import base64
import json

from hypothesis import strategies as st

from tests.fuzz.strategies import deep_json, hostile_text, json_values, surrogate_ids


def _base64url(size: int) -> st.SearchStrategy[str]:
    return st.binary(min_size=size, max_size=size).map(
        lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")
    )


def push_subscription_body() -> st.SearchStrategy[bytes]:
    """A browser's subscription with hostile parts: wrong schemes, lengths and types,
    extra keys, non-ASCII and control characters; sometimes not JSON at all."""
    wrong = [
        "http://push.example/x", "http://127.0.0.1:9/x", "javascript:alert(1)",
        "https://", "https://u:p@push.example/", "https://push.example:99999/",
        "file:///etc/passwd", "https://push.example/" + "a" * 3000, "",
    ]  # fmt: skip
    endpoint = st.one_of(
        st.just("https://push.example/send/abc"),
        st.sampled_from(wrong),
        hostile_text().map(lambda text: "https://push.example/" + text),
        json_values(),
    )
    p256dh = st.one_of(_base64url(65).map(lambda k: "BA" + k[2:]), _base64url(64),
                       hostile_text(), json_values())  # fmt: skip
    auth = st.one_of(_base64url(16), _base64url(15), hostile_text(), json_values())
    keys = st.one_of(
        st.fixed_dictionaries({"p256dh": p256dh, "auth": auth}),
        st.dictionaries(hostile_text(max_size=10), json_values(), max_size=3),
        json_values(),
    )
    document = st.one_of(
        st.fixed_dictionaries(
            {"endpoint": endpoint, "keys": keys},
            optional={"expirationTime": json_values(), "extra": json_values()},
        ),
        json_values(),
    )
    as_json = document.map(lambda value: json.dumps(value).encode())
    return st.one_of(as_json, st.binary(max_size=200), deep_json(), surrogate_ids())

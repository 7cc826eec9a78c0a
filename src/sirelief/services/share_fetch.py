"""Fetching a share link of another sirelief, guarded against being turned on our own
network (server-side request forgery, OWASP ASVS 5.0 V1.3 / the SSRF cheat sheet).

Import in one step across installations (issue 18 item 6) means this server fetches an
address someone pasted. So it fetches only what a share link can be: ``https``, no user
name or password in the address, the path ``/shared/<token>`` or its ``/routine.yaml``.
The host is resolved once, every address it resolves to must be a public one (no
loopback, private, link-local, carrier-grade NAT, multicast or reserved range: not the
server itself, not the clinic's network, not a cloud metadata address), and the
connection goes to that vetted address while TLS still checks the certificate for the
host name, so a second DNS answer cannot swap in an inner address. No redirect is
followed, the answer is read up to a small limit, and every step has a timeout.
"""

import http.client
import ipaddress
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sirelief.services.coaching import FieldError

SHARE_PATH = re.compile(r"^/shared/(?P<token>[A-Za-z0-9_-]{20,100})(?:/routine\.yaml)?/?$")
MAX_FILE_BYTES = 256 * 1024
"""A routine file is a few kilobytes; a share link answering more is not one."""
TIMEOUT_S = 8.0
SAFE_NAME = re.compile(r'filename="(?P<name>[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.ya?ml)"')
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: Address) -> bool:
    """An address on the public internet (``is_global`` leaves out loopback, private,
    link-local, shared 100.64/10, documentation and reserved ranges)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _refused(message: str) -> FieldError:
    return FieldError("link", f"Share link: {message}")


def resolve(host: str, port: int) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise _refused(f"no server is known by the name {host}; check the link.") from None
    return [ipaddress.ip_address(entry[4][0].split("%", 1)[0]) for entry in found]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the vetted address; TLS verifies the certificate for the host name."""

    def __init__(self, host: str, address: Address, port: int, context: ssl.SSLContext):
        super().__init__(host, port, timeout=TIMEOUT_S, context=context)
        self._address = str(address)

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        try:
            self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


@dataclass(frozen=True)
class ShareFetcher:
    """``allowed`` and ``context`` are parameters so a test can fetch from its own
    HTTPS server on 127.0.0.1; in the app they are ``is_public`` and the system's CAs."""

    allowed: Callable[[Address], bool] = is_public
    context: ssl.SSLContext = field(default_factory=ssl.create_default_context)
    resolver: Callable[[str, int], list[Address]] = resolve

    def __call__(self, link: str) -> tuple[str, bytes]:
        """The routine file a share link of another sirelief opens, as (name, bytes);
        ``FieldError`` naming the ``link`` field, in plain words, for anything else."""
        try:
            parts = urlsplit(link)
            port = parts.port or 443
        except ValueError:
            raise _refused("this is not a web address; copy the whole link.") from None
        match = SHARE_PATH.match(parts.path)
        if parts.scheme != "https":
            raise _refused("a link of another sirelief must start with https://.")
        if not parts.hostname or parts.username or parts.password or not match:
            raise _refused("this is not a share link (it looks like https://…/shared/…).")
        host = parts.hostname
        addresses = self.resolver(host, port)
        if not addresses or not all(self.allowed(address) for address in addresses):
            raise _refused(f"{host} is on a private network or this computer; sirelief "
                           "fetches only from the public internet. Download the file from "
                           "the shared page and add it instead.")  # fmt: skip
        path = f"/shared/{match['token']}/routine.yaml"
        connection = _PinnedHTTPS(host, addresses[0], port, self.context)
        try:
            connection.request("GET", path, headers={"Accept": "application/yaml, text/*"})
            # closed, read or not: an unread answer would keep its socket open
            with connection.getresponse() as answer:
                if answer.status != 200:
                    raise _refused(f"{host} answered {answer.status}: the link may have "
                                   "been stopped; ask for a new one, or for the file.")  # fmt: skip
                body = answer.read(MAX_FILE_BYTES + 1)
        except (OSError, http.client.HTTPException, ssl.SSLError) as error:
            reason = "its certificate is not valid" if isinstance(error, ssl.SSLError) else error
            raise _refused(f"could not fetch it from {host} ({reason}).") from None
        finally:
            connection.close()
        if len(body) > MAX_FILE_BYTES:
            raise _refused(f"{host} answered more than a routine file ever holds.")
        found = SAFE_NAME.search(answer.getheader("content-disposition") or "")
        return (found["name"] if found else "shared-routine.yaml"), body

"""Fetching another installation's share link (issue 18 item 6) without becoming a tool
against our own network: against a real HTTPS server on this machine, which the guard
refuses unless a test allows this machine's address."""

import contextlib
import datetime
import gc
import http.server
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sirelief.services.coaching import FieldError
from sirelief.services.share_fetch import MAX_FILE_BYTES, ShareFetcher, is_public

TOKEN = "A" * 43
ROUTINE = b"id: shared-hips\nname: Shared hips\n"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for ``localhost`` (and 127.0.0.1), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
        ]), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_file, key_file


@dataclass
class Shared:
    """What the test server answers, and the paths it was asked for."""

    port: int
    trusted: ssl.SSLContext
    status: int = 200
    body: bytes = ROUTINE
    headers: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Shared]:
    cert_file, key_file = self_signed(tmp_path_factory.mktemp("tls"))
    state: list[Shared] = []

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the standard library names it
            shared = state[0]
            shared.asked.append(self.path)
            self.send_response(shared.status)
            for name, value in {"Content-Type": "application/yaml", **shared.headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(shared.body)

        def handle(self) -> None:
            with contextlib.suppress(ssl.SSLError):  # a client refused our certificate
                super().handle()

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    serving = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    serving.load_cert_chain(cert_file, key_file)
    # the handshake in the handler's thread: one refused by the client is closed there
    httpd.socket = serving.wrap_socket(httpd.socket, server_side=True,
                                       do_handshake_on_connect=False)  # fmt: skip
    trusted = ssl.create_default_context(cafile=str(cert_file))
    state.append(Shared(httpd.server_address[1], trusted))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state[0]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def shared(server: Shared) -> Shared:
    server.status, server.body, server.headers = 200, ROUTINE, {}
    server.asked.clear()
    return server


def anywhere(shared: Shared) -> ShareFetcher:
    """A fetcher that trusts the test server and allows this machine's address."""
    return ShareFetcher(allowed=lambda address: True, context=shared.trusted)


def link(shared: Shared, tail: str = "") -> str:
    return f"https://localhost:{shared.port}/shared/{TOKEN}{tail}"


def refusal(fetch: ShareFetcher, address: str) -> str:
    with pytest.raises(FieldError) as refused:
        fetch(address)
    assert refused.value.field == "link"
    return str(refused.value)


def test_a_share_link_is_fetched_as_its_file_over_verified_https(shared: Shared) -> None:
    shared.headers = {"Content-Disposition": 'attachment; filename="shared-hips.yaml"'}
    assert anywhere(shared)(link(shared)) == ("shared-hips.yaml", ROUTINE)
    assert anywhere(shared)(link(shared, "/routine.yaml"))[1] == ROUTINE
    assert shared.asked == [f"/shared/{TOKEN}/routine.yaml"] * 2


def test_an_address_of_this_computer_or_a_private_network_is_never_asked(shared: Shared):
    message = refusal(ShareFetcher(context=shared.trusted), link(shared))
    assert "private network or this computer" in message
    assert shared.asked == []


def test_a_name_that_also_resolves_inward_is_refused(shared: Shared) -> None:
    """A DNS answer with one public and one inner address: refused, nothing fetched."""
    both = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]
    fetch = ShareFetcher(context=shared.trusted, resolver=lambda host, port: both)
    assert "private network" in refusal(fetch, link(shared))


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::"],
)  # fmt: skip
def test_inner_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("http://localhost/shared/" + TOKEN, "must start with https://"),
        ("https://user:secret@localhost/shared/" + TOKEN, "not a share link"),
        ("https://localhost/join/" + TOKEN, "not a share link"),
        ("https://localhost/shared/short", "not a share link"),
        ("https://localhost/shared/" + TOKEN + "/../../admin", "not a share link"),
        ("https://localhost:99999/shared/" + TOKEN, "not a web address"),
        ("ftp://localhost/shared/" + TOKEN, "must start with https://"),
    ],
)
def test_only_what_a_share_link_can_be_is_fetched(shared: Shared, address: str, said: str):
    assert said in refusal(anywhere(shared), address)
    assert shared.asked == []


def test_a_redirect_is_not_followed(shared: Shared) -> None:
    shared.status, shared.headers = 302, {"Location": "http://169.254.169.254/latest/"}
    assert "answered 302" in refusal(anywhere(shared), link(shared))
    assert shared.asked == [f"/shared/{TOKEN}/routine.yaml"]


def test_an_answer_longer_than_any_routine_is_refused(shared: Shared) -> None:
    shared.body = b"#" * (MAX_FILE_BYTES + 10)
    assert "more than a routine file ever holds" in refusal(anywhere(shared), link(shared))


# the test server's side of the refused handshake is collected unclosed by http.server
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_certificate_not_trusted_is_refused(shared: Shared) -> None:
    fetch = ShareFetcher(allowed=lambda address: True)  # the system's CAs only
    assert "certificate is not valid" in refusal(fetch, link(shared))
    gc.collect()  # here, under this test's filter, not in a later test


def test_a_file_name_is_taken_only_when_it_is_a_plain_yaml_name(shared: Shared) -> None:
    shared.headers = {"Content-Disposition": 'attachment; filename="../../etc/passwd"'}
    assert anywhere(shared)(link(shared))[0] == "shared-routine.yaml"

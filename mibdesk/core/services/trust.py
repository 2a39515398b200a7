"""Which PDF signing certificates this office trusts: its own, and those of the offices it
has registered (by key card, or through the city's trust list). Revoked ones are not."""

from __future__ import annotations

from cryptography import x509

from mibdesk.core.repos import exchange as ledger
from mibdesk.core.services.exchange.peers import pdf_certificate_pem
from mibdesk.core.services.store import Store


def pdf_trust_roots(store: Store) -> list[x509.Certificate]:
    with store.read() as session:
        texts = [p.pdf_certificate for p in ledger.peers(session) if p.pdf_certificate]
    own = pdf_certificate_pem(store)
    certificates: list[x509.Certificate] = []
    for text in [own, *texts] if own else texts:
        try:
            certificates.append(x509.load_pem_x509_certificate(text.encode("ascii")))
        except ValueError:
            continue  # a damaged entry trusts nobody; the verdict then says "not trusted"
    return certificates

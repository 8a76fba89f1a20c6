#!/usr/bin/python3
"""An SMTP receiver for tests and local runs (aiosmtpd): every message accepted lands as a file in
MAILDIR/new/ with X-MailFrom and X-RcptTo headers. Any AUTH login is accepted, without TLS. Recipients
whose local part starts with "refuse" are refused for good (550), "defer" for now (451), so a test can
see a permanent and a transient failure.

    /usr/bin/python3 smtp-receiver.py PORT MAILDIR
"""
import asyncio
import signal
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult


class Receiver(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("refuse"):
            return "550 5.1.1 Mailbox unavailable"
        if local.startswith("defer"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def accept_any(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Receiver(maildir), hostname="127.0.0.1", port=port,
                            authenticator=accept_any, auth_require_tls=False)
    controller.start()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"listening on 127.0.0.1:{port}", flush=True)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()

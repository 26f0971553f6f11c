"""The alert emails' MIME writer, read back with the standard library's parser: what a mail
client gets must be what was rendered, whatever the text holds (Spanish, long lines, a line that
is a lone dot, trailing spaces, "=" signs, something that looks like a boundary)."""
from __future__ import annotations

import email
from email.policy import default

import pytest

from tracker.alerts import mime
from tracker.alerts.smtp import to_wire

TRICKY = ("Resumen diario: 3 novedades en 2 proyectos de ley — educación bilingüe\n"
          ".\n"
          "..starts with dots\n"
          "trailing spaces   \n"
          "tab\tinside and = equals =3D not encoded\n"
          "--=_edt_0000 looks like a boundary\n"
          + "x" * 300 + "\n"
          "último renglón sin salto")


def _parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=default)


def test_a_message_reads_back_as_written():
    subject = "Resumen semanal: 12 novedades sobre la financiación de escuelas públicas y programas bilingües"
    headers = [mime.header("Subject", subject), mime.header("From", "Alertas Educación <alerts@example.org>"),
               mime.header("To", "lector@example.org"), mime.verbatim("Message-ID", "<a.1@example.org>"),
               mime.verbatim("List-Unsubscribe", "<https://t.example.org/alerts/unsubscribe/abc.def-ghi_jkl>"),
               mime.verbatim("Content-Language", "es")]
    html = "<p>" + TRICKY.replace("\n", "<br>\n") + "</p>"
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Comité de Educación\r\nEND:VCALENDAR\r\n"
    entity = mime.multipart("mixed", [
        mime.multipart("alternative", [mime.text_part(TRICKY, "plain"), mime.text_part(html, "html")]),
        mime.text_part(ics, "calendar", '; method="PUBLISH"', 'attachment; filename="hearing.ics"')])
    data = mime.message(headers, entity)

    assert data.isascii()                                   # 7-bit on the wire
    assert all(len(line) <= 78 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")          # CRLF lines only
    msg = _parse(data)
    assert msg["Subject"] == subject
    assert msg["From"].addresses[0].display_name == "Alertas Educación"
    assert msg["List-Unsubscribe"] == "<https://t.example.org/alerts/unsubscribe/abc.def-ghi_jkl>"
    assert msg["Content-Language"] == "es" and msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "multipart/mixed" and not msg.defects
    text = msg.get_body(("plain",)).get_content()
    assert text.replace("\r\n", "\n").rstrip("\n") == TRICKY
    assert msg.get_body(("html",)).get_content().replace("\r\n", "\n").rstrip("\n") == html
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "hearing.ics"
    assert attachment.get_param("method") == "PUBLISH"
    assert "Comité de Educación" in attachment.get_content()


def test_what_smtp_carries_is_dot_stuffed_and_ends_with_a_line_break():
    data = mime.message([mime.header("Subject", "x")], mime.text_part(".\n.hidden\nend", "plain"))
    wire = to_wire(data)
    assert b"\r\n.\r\n" not in wire          # a lone dot would end the DATA early
    assert wire.endswith(b"\r\n")


def test_long_ascii_headers_fold_and_newlines_in_values_cannot_inject_headers():
    long = ("H.R. 5177: " + "Strength in Diversity Act of 2020 " * 5).strip()
    folded = mime.header("Subject", long)
    assert folded.count(b"\r\n") > 1 and _parse(folded + b"\r\n")["Subject"] == long
    injected = mime.header("Subject", "hello\r\nBcc: victim@example.org")
    assert _parse(injected + b"\r\n")["Bcc"] is None
    with pytest.raises(ValueError):
        mime.verbatim("List-Unsubscribe", "<https://example.org/\r\nBcc: x@example.org>")
    with pytest.raises(ValueError):
        mime.verbatim("Content-Language", "español")


def test_an_address_that_would_break_the_smtp_command_is_refused_before_connecting():
    from tracker.alerts.smtp import PermanentFailure, SmtpSender, parse_smtp_url

    sender = SmtpSender(parse_smtp_url("smtp://127.0.0.1:9"), timeout=1)   # nothing listens there
    for bad in ("b@example.org\r\nRCPT TO:<evil@example.org>", "b@example.org> SIZE=1", "<b@example.org>"):
        with pytest.raises(PermanentFailure) as caught:
            sender.send(b"Subject: x\r\n\r\nx\r\n", "a@example.org", bad)
        assert caught.value.recipient and sender.conn is None


@pytest.mark.parametrize("text", [
    TRICKY,
    "Unsubscribe: SLOT-A\n" + TRICKY + "\nPreferences: SLOT-B",
    "a" * 70 + "SLOT-A" + "b" * 70 + "\n\nend with trailing space SLOT-B ",
    "SLOT-A\r\nwindows lines   \r\nSLOT-B\r\n",
    "<p>Gestionar: <a href=\"SLOT-A\">preferencias</a> — SLOT-B</p>\n" * 3,
    "no placeholder at all\n",
    "",
])
def test_holes_encode_exactly_as_encoding_the_filled_text(text):
    values = {"SLOT-A": "https://t.example.org/alerts/unsubscribe/" + "Zz9_-." * 20,
              "SLOT-B": "https://t.example.org/p?a=1&b=2 ñ"}
    filled = text
    for name, value in values.items():
        filled = filled.replace(name, value)
    assert mime.Holes(text, list(values)).fill(values) == mime._qp(filled)
    part = mime.text_part(mime.Holes(text, list(values)).fill(values), "plain")
    body = _parse(b"MIME-Version: 1.0\r\n" + part).get_content().replace("\r\n", "\n")
    assert body.rstrip("\n") == filled.replace("\r\n", "\n").rstrip("\n")

"""The password reset and invitation emails, in English or Spanish (plain text; the link is the
whole point)."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tracker.models.base import utcnow

TEXTS = {
    "en": {
        "subject": "Reset your {coalition} staff password",
        "body": ("Someone (hopefully you) asked to reset the password of the {coalition} staff account "
                 "{email} on edtracker.\n\nTo choose a new password, open this link within {minutes} "
                 "minutes. It works once:\n\n{url}\n\nIf you did not ask for this, ignore this email: "
                 "your password stays as it is.\n"),
    },
    "es": {
        "subject": "Restablezca su contraseña de personal de {coalition}",
        "body": ("Alguien (esperamos que usted) pidió restablecer la contraseña de la cuenta de personal "
                 "{email} de {coalition} en edtracker.\n\nPara elegir una contraseña nueva, abra este "
                 "enlace en los próximos {minutes} minutos. Funciona una sola vez:\n\n{url}\n\nSi usted no "
                 "lo pidió, ignore este correo: su contraseña no cambia.\n"),
    },
}


def reset_email(*, mail_from: str, to: str, coalition: str, url: str, max_age: int, lang: str = "en") -> EmailMessage:
    text = TEXTS.get(lang, TEXTS["en"])
    values = {"coalition": coalition, "email": to, "url": url, "minutes": max(1, max_age // 60)}
    msg = EmailMessage()
    msg["From"], msg["To"] = mail_from, to
    msg["Subject"] = text["subject"].format(**values)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="edtracker.invalid")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text["body"].format(**values))
    return msg


INVITE_TEXTS = {
    "en": {
        "subject": "You are invited to the {coalition} staff workspace",
        "body": ("{inviter} invited you ({email}) to the staff workspace of {coalition} on edtracker, "
                 "with the {role} role.\n\nTo accept, open this link within {days} day(s), then choose "
                 "your name and a password. It works once:\n\n{url}\n\nIf you did not expect this, "
                 "ignore this email: nothing happens unless the link is used.\n"),
        "roles": {"viewer": "viewer", "editor": "editor", "admin": "admin"},
        "member_subject": "Speak for {member} in the {coalition} workspace",
        "member_body": ("{inviter} invited you ({email}) to {coalition} on edtracker, as a login of its member "
                        "organization {member}. With it you set {member}'s own stances on bills; the "
                        "coalition's staff see them beside the coalition's positions.\n\nTo accept, open this "
                        "link within {days} day(s), then choose your name and a password. It works once:"
                        "\n\n{url}\n\nIf you did not expect this, ignore this email: nothing happens unless "
                        "the link is used.\n"),
    },
    "es": {
        "subject": "Invitación al espacio de personal de {coalition}",
        "body": ("{inviter} le invitó ({email}) al espacio de personal de {coalition} en edtracker, "
                 "con el rol de {role}.\n\nPara aceptar, abra este enlace en los próximos {days} día(s) y "
                 "elija su nombre y una contraseña. Funciona una sola vez:\n\n{url}\n\nSi no esperaba "
                 "esta invitación, ignore este correo: no pasa nada si nadie usa el enlace.\n"),
        "roles": {"viewer": "lector", "editor": "editor", "admin": "administrador"},
        "member_subject": "Hable por {member} en el espacio de {coalition}",
        "member_body": ("{inviter} le invitó ({email}) a {coalition} en edtracker, como acceso de su "
                        "organización miembro {member}. Con él usted fija las posturas propias de {member} "
                        "sobre los proyectos de ley; el personal de la coalición las ve junto a las posiciones "
                        "de la coalición.\n\nPara aceptar, abra este enlace en los próximos {days} día(s) y "
                        "elija su nombre y una contraseña. Funciona una sola vez:\n\n{url}\n\nSi no esperaba "
                        "esta invitación, ignore este correo: no pasa nada si nadie usa el enlace.\n"),
    },
}


def invitation_email(*, mail_from: str, to: str, coalition: str, inviter: str, role: str, url: str,
                     max_age: int, lang: str = "en", member: str | None = None) -> EmailMessage:
    """The staff invitation, or with `member` (its name) the invitation to that organization's login."""
    text = INVITE_TEXTS.get(lang, INVITE_TEXTS["en"])
    member = " ".join(member.split()) if member else None   # a name typed with a line break stays one header line
    values = {"coalition": coalition, "email": to, "url": url, "inviter": inviter, "member": member,
              "role": text["roles"].get(role, role), "days": max(1, max_age // 86400)}
    kind = "member_" if member else ""
    msg = EmailMessage()
    msg["From"], msg["To"] = mail_from, to
    msg["Subject"] = text[f"{kind}subject"].format(**values)
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="edtracker.invalid")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text[f"{kind}body"].format(**values))
    return msg

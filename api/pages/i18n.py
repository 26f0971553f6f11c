"""English and Spanish texts of the staff account pages and the shared page frame.

Pages take the language from `?lang=es` (forms carry it in a hidden field); English otherwise.
`ui(key)` in a template reads the page's `lang`. Both languages stay complete (a test checks).
"""
from __future__ import annotations

from fastapi import Request
from jinja2 import pass_context

LANGS = ("en", "es")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content",
        "bills": "Bills",
        "main_nav": "Main",
        "review_queue": "Review queue",
        "settings": "Settings",
        "staff_login": "Staff login",
        "log_out": "Log out",
        "change_password": "Change password",
        "other_lang": "Español",
        "email": "Email",
        "password": "Password",
        "log_in": "Log in",
        "wrong_login": "Wrong email or password.",
        "throttled": "Too many login attempts. Wait {minutes} minutes, then try again.",
        "forgot_link": "Forgot your password?",
        "forgot_title": "Reset your password",
        "forgot_intro": "Enter the email of your staff account. If there is an account with it, "
                        "we send it a link to choose a new password.",
        "send_link": "Send the link",
        "link_sent": "If {email} has a staff account here, a link to choose a new password is on its way. "
                     "It works once and expires in {minutes} minutes.",
        "reset_title": "Choose a new password",
        "new_password": "New password",
        "new_password_again": "New password again",
        "password_hint": "At least 8 characters.",
        "save_password": "Save the new password",
        "bad_link": "This link is not valid: it was already used, it expired, or it is incomplete. "
                    "Ask for a new one.",
        "ask_again": "Ask for a new link",
        "mismatch": "The two new passwords differ.",
        "too_short": "A password needs at least 8 characters.",
        "too_long": "A password has at most 1024 characters.",
        "reset_done": "Your password is changed and every session of your account was ended. "
                      "Log in with the new password.",
        "change_title": "Change your password",
        "current_password": "Current password",
        "wrong_current": "The current password is wrong.",
        "changed": "Your password is changed. Every other session of your account was ended.",
    },
    "es": {
        "skip": "Saltar al contenido",
        "bills": "Proyectos de ley",
        "main_nav": "Principal",
        "review_queue": "Cola de revisión",
        "settings": "Configuración",
        "staff_login": "Acceso del personal",
        "log_out": "Cerrar sesión",
        "change_password": "Cambiar la contraseña",
        "other_lang": "English",
        "email": "Correo electrónico",
        "password": "Contraseña",
        "log_in": "Iniciar sesión",
        "wrong_login": "Correo electrónico o contraseña incorrectos.",
        "throttled": "Demasiados intentos de inicio de sesión. Espere {minutes} minutos y vuelva a intentarlo.",
        "forgot_link": "¿Olvidó su contraseña?",
        "forgot_title": "Restablecer la contraseña",
        "forgot_intro": "Escriba el correo electrónico de su cuenta de personal. Si hay una cuenta con ese "
                        "correo, le enviaremos un enlace para elegir una contraseña nueva.",
        "send_link": "Enviar el enlace",
        "link_sent": "Si {email} tiene una cuenta de personal aquí, le llegará un enlace para elegir una "
                     "contraseña nueva. Funciona una sola vez y vence en {minutes} minutos.",
        "reset_title": "Elija una contraseña nueva",
        "new_password": "Contraseña nueva",
        "new_password_again": "Repita la contraseña nueva",
        "password_hint": "Al menos 8 caracteres.",
        "save_password": "Guardar la contraseña nueva",
        "bad_link": "Este enlace no es válido: ya se usó, venció o está incompleto. Pida uno nuevo.",
        "ask_again": "Pedir un enlace nuevo",
        "mismatch": "Las dos contraseñas nuevas no coinciden.",
        "too_short": "La contraseña necesita al menos 8 caracteres.",
        "too_long": "La contraseña tiene como máximo 1024 caracteres.",
        "reset_done": "Su contraseña se cambió y se cerraron todas las sesiones de su cuenta. "
                      "Inicie sesión con la contraseña nueva.",
        "change_title": "Cambiar la contraseña",
        "current_password": "Contraseña actual",
        "wrong_current": "La contraseña actual no es correcta.",
        "changed": "Su contraseña se cambió. Se cerraron las demás sesiones de su cuenta.",
    },
}


def lang_of(request: Request, sent: str | None = None) -> str:
    """The page language: a form's `lang` field, else `?lang=`, else English."""
    lang = sent or request.query_params.get("lang") or "en"
    return lang if lang in LANGS else "en"


def message(lang: str, key: str, **kw) -> str:
    text = MESSAGES.get(lang, MESSAGES["en"]).get(key) or MESSAGES["en"][key]
    return text.format(**kw) if kw else text


@pass_context
def ui(ctx, key: str, **kw) -> str:
    """A text of the page frame in the page's language (`lang` in the template context)."""
    return message(ctx.get("lang") or "en", key, **kw)

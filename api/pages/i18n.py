"""The language of a staff account page: a form's hidden `lang` field (a POST answer stays in
the language the form was shown in), else the site's usual choice (`api.i18n.request_lang`).
Messages are the catalogs' `account.*` keys."""
from __future__ import annotations

from fastapi import Request

from api.i18n import LANGS, request_lang, translator


def lang_of(request: Request, sent: str | None = None) -> str:
    if sent in LANGS:
        request.state.lang = sent
        return sent
    return request_lang(request)


def message(lang: str, key: str, **kw) -> str:
    return translator(lang)(f"account.{key}", **kw)

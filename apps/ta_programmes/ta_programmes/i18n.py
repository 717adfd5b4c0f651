"""Languages on the Frappe side: which language a public output speaks, texts users entered in
several languages, and the language switch of the public pages.

Translations of the app's own strings ship in ``translations/<lang>.csv`` (Frappe reads them for
``_()`` in Python and Jinja and ``__()`` in JavaScript). A visitor's language is Frappe's: the
``_lang`` parameter, else the ``preferred_language`` cookie, else ``Accept-Language`` (see
``frappe.translate.get_language``); a logged-in user's is their own setting. The public outputs
speak one of :data:`core.l10n.PUBLIC_LANGUAGES` and fall back to English.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe import _

from ta_programmes.core import l10n

# Fields of TA Programme that carry a text in more than one language: ``title_fr`` … ``summary_ar``.
TRANSLATED_FIELDS = ("title", "summary")
OTHER_LANGUAGES = tuple(lang for lang in l10n.PUBLIC_LANGUAGES if lang != "en")


def public_lang() -> str:
	"""The language of this request's public output."""
	return l10n.public_language(getattr(frappe.local, "lang", None))


def text_in(row, field: str, lang: str) -> str:
	"""``row``'s ``field`` in ``lang`` where a version in that language was entered, else the original."""
	if lang in OTHER_LANGUAGES:
		value = (row.get(f"{field}_{lang}") or "").strip()
		if value:
			return value
	return row.get(field) or ""


def versions(row, field: str) -> dict[str, str]:
	"""Every language ``field`` is written in other than the original: ``{"fr": "..."}``."""
	return {lang: row.get(f"{field}_{lang}").strip() for lang in OTHER_LANGUAGES if (row.get(f"{field}_{lang}") or "").strip()}


def translations_of(message: str) -> dict[str, str]:
	"""The app's translations of one of its own English messages, for the languages that have one."""
	out = {}
	for lang in OTHER_LANGUAGES:
		translated = _(message, lang=lang)
		if translated and translated != message:
			out[lang] = translated
	return out


@contextmanager
def speaking(lang: str | None):
	"""Run the block with ``_()`` in ``lang`` (an e-mail in its recipient's language)."""
	previous = getattr(frappe.local, "lang", None)
	frappe.local.lang = lang or previous or "en"
	try:
		yield
	finally:
		frappe.local.lang = previous


def render_in(message, lang: str | None) -> str:
	"""A ``core.i18n.reason`` (template, args) in ``lang``; an argument that is itself a reason
	(a status, a decision) is translated too, and a list of words of the app (field labels) is
	translated word by word. A plain string is taken as already translated."""
	if isinstance(message, str):
		return message
	template, args = message

	def arg(a):
		if isinstance(a, tuple):
			return render_in(a, lang)
		if isinstance(a, list):
			return ", ".join(_(x, lang=lang) for x in a)
		return a

	return _(template, lang=lang).format(*(arg(a) for a in args))


def by_language(users: list[str]) -> dict[str, list[str]]:
	"""Users grouped by the language they read."""
	out: dict[str, list[str]] = {}
	for user in users:
		out.setdefault(language_of(user), []).append(user)
	return out


def language_of(user: str) -> str:
	"""The language a user reads: their own setting, else the site's."""
	return frappe.db.get_value("User", user, "language") or frappe.db.get_default("lang") or "en"


def users_language() -> None:
	"""auth_hooks: a request signed with an API key or token speaks its user's language, as a
	desk session does (Frappe sets the language before it reads those credentials); ``_lang``
	still wins."""
	from frappe.translate import get_user_lang

	user = frappe.session.user
	if user and user != "Guest" and not frappe.form_dict.get("_lang"):
		frappe.local.lang = get_user_lang(user)


def remember_choice() -> None:
	"""A visitor who picked a language with the switch (``?_lang=``) keeps it on their next visit."""
	chosen = frappe.form_dict.get("_lang")
	if chosen and isinstance(chosen, str) and frappe.session.user == "Guest" and chosen in l10n.PUBLIC_LANGUAGES:
		cookie_manager = getattr(frappe.local, "cookie_manager", None)
		if cookie_manager:
			cookie_manager.set_cookie("preferred_language", chosen)


def switch(path: str, values: dict) -> list[dict]:
	"""The language switch of a public page: a link per language that keeps the page's filters."""
	current = public_lang()
	return [
		{
			"lang": lang,
			"name": l10n.LANGUAGE_NAMES[lang],
			"url": f"{path}?{frappe.utils.urlencode({**values, '_lang': lang})}",
			"current": lang == current,
		}
		for lang in l10n.PUBLIC_LANGUAGES
	]


def page_context(context, path: str, values: dict | None = None) -> None:
	"""What every public page needs for its language: direction, language code, switch, and the
	``_lang`` to carry in its forms and links."""
	lang = public_lang()
	remember_choice()
	context.lang = lang
	context.dir = l10n.direction(lang)
	context.languages = switch(path, values or {})
	context.lang_param = lang if frappe.form_dict.get("_lang") else ""

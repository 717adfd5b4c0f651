"""Every translatable string of the app, found without Frappe.

It reads what Frappe v15 translates at run time and what the app marks for translation:

- doctype JSON: the doctype's name, its description, field labels and descriptions, the options of
  Select fields (one message per line, as the form shows them), the roles in its permissions;
- workspaces (title, labels of shortcuts, cards, links and number cards), number cards, reports
  (their names) and web forms (title, field labels, options, introduction, button and success
  texts);
- Python: the first argument of every ``_(...)`` call (``frappe._`` in the app, ``core.i18n._`` in
  the pure core), with ``ast``;
- JavaScript and templates: ``__("...")`` in JS and ``_("...")`` in Jinja.

A message that is not a literal (``_(f"...")``, ``_(a + b)``) cannot be translated and is reported
by ``bad_calls``. Run as a script to list what a language lacks, as CSV rows to fill in:

    python3 tests/static/messages.py missing fr
"""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "apps" / "ta_programmes" / "ta_programmes"
TRANSLATIONS = APP / "translations"
LANGUAGES = ("fr", "es", "ar")
# Arabic is shipped for the public outputs (page, donor view, PDF) the issue names; the desk
# falls back to English for strings it lacks.
EVERYWHERE = ("fr", "es")

PLACEHOLDER = re.compile(r"\{\d*\}")
# JS: __("..."), __('...'), __(`...`); Jinja: _("...") / _('...'). A string ends at its own
# unescaped quote.
JS_CALL = re.compile(r"""(?<![\w.$])__\(\s*(?P<q>["'`])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
JINJA_CALL = re.compile(r"""(?<![\w.])_\(\s*(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
# Python files that are not shipped behaviour: tests and the bulk generator speak to developers.
SKIP_PY = ("tests", "test_", "patches")


def _unescape(s: str) -> str:
	return re.sub(r"\\(.)", r"\1", s)


def _translatable(s: str | None) -> bool:
	"""Frappe's rule: something a person reads, not markup, a number or an icon name."""
	if not s or not s.strip():
		return False
	s = s.strip()
	if s.startswith("<") or re.fullmatch(r"[\d\W_]+", s) or s.startswith("fa ") or s.startswith("icon"):
		return False
	return True


def _doctype_messages(meta: dict) -> Iterator[str]:
	yield meta["name"]
	yield meta.get("module") or ""
	yield meta.get("description") or ""
	for f in meta.get("fields", []):
		yield f.get("label") or ""
		yield f.get("description") or ""
		if f.get("fieldtype") == "Select" and f.get("options"):
			yield from f["options"].split("\n")
	for p in meta.get("permissions", []):
		yield p.get("role") or ""


def _workspace_messages(meta: dict) -> Iterator[str]:
	yield meta.get("title") or meta.get("label") or ""
	yield meta.get("label") or ""
	for key in ("shortcuts", "links", "number_cards", "charts", "quick_lists", "custom_blocks"):
		for row in meta.get(key, []):
			yield row.get("label") or ""
	for block in json.loads(meta.get("content") or "[]"):
		text = (block.get("data") or {}).get("text") or ""
		# Header blocks hold one line of markup; their words are what the reader sees.
		plain = re.sub(r"<[^>]+>", "", text).strip()
		if plain:
			yield plain


def _web_form_messages(meta: dict) -> Iterator[str]:
	for key in ("title", "introduction_text", "success_title", "success_message", "button_label", "meta_title"):
		text = meta.get(key) or ""
		yield re.sub(r"<[^>]+>", "", text).strip() if key == "introduction_text" else text
	for f in meta.get("web_form_fields", []):
		yield f.get("label") or ""
		yield f.get("description") or ""
		if f.get("fieldtype") == "Select" and f.get("options"):
			yield from f["options"].split("\n")


def _python_messages(path: Path) -> Iterator[tuple[str | None, int]]:
	"""(message, line) for every _() call; message None when the argument is not a literal."""
	tree = ast.parse(path.read_text(), str(path))
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Call)
			and node.args
			and (
				(isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"))
				or (isinstance(node.func, ast.Attribute) and node.func.attr == "_" and getattr(node.func.value, "id", "") == "frappe")
			)
		):
			arg = node.args[0]
			literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
			yield (arg.value if literal else None), node.lineno


def python_files() -> list[Path]:
	return sorted(
		p for p in APP.rglob("*.py")
		if not any(part.startswith(SKIP_PY) for part in p.relative_to(APP).parts)
		and "demo" not in p.relative_to(APP).parts[:1]
	)


def messages() -> dict[str, set[str]]:
	"""message -> the files (relative to the app) it comes from."""
	found: dict[str, set[str]] = {}

	def add(message: str, where: Path):
		message = message.strip() if message else message
		if _translatable(message):
			found.setdefault(message, set()).add(str(where.relative_to(APP)))

	for p in sorted(APP.glob("*/doctype/*/*.json")):
		for m in _doctype_messages(json.loads(p.read_text())):
			add(m, p)
	for p in sorted(APP.glob("*/workspace/*/*.json")):
		for m in _workspace_messages(json.loads(p.read_text())):
			add(m, p)
	for p in sorted(APP.glob("*/number_card/*/*.json")):
		add(json.loads(p.read_text()).get("label"), p)
	for p in sorted(APP.glob("*/report/*/*.json")):
		add(json.loads(p.read_text()).get("report_name") or json.loads(p.read_text())["name"], p)
	for p in sorted(APP.glob("*/web_form/*/*.json")):
		for m in _web_form_messages(json.loads(p.read_text())):
			add(m, p)
	for p in python_files():
		for m, _line in _python_messages(p):
			if m is not None:
				add(m, p)
	for p in sorted(APP.rglob("*.js")):
		if "node_modules" in p.parts or "dist" in p.parts:
			continue
		for match in JS_CALL.finditer(p.read_text()):
			add(_unescape(match["s"]), p)
	for p in sorted(APP.rglob("*.html")):
		text = p.read_text()
		for match in JINJA_CALL.finditer(text):
			add(_unescape(match["s"]), p)
		for match in JS_CALL.finditer(text):
			add(_unescape(match["s"]), p)
	return found


def bad_calls() -> list[str]:
	"""_() calls whose message is not a literal string: nothing can translate them."""
	return [
		f"{p.relative_to(APP)}:{line}"
		for p in python_files()
		for m, line in _python_messages(p)
		if m is None
	]


def read_translations(lang: str) -> dict[str, str]:
	path = TRANSLATIONS / f"{lang}.csv"
	if not path.exists():
		return {}
	with path.open(newline="", encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def placeholders(s: str) -> list[str]:
	return sorted(PLACEHOLDER.findall(s))


if __name__ == "__main__":
	if len(sys.argv) == 3 and sys.argv[1] == "missing":
		have = read_translations(sys.argv[2])
		writer = csv.writer(sys.stdout, lineterminator="\n")
		for message in sorted(messages()):
			if message not in have:
				writer.writerow([message, ""])
	elif len(sys.argv) == 2 and sys.argv[1] == "count":
		print(len(messages()))
	else:
		sys.exit(__doc__)

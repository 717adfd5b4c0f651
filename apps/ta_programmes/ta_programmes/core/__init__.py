"""The rules of ta_programmes, in plain Python.

Nothing in this package imports Frappe: it takes plain values (dicts, dates, numbers) and either
returns a result or raises a :class:`~ta_programmes.core.errors.RuleViolation`. Doctype
controllers, reports, API methods and pages gather data, call these functions and turn a
violation into ``frappe.throw``. Tests for this package run anywhere with pytest.
"""

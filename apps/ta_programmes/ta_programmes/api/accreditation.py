"""Deciding an accreditation application (desk): a programme manager accredits or refuses it with
a reason. Thin: ``ta_programmes.oversight_balance.decide`` checks the role and ``core.balance``
the rules; the application's decision fields are written here and nowhere else."""

from __future__ import annotations

import frappe

from ta_programmes import oversight_balance


@frappe.whitelist(methods=["POST"])
def decide(application: str, decision: str, reason: str) -> dict:
	return oversight_balance.decide(application, decision, reason)

from ta_programmes.permissions import ChildRow


class TARosterEntry(ChildRow):
	pass

from ta_programmes.permissions import ChildRow


class TAIndicatorTarget(ChildRow):
	pass

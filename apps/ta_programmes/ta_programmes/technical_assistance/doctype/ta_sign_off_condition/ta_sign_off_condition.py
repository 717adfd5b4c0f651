from ta_programmes.permissions import ChildRow


class TASignoffCondition(ChildRow):
	pass

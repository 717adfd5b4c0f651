from ta_programmes.permissions import ChildRow


class TATestScore(ChildRow):
	pass

from ta_programmes.permissions import ChildRow


class TAFollowupInvitation(ChildRow):
	pass

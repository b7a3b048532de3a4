from django.http import HttpResponse as _H
def _stub(request, pk=None): return _H("")
home=body_add=body_detail=terms_add=meeting_add=action_add=register_add=meeting_detail=attendance=decision_add=minutes_add=paper_add=action_list=overdue=action_detail=action_close=action_carry=register_list=register_detail=risk_add=register_close=risk_detail=risk_review=_stub

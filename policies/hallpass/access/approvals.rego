# METADATA
# title: Approval rules
# description: |
#   A normal request needs the environment's number of approvals from eligible approvers. The author
#   and the requester never count, and only approvals of the current head commit count, so a push
#   after an approval voids it.
package hallpass.access

import rego.v1

default required_approvals := 0

required_approvals := _role_env.approvals if kind in {"normal", "extension", "emergency"}

eligible_approvers contains login if {
	some l in _role_env.approvers
	login := lower(l)
	login != _author
	login != _requester
}

_latest_reviews := object.get(input.pull_request, "reviews", [])

valid_approvers contains login if {
	some r in _latest_reviews
	r.state == "APPROVED"
	r.commit_id == input.pull_request.head_sha
	login := lower(r.login)
	login in eligible_approvers
}

reasons contains {"code": "approval.counted", "message": msg} if {
	kind in {"normal", "extension", "emergency"}
	required_approvals > 0
	msg := sprintf("%d of %d required approval(s) on the current commit", [count(valid_approvers), required_approvals])
}

reasons contains {"code": "approval.self_ignored", "message": sprintf("the approval by %s does not count: nobody approves their own request", [login])} if {
	some r in _latest_reviews
	r.state == "APPROVED"
	login := lower(r.login)
	login in {_author, _requester}
}

reasons contains {"code": "approval.stale_ignored", "message": msg} if {
	some r in _latest_reviews
	r.state == "APPROVED"
	r.commit_id != input.pull_request.head_sha
	login := lower(r.login)
	login in eligible_approvers
	msg := sprintf("the approval by %s was for an earlier commit and no longer counts", [login])
}

reasons contains {"code": "approval.not_eligible_ignored", "message": sprintf("the approval by %s does not count: not an approver for this role and environment", [login])} if {
	some r in _latest_reviews
	r.state == "APPROVED"
	login := lower(r.login)
	not login in eligible_approvers
	not login in {_author, _requester}
}

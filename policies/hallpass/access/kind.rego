# METADATA
# title: What kind of pull request this is
# description: |
#   Classifies the pull request from its changed files. Only a pull request that touches request files
#   and nothing else is an access request; anything touching policies, the catalog, settings, on-call
#   or .github/ is a configuration change that Hallpass never merges (separation of duties).
package hallpass.access

import rego.v1

_files := object.get(input.pull_request, "files", [])

_is_request_path(path) if regex.match(`^requests/[a-z0-9][a-z0-9-]{2,62}\.yaml$`, path)

_is_protected_path(path) if {
	some prefix in {"policies/", "catalog/", ".github/", "requests/examples/"}
	startswith(path, prefix)
}

_is_protected_path(path) if path in {"hallpass.yaml", "oncall.yaml", "CODEOWNERS", "requests/README.md"}

_touches_protected if {
	some f in _files
	_is_protected_path(f.path)
}

_touches_protected if {
	some f in _files
	_is_protected_path(object.get(f, "previous_path", ""))
}

_request_files := [f | some f in _files; _is_request_path(f.path)]

_other_files := [f | some f in _files; not _is_request_path(f.path)]

# METADATA
# title: kind
# description: config_change | expiry | revoke | emergency | extension | normal | other
default kind := "other"

kind := "config_change" if _touches_protected

kind := "expiry" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) > 0
	every f in _request_files { f.status == "removed" }
	input.pull_request.author_is_hallpass
}

kind := "revoke" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) > 0
	every f in _request_files { f.status == "removed" }
	not input.pull_request.author_is_hallpass
}

kind := "extension" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "modified"
}

kind := "emergency" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "added"
	input.request.emergency
}

kind := "normal" if {
	not _touches_protected
	count(_other_files) == 0
	count(_request_files) == 1
	_request_files[0].status == "added"
	not input.request.emergency
}

# METADATA
# title: An access pull request changes request files and nothing else
# custom:
#   code: pull_request.not_only_requests
violations contains {"code": "pull_request.not_only_requests", "message": msg} if {
	kind == "other"
	count(_request_files) > 0
	msg := sprintf("besides request files this pull request changes %s; open a separate pull request for those", [concat(", ", sort([f.path | some f in _other_files]))])
}

# METADATA
# title: Request files are added, changed or deleted, one kind of change per pull request
# custom:
#   code: pull_request.unsupported_change
violations contains {"code": "pull_request.unsupported_change", "message": msg} if {
	kind == "other"
	count(_other_files) == 0
	count(_request_files) > 0
	msg := sprintf("this pull request %s; add, change or delete one request file per pull request (deleting several is fine)", [concat(", ", sort([sprintf("%s %s", [f.status, f.path]) | some f in _request_files]))])
}

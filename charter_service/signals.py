"""Named side effects across packages (as Indico's `indico/core/signals/`).

A service sends one of these once its own change is flushed; the packages that react subscribe
in their `subscribers.py`, imported with the package, so that a lower package never calls a
higher one. Receivers run in the sender's transaction, flush only and may run in any order:
none may depend on another having run first.
"""

from blinker import Namespace

_signals = Namespace()

signature_submitted = _signals.signal("signature-submitted", """
Sent by `signatures.services.sign` when a new signature is pending, and by
`signatures.representative.confirm` when the representative signs one a member prepared, and
by `signatures.paper.record` when a moderator records one received on paper. The sender is the
`Signature`; `actor` is the user who submitted or recorded it (None for the representative,
who has no account); `first_commitment` ({"title", "principle_id"} or None) what the signing
form declared. Moderation alerts the moderators; commitments record the first commitment.
""")

signature_transitioned = _signals.signal("signature-transitioned", """
Sent by `signatures.workflow.apply` after a transition is flushed and audited. The sender is the
`Signature` (already in its new state); keyword arguments: `transition` (a `Transition`),
`actor`, `message` (the private reason, may be empty) and `public_label` (a `RevocationLabel`
or None). Certificates issue or revoke the attestation, signatures tell the organisation,
moderation alerts the moderators of a resubmission, the register recomputes the row.
""")

signature_handed_over = _signals.signal("signature-handed-over", """
Sent by `signatures.handover.confirm` once a successor named by the organisation confirmed
and became the signatory of an approved signature (still approved, same dates), flushed and
audited. The sender is the `Signature`; `actor` is None (the successor has no account).
Certificates supersede the attestation by one naming the successor, the register and the
directory recompute the row, moderation tells the moderators.
""")

organisation_changed = _signals.signal("organisation-changed", """
Sent by `organisations.services.update_organisation` after an edit is flushed. The sender is
the `Organisation`; `actor` is the editor. Certificates re-issue attestations whose printed
facts changed, the register recomputes the row.
""")

organisations_merged = _signals.signal("organisations-merged", """
Sent by `moderation.merge.merge_organisations` once the duplicate is deleted and every
reference to it moved, with bulk UPDATE statements among others. The sender is the kept
`Organisation`; keyword arguments: `removed_id` (the deleted organisation's id) and `actor`.
Certificates re-issue the moved attestations, the register recomputes both rows.
""")

commitment_changed = _signals.signal("commitment-changed", """
Sent by the commitments services after a commitment is recorded, edited, hidden or shown
again, or one of its progress updates filed, corrected, deleted, hidden or shown again, or its
partners change, once flushed. The sender is the `Commitment`; `actor` is the user. The
register recomputes its organisation's row (public commitments, SDGs, categories, latest
report) and the public pages' generation moves.
""")

report_filed = _signals.signal("report-filed", """
Sent by `commitments.progress.add_progress` when an organisation files a report (a progress
update on a visible commitment), and by `commitments.moderation.unhide` when a hidden update,
or a hidden commitment with updates, is shown again (its filing date counts again), once
flushed, and by `commitments.annual.services` when an annual report is submitted. The sender
is the `Organisation`; `actor` is the member who filed it (None when a moderator's decision
brought it back: the system acts). Moderation lifts a suspension for missing report
(moderation/missing_reports.py); the register refreshes the organisation's row.
""")

certificate_changed = _signals.signal("certificate-changed", """
Sent by `certificates.services` when an attestation is issued, revoked or superseded, once
flushed. The sender is the `Certificate`; `actor` is the user. The register recomputes the
signatory's row (its attestation number).
""")

report_document_changed = _signals.signal("report-document-changed", """
Sent by `certificates.report_documents` when a « rapport annuel d’alliance » is stored (valid,
or at once superseded) and when it supersedes the earlier one, once flushed. The sender is the
`ReportDocument`; `actor` is the user. The public pages' generation moves (its status page at
/verifier is cached whole) and the register recomputes the organisation's row.
""")

role_changed = _signals.signal("role-changed", """
Sent by `accounts.roles` when a user's role is set (`change_role`, and a new account's first
role), after a flush, in that transaction. The sender is the `User`; keyword arguments `before`
(the previous Role, None for a new account) and `actor` (the admin, None for the command line).
The audit log records it.
""")

version_published = _signals.signal("version-published", """
Sent by `charters.publishing.publish_and_invite` inside its transaction, after `version`
replaced `previous` (now archived). Receivers take keyword arguments `previous` and `version`
and return the number of e-mails they queued: signatures invites the old version's approved
signatories to sign the new one.
""")

personal_data_requested = _signals.signal("personal-data-requested", """
Sent by `accounts.personal_data.export` when a member (or a moderator on their behalf) asks
for what the service holds about them. The sender is the `User`. Each receiver returns a pair
(section name, JSON-ready value) with that member's rows only: organisations their memberships,
signatures the signatures they made, commitments those they authored, the audit log the
entries about them.
""")

account_erasing = _signals.signal("account-erasing", """
Sent by `accounts.personal_data.erase` before the account's own fields are erased, in its
transaction. The sender is the `User`; keyword arguments `email` (the address it had), `actor`
(the member, or the moderator acting on their request). A receiver refuses by raising a
DomainError (organisations: the last owner of an organisation); otherwise it erases the
personal part of its own rows and keeps the evidence: signatures keep the function, the audit
log its chain (and records the erasure).
""")

signatory_erased = _signals.signal("signatory-erased", """
Sent by signatures when an erased account's name was removed from a signature. The sender is
the `Signature`; `preparer=True` when the account prepared it for its representative rather
than signed it. Certificates remove that name from what their attestations were rendered from
(the PDF already issued is not changed: it stays valid).
""")


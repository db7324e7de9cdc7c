"""Every change to a review goes through these functions, one transaction each, with the acting
person recorded in history. Review-wide changes lock the review row and compare its version, so a
stale form is refused (actionplans.services.StaleEdit) and two saves cannot both pass.

- process.py: creating a review, its case details, the stage machine, pauses, the deadline rules;
- workspace.py: panel, agencies, family contact, documents and the access log;
- recommendations.py: recommendations and their progress, tracked like actions.
"""

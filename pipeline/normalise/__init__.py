"""normalise: structured values for mentions and deadlines.

- legal acts → ``type``, ``issuer``, ``date``, ``number``, ``title``, canonical id and the
  zakon.rada.gov.ua address where one follows from the citation (:mod:`.legal_acts`);
- date expressions and deadlines → ISO intervals or RFC 5545 rules anchored to the plan
  period (:mod:`.dates`);
- person names → their nominative form (:mod:`.names`).
"""
from __future__ import annotations

from ..models import Measure, Mention, Period
from . import dates, legal_acts, names


def normalise(mentions: list[Mention], measures: list[Measure], period: Period | None) -> None:
    """Fill ``Mention.norm`` and ``Measure.deadline_norm`` in place."""
    for mention in mentions:
        if mention.label == "LEGAL_ACT":
            mention.norm = legal_acts.normalise_act(mention.text, mention.hints)
        elif mention.label == "DATE":
            mention.norm = dates.normalise_date(mention.text, period, mention.hints)
        elif mention.label == "PERSON":
            mention.norm = names.normalise_person(mention.text)
        elif mention.label == "PROGRAM":
            mention.norm = names.normalise_program(mention.text)
        elif mention.label == "ORG":
            # The organisation tagger already resolved the canonical nominative name (and
            # the abbreviation it stands for) from the document's own glossary.
            mention.norm = mention.hints.get("norm")
            if mention.norm is not None and mention.hints.get("lemma"):
                mention.norm = mention.norm | {"lemma": mention.hints["lemma"]}
        elif mention.label == "ROLE" and mention.hints.get("lemma"):
            mention.norm = {"lemma": mention.hints["lemma"]}
    for measure in measures:
        if measure.deadline:
            measure.deadline_norm = dates.normalise_deadline(measure.deadline, period)

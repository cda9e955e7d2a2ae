"""The legal-reference index: every legal act the plans cite, once, with who cites it.

Built from the dataset's ``entities`` (the acts, deduplicated across documents) and
``citations`` (which document and measure cites which act) tables.
"""
from __future__ import annotations

import pandas as pd

from ..dataset import Dataset
from ..resources import load_data

INDEX_COLUMNS = [
    "entity", "act_type", "act_issuer", "act_date", "act_number", "act_title", "act_url", "name",
    "n_documents", "n_measures", "n_citations", "documents", "measures",
]
LEGALBASES_COLUMNS = [
    "legalActTitle", "legalActId", "legalActDate", "legalActType", "legalActAdopterName", "legalActUrl", "citedBy",
]


def acts_index(dataset: Dataset) -> pd.DataFrame:
    """One row per cited act: its structured fields and the documents and measures citing it,
    most widely cited first."""
    acts = dataset.entities[dataset.entities["label"] == "LEGAL_ACT"]
    citations = dataset.citations
    rows = []
    for act in acts.itertuples(index=False):
        cited = citations[citations["entity"] == act.entity]
        in_measures = cited.dropna(subset=["measure_index"])
        measure_ids = sorted({f"{d}#{int(m)}" for d, m in zip(in_measures["doc_id"], in_measures["measure_index"])})
        documents = sorted(set(cited["doc_id"]))
        rows.append({
            "entity": act.entity, "act_type": act.act_type, "act_issuer": act.act_issuer, "act_date": act.act_date,
            "act_number": act.act_number, "act_title": act.act_title, "act_url": act.act_url, "name": act.name,
            "n_documents": len(documents), "n_measures": len(measure_ids), "n_citations": len(cited),
            "documents": "; ".join(documents), "measures": "; ".join(measure_ids),
        })
    index = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    return index.sort_values(
        ["n_documents", "n_citations", "act_type", "act_number", "entity"],
        ascending=[False, False, True, True, True], na_position="last", kind="stable",
    ).reset_index(drop=True)


def legalbases(index: pd.DataFrame) -> pd.DataFrame:
    """The index in the national open-data shape for normative bases (``legalbases``):
    title, number, date, type as the register names it, adopting body, address, and
    ``citedBy`` — the citing documents."""
    types = load_data("legalbases")["types"]
    return pd.DataFrame({
        "legalActTitle": index["act_title"].fillna(index["name"]),
        "legalActId": index["act_number"],
        "legalActDate": index["act_date"],
        "legalActType": index["act_type"].map(lambda t: types.get(t, t) if isinstance(t, str) else t),
        "legalActAdopterName": index["act_issuer"],
        "legalActUrl": index["act_url"],
        "citedBy": index["documents"],
    }, columns=LEGALBASES_COLUMNS)

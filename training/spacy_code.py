"""``spacy train --code``: registers the factories the config names (``plans_morph_class``)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pipeline.tag.statistical  # noqa: E402,F401  (its @Language.factory registrations)

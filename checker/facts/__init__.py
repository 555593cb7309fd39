"""Stage 4: claims linked into facts. A value is compared with another only when both say the same
attribute of the same thing (checker.facts.link); the facts table of a report groups every linked
claim (checker.report.facts)."""
from checker.facts.link import Link, Linker

__all__ = ["Link", "Linker"]

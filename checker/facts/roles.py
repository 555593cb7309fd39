"""What the facts stage knows of posts and roles (English nouns), read by the rules that compare them."""
from __future__ import annotations

# roles a body gives to several people at once, and that describe a function more than they name a
# post: two spokesmen of one agency is no contradiction, and "spokesman" beside "Press Secretary"
# is one job told two ways. A post such as "mayor", "prime minister" or "chief executive" has one
# holder.
SHARED_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "official", "officer", "adviser", "advisor",
                          "aide", "member", "lawyer", "attorney", "agent", "analyst", "correspondent", "reporter",
                          "professor", "researcher", "scientist", "detective", "inspector", "sergeant", "constable",
                          "deputy", "assistant", "manager", "producer", "editor", "engineer", "investigator",
                          "founder", "leader"})

"""`conseiller web`: server-rendered pages, one question each, the answers in a signed token."""

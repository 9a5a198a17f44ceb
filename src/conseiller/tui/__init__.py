"""Everything Textual: the chat, the results and their screens."""

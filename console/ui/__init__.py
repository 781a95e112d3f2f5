"""Windows, pages and dialogs: compose widgets and bind them to state."""

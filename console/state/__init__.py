"""Qt item models and stores: they apply change events and know nothing of HTTP."""

"""moral_ed views: one module per part; each module ends with its `urls`."""

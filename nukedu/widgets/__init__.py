"""ipywidgets front end: one module per family of answer controls, a card per question, a session per quiz."""

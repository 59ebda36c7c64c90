"""Package data of the HTML view: the page template (``graph.html``), its script and its style."""

"""Views: Term awards, social practice and community service credits, exports. Ends with `urls`."""

urls = []

"""tasks: Term awards, social practice and community service credits, exports."""

"""Scrutiny recommendations: committees, reviews, recommendations, responses, updates.
Filled by the recommendations issue."""

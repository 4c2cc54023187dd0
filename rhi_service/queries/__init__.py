"""The only place that builds queries for views: lists, counts and searches."""

"""The benchmark's own site: the product's URLs plus two baseline views that exist only here."""

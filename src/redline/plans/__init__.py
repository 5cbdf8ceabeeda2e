"""Plans: bundled YAML plans are loaded by the profile; numbered plan texts are parsed here."""

"""How reports look: house theme, number formats, tables, charts, the text catalog."""

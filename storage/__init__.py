"""The SQLite database: schema.py (tables), db.py (connections), rows.py (shapes), read.py, write.py, consolidate.py, exporters/."""

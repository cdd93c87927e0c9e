"""Where the archive is kept: an object store on a folder or S3 (`store`), the tables and raw page bytes laid out
on it (`tables`), and their upkeep (`compact`)."""

"""Where the archive is kept: an object store on a folder or S3 (`store`), the Delta tables and raw page bytes
laid out on it and the day publish (`tables`), the persisted search index (`index`), upkeep (`compact`),
verification (`check`) and conversion of old lakes (`migrate`)."""

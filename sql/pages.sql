-- One row per page of each archived day: what was read, and whether it failed (status, error). n_articles counts
-- the pieces cut from that page (a story jumping pages counts on each); html_agreement is the PDF-vs-HTML check.
CREATE OR REPLACE VIEW pages AS
SELECT paper, CAST(issue_date AS DATE) AS issue_date, page, page_name, source_kind, raw_key, sha256, status, error,
       n_articles, fragments, html_agreement
FROM read_parquet('{lake}/pages/*/*/*.parquet', hive_partitioning = true, union_by_name = true);

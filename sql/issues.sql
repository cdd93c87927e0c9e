-- One row per archived day; status is 'complete' or 'incomplete' (some pages failed, see pages.error).
CREATE OR REPLACE VIEW issues AS
SELECT paper, paper_name, CAST(issue_date AS DATE) AS issue_date, n_pages, n_pages_failed, n_articles, status
FROM read_parquet('{lake}/issues/*/*/*.parquet', hive_partitioning = true, union_by_name = true);

-- One row per story (continuations stitched), partitioned by paper and issue_date.
CREATE OR REPLACE VIEW articles AS
SELECT article_id, paper, CAST(issue_date AS DATE) AS issue_date, page, pages, seq, kicker, title, subtitle,
       authors, body, n_chars, continues_to_page, continued_from_page, parts, regions
FROM read_parquet('{lake}/articles/*/*/*.parquet', hive_partitioning = true, union_by_name = true);

-- One row per story (continuations stitched), partitioned by paper and issue_date; reading says where it was read
-- from ('html': the e-paper site's article page, 'pdf', 'txt'; NULL in days archived before it was recorded).
CREATE OR REPLACE VIEW articles AS
SELECT article_id, paper, CAST(issue_date AS DATE) AS issue_date, page, pages, seq, kicker, title, subtitle,
       authors, body, n_chars, continues_to_page, continued_from_page, parts, regions, reading
FROM read_parquet('{lake}/articles/*/*/*.parquet', hive_partitioning = true, union_by_name = true);

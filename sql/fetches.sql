-- One row per HTTP answer the site source got for a day (page indexes, PDFs, images, article pages): URL, status,
-- content type, ETag / Last-Modified, sha256 and size of the body kept under raw_key, when it was fetched and in
-- how many attempts. Rows of the run each day's `issues` row names only (see articles.sql).
CREATE OR REPLACE VIEW fetches AS
SELECT f.paper, f.issue_date, f.page, f.role, f.url, f.status, f.content_type, f.etag, f.last_modified, f.sha256,
       f.size, f.fetched_at, f.attempts, f.raw_key
FROM delta_fetches f
ANTI JOIN unpublished_fetches u ON f.paper = u.paper AND f.issue_date = u.issue_date AND f.run_id = u.run_id;

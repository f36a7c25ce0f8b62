-- A progress report may carry its evidence: a file stored by SHA-256 like other evidence.
ALTER TABLE task_updates ADD COLUMN file_sha256 TEXT;
ALTER TABLE task_updates ADD COLUMN file_name TEXT;
ALTER TABLE task_updates ADD COLUMN content_type TEXT;

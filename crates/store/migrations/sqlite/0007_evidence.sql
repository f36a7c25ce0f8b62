-- Evidence documents (stored once per content, by SHA-256) and the items they back.
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    doc_number TEXT NOT NULL,
    doc_date DATE,
    issuer TEXT NOT NULL,
    effective_date DATE,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    UNIQUE (unit_id, sha256)
);

CREATE TABLE evidence_links (
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    node_code TEXT NOT NULL,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    linked_at BIGINT NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (round_id, unit_id, node_code, evidence_id)
);

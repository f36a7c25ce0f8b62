-- Results other bodies publish (PAR INDEX of every province, SIPAS, PAPI, PCI, DTI), imported
-- from their files. An import replaces the whole set of one index and year.
-- name_search is chiso_core::external::entity_key(name): folded, without "Tỉnh"/"Thành phố",
-- so one province matches across files and years. Values are exact: value × 10 000.

CREATE TABLE external_results (
    id INTEGER PRIMARY KEY,
    index_code TEXT NOT NULL CHECK (index_code IN ('PAR_INDEX', 'SIPAS', 'PAPI', 'PCI', 'DTI')),
    year BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_search TEXT NOT NULL,
    value_scaled BIGINT NOT NULL,
    max_scaled BIGINT,
    published_rank BIGINT NOT NULL,
    rank_given BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (index_code, year, name_search)
);
CREATE INDEX external_results_entity ON external_results (index_code, name_search, year);

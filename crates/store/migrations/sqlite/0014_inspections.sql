-- PAR inspections (kiểm tra CCHC): which units are inspected in a year, their findings, each
-- tracked to closed; and the register of PAR initiatives (sáng kiến) with the council's
-- evaluation.

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    planned_on DATE NOT NULL,
    done_on DATE,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (year, unit_id)
);

CREATE TABLE inspection_findings (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    remedy TEXT NOT NULL,
    due DATE,
    closed_on DATE,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id);

CREATE TABLE initiatives (
    id INTEGER PRIMARY KEY,
    year BIGINT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    evaluation TEXT NOT NULL,
    evaluation_note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX initiatives_year ON initiatives (year);

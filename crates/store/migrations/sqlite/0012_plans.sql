-- Improvement plans: goals per field, KPIs with reported actuals, tasks with a lead unit and
-- cooperating units, progress updates and extension requests. Points and numbers are stored
-- × 10 000 as integers, like scores.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL,
    decision_date DATE,
    issuer TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    round_id INTEGER REFERENCES rounds (id),
    sections TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE plan_goals (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    field_code TEXT NOT NULL,
    field_name TEXT NOT NULL,
    baseline_points BIGINT,
    baseline_max BIGINT,
    baseline_percent BIGINT,
    baseline_rank BIGINT,
    baseline_rank_change BIGINT,
    target_points BIGINT,
    target_percent BIGINT,
    target_rank BIGINT,
    target_group TEXT NOT NULL
);
CREATE INDEX plan_goals_plan ON plan_goals (plan_id);

CREATE TABLE plan_kpis (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    direction TEXT NOT NULL,
    target BIGINT NOT NULL,
    unit_label TEXT NOT NULL
);
CREATE INDEX plan_kpis_plan ON plan_kpis (plan_id);

CREATE TABLE kpi_actuals (
    id INTEGER PRIMARY KEY,
    kpi_id INTEGER NOT NULL REFERENCES plan_kpis (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    value BIGINT NOT NULL,
    source TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    reported_by TEXT NOT NULL
);
CREATE INDEX kpi_actuals_kpi ON kpi_actuals (kpi_id);

CREATE TABLE plan_tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    field_code TEXT NOT NULL,
    node_codes TEXT NOT NULL,
    lead_unit_id INTEGER REFERENCES units (id),
    deadline TEXT NOT NULL,
    output TEXT NOT NULL,
    expected_points BIGINT,
    done_on DATE,
    extension_until DATE,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id);
CREATE INDEX plan_tasks_lead ON plan_tasks (lead_unit_id);

CREATE TABLE task_cooperators (
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (task_id, unit_id)
);

CREATE TABLE task_updates (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_name TEXT NOT NULL
);
CREATE INDEX task_updates_task ON task_updates (task_id);

CREATE TABLE task_extensions (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
    requested_until DATE NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decision TEXT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    note TEXT NOT NULL
);
CREATE INDEX task_extensions_task ON task_extensions (task_id);

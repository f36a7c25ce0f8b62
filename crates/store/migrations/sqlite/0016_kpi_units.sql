-- A KPI may name the unit that reports its actual values (the lead of what it measures).
ALTER TABLE plan_kpis ADD COLUMN unit_id INTEGER REFERENCES units (id);

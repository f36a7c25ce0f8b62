//! Whole-database copies for backups and moves between backends: every table read in one
//! consistent snapshot as backend-neutral rows (integers, booleans, text), and loaded back in
//! one transaction into a freshly migrated database of either backend.
//!
//! The tables, their columns and their references are read from the database itself, so a
//! table added by a later migration is copied without a change here; a column of a type this
//! module does not know is refused rather than copied wrongly.

use crate::db::Db;
use crate::{Store, StoreError};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
// Table and column names in the SQL built here come from the database's own schema, never
// from input.
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet};

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Integer,
    Boolean,
    Text,
    /// A day, written `yyyy-mm-dd`.
    Date,
}

impl Kind {
    /// The kind of a declared SQL type (SQLite's declaration or PostgreSQL's `data_type`).
    fn of(declared: &str) -> Option<Kind> {
        let t = declared.to_ascii_lowercase();
        match t.as_str() {
            "integer" | "bigint" | "smallint" | "int" | "int8" | "int4" => Some(Kind::Integer),
            "boolean" | "bool" => Some(Kind::Boolean),
            "text" | "character varying" | "varchar" => Some(Kind::Text),
            "date" => Some(Kind::Date),
            _ => None,
        }
    }
}

/// A column of a copied table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// A table as copied: its columns, its key (the row order) and the columns that refer to rows
/// of the same table (loaded empty, then set, so the rows' order does not matter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub key: Vec<String>,
    pub self_refs: Vec<String>,
}

/// What a snapshot gives, in order: a table, then its rows.
pub enum Dumped<'a> {
    Table(&'a Table),
    Row(&'a Table, Vec<Value>),
}

/// One raw fact about the schema, as both backends can report it.
struct ColumnFact {
    table: String,
    column: String,
    declared: String,
    key_position: i64,
}

impl Store {
    /// The latest migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let v: Option<i64> = read!(self, |pool| {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
        })?;
        Ok(v.unwrap_or(0))
    }

    /// Every table of chiso's schema, each after the tables it refers to.
    pub async fn tables(&self) -> Result<Vec<Table>, StoreError> {
        let (facts, references) = match &self.db {
            Db::Sqlite { read, .. } => {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(read)
                .await?;
                let mut facts = Vec::new();
                let mut references = Vec::new();
                for t in names {
                    let cols: Vec<(String, String, i64)> = sqlx::query_as(
                        "SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid",
                    )
                    .bind(&t)
                    .fetch_all(read)
                    .await?;
                    facts.extend(cols.into_iter().map(|(column, declared, pk)| ColumnFact {
                        table: t.clone(),
                        column,
                        declared,
                        key_position: pk,
                    }));
                    let refs: Vec<(String, String)> = sqlx::query_as(
                        "SELECT \"from\", \"table\" FROM pragma_foreign_key_list($1)",
                    )
                    .bind(&t)
                    .fetch_all(read)
                    .await?;
                    references.extend(refs.into_iter().map(|(c, to)| (t.clone(), c, to)));
                }
                (facts, references)
            }
            Db::Postgres(pool) => {
                let cols: Vec<(String, String, String, Option<i32>)> = sqlx::query_as(
                    "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                            k.ordinal_position::int4 \
                     FROM information_schema.columns c \
                     JOIN information_schema.tables t \
                       ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                     LEFT JOIN information_schema.table_constraints p \
                       ON p.table_schema = c.table_schema AND p.table_name = c.table_name \
                      AND p.constraint_type = 'PRIMARY KEY' \
                     LEFT JOIN information_schema.key_column_usage k \
                       ON k.constraint_schema = p.constraint_schema \
                      AND k.constraint_name = p.constraint_name AND k.column_name = c.column_name \
                     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                       AND c.table_name <> '_sqlx_migrations' \
                     ORDER BY c.table_name, c.ordinal_position",
                )
                .fetch_all(pool)
                .await?;
                let facts = cols
                    .into_iter()
                    .map(|(table, column, declared, pk)| ColumnFact {
                        table,
                        column,
                        declared,
                        key_position: pk.map_or(0, i64::from),
                    })
                    .collect();
                let references: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT src.relname::text, a.attname::text, dst.relname::text \
                     FROM pg_constraint con \
                     JOIN pg_class src ON src.oid = con.conrelid \
                     JOIN pg_class dst ON dst.oid = con.confrelid \
                     JOIN pg_namespace n ON n.oid = src.relnamespace \
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey) \
                     WHERE con.contype = 'f' AND n.nspname = current_schema()",
                )
                .fetch_all(pool)
                .await?;
                (facts, references)
            }
        };
        order_tables(facts, references)
    }

    /// Reads every table in one consistent snapshot: each table, then its rows in key order
    /// (values in the order of the table's columns).
    pub async fn export_tables(
        &self,
        mut on: impl FnMut(Dumped<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tables = self.tables().await?;
        macro_rules! dump {
            ($conn:expr) => {{
                for t in &tables {
                    on(Dumped::Table(t))?;
                    let mut rows = sqlx::query(AssertSqlSafe(select_sql(t))).fetch(&mut *$conn);
                    while let Some(row) = rows.try_next().await? {
                        let mut values = Vec::with_capacity(t.columns.len());
                        for (i, c) in t.columns.iter().enumerate() {
                            values.push(match c.kind {
                                Kind::Integer => row
                                    .try_get::<Option<i64>, _>(i)?
                                    .map_or(Value::Null, Value::from),
                                Kind::Boolean => row
                                    .try_get::<Option<bool>, _>(i)?
                                    .map_or(Value::Null, Value::from),
                                Kind::Text => row
                                    .try_get::<Option<String>, _>(i)?
                                    .map_or(Value::Null, Value::from),
                                Kind::Date => row
                                    .try_get::<Option<chrono::NaiveDate>, _>(i)?
                                    .map_or(Value::Null, |d| Value::from(d.to_string())),
                            });
                        }
                        on(Dumped::Row(t, values))?;
                    }
                }
            }};
        }
        match &self.db {
            Db::Sqlite { read, .. } => {
                // A read transaction in WAL mode sees the database as of its first read.
                let mut conn = read.acquire().await?;
                sqlx::query("BEGIN").execute(&mut *conn).await?;
                dump!(conn);
                sqlx::query("COMMIT").execute(&mut *conn).await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                dump!(tx);
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Loads tables into this database in one transaction: nothing is written unless all of
    /// it is. The database must be freshly migrated (no accounts, units, audit or ledger
    /// rows); `rows` gives each table's rows, with `columns` named as they were written.
    pub async fn import_tables<I>(
        &self,
        tables: &[(Table, Vec<String>)],
        mut rows: impl FnMut(&Table) -> Result<I, StoreError>,
    ) -> Result<(), StoreError>
    where
        I: Iterator<Item = Result<Vec<Value>, StoreError>>,
    {
        let here = self.tables().await?;
        for (t, _) in tables {
            let ours = here.iter().find(|h| h.name == t.name).ok_or_else(|| {
                StoreError::Corrupt(format!("table {} is not in this database's schema", t.name))
            })?;
            for c in &t.columns {
                if !ours
                    .columns
                    .iter()
                    .any(|o| o.name == c.name && o.kind == c.kind)
                {
                    return Err(StoreError::Corrupt(format!(
                        "column {}.{} does not match this database's schema",
                        t.name, c.name
                    )));
                }
            }
        }
        for t in &here {
            let n: i64 = read!(self, |pool| {
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", t.name)))
                    .fetch_one(pool)
                    .await
            })?;
            let seeded = t.name == "ledger_head";
            if n > 0 && !seeded {
                return Err(StoreError::Conflict(format!(
                    "the database is not empty (table {} has {n} rows); load into a new database",
                    t.name
                )));
            }
        }
        macro_rules! load {
            ($tx:expr) => {{
                sqlx::query("DELETE FROM ledger_head")
                    .execute(&mut *$tx)
                    .await?;
                for (t, names) in tables {
                    let positions: Vec<usize> = names
                        .iter()
                        .map(|n| {
                            t.columns.iter().position(|c| &c.name == n).ok_or_else(|| {
                                StoreError::Corrupt(format!(
                                    "column {}.{n} is not described",
                                    t.name
                                ))
                            })
                        })
                        .collect::<Result<_, _>>()?;
                    let self_ref: Vec<usize> = t
                        .self_refs
                        .iter()
                        .filter_map(|s| names.iter().position(|n| n == s))
                        .collect();
                    let mut later: Vec<Vec<Value>> = Vec::new();
                    let mut batch: Vec<Vec<Value>> = Vec::new();
                    // Keep each statement under both backends' bound-parameter limits.
                    let per_statement = (30_000 / names.len().max(1)).clamp(1, 500);
                    for row in rows(t)? {
                        let mut row = row?;
                        if row.len() != names.len() {
                            return Err(StoreError::Corrupt(format!(
                                "table {}: a row has {} values for {} columns",
                                t.name,
                                row.len(),
                                names.len()
                            )));
                        }
                        if self_ref.iter().any(|&i| !row[i].is_null()) {
                            later.push(row.clone());
                            for &i in &self_ref {
                                row[i] = Value::Null;
                            }
                        }
                        batch.push(row);
                        if batch.len() == per_statement {
                            let sql = insert_sql(&t.name, names, batch.len());
                            let mut q = sqlx::query(AssertSqlSafe(sql));
                            for r in batch.drain(..) {
                                for (v, &p) in r.into_iter().zip(&positions) {
                                    q = bind_value!(q, t.columns[p].kind, v, t, names);
                                }
                            }
                            q.execute(&mut *$tx).await?;
                        }
                    }
                    if !batch.is_empty() {
                        let sql = insert_sql(&t.name, names, batch.len());
                        let mut q = sqlx::query(AssertSqlSafe(sql));
                        for r in batch.drain(..) {
                            for (v, &p) in r.into_iter().zip(&positions) {
                                q = bind_value!(q, t.columns[p].kind, v, t, names);
                            }
                        }
                        q.execute(&mut *$tx).await?;
                    }
                    // Rows that refer to rows of their own table, now that all are there.
                    for row in later {
                        let mut sets = Vec::new();
                        let mut n = 0;
                        for &i in &self_ref {
                            n += 1;
                            sets.push(format!("{} = ${n}", names[i]));
                        }
                        let mut wheres = Vec::new();
                        for k in &t.key {
                            n += 1;
                            wheres.push(format!("{k} = ${n}"));
                        }
                        let sql = format!(
                            "UPDATE {} SET {} WHERE {}",
                            t.name,
                            sets.join(", "),
                            wheres.join(" AND ")
                        );
                        let mut q = sqlx::query(AssertSqlSafe(sql));
                        for &i in &self_ref {
                            let kind = t.columns[positions[i]].kind;
                            q = bind_value!(q, kind, row[i].clone(), t, names);
                        }
                        for k in &t.key {
                            let i = names.iter().position(|n| n == k).ok_or_else(|| {
                                StoreError::Corrupt(format!("table {}: key {k} missing", t.name))
                            })?;
                            let kind = t.columns[positions[i]].kind;
                            q = bind_value!(q, kind, row[i].clone(), t, names);
                        }
                        q.execute(&mut *$tx).await?;
                    }
                }
            }};
        }
        match &self.db {
            Db::Sqlite { write, .. } => {
                let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
                load!(tx);
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                load!(tx);
                // Identity columns continue after the loaded ids.
                for (t, names) in tables {
                    if names.iter().any(|n| n == "id") && t.key == ["id"] {
                        sqlx::query(AssertSqlSafe(format!(
                            "SELECT setval(pg_get_serial_sequence('{0}', 'id'), \
                             COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {0} \
                             WHERE pg_get_serial_sequence('{0}', 'id') IS NOT NULL",
                            t.name
                        )))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// The number of rows of each table, for checking a copy.
    pub async fn table_counts(&self) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut counts = BTreeMap::new();
        for t in self.tables().await? {
            let n: i64 = read!(self, |pool| {
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", t.name)))
                    .fetch_one(pool)
                    .await
            })?;
            counts.insert(t.name, n);
        }
        Ok(counts)
    }
}

/// Binds one value of a column of `kind`; a value of the wrong JSON type is refused.
macro_rules! bind_value {
    ($q:expr, $kind:expr, $v:expr, $t:expr, $names:expr) => {{
        let v: Value = $v;
        match ($kind, &v) {
            (_, Value::Null) => match $kind {
                Kind::Integer => $q.bind(None::<i64>),
                Kind::Boolean => $q.bind(None::<bool>),
                Kind::Text => $q.bind(None::<String>),
                Kind::Date => $q.bind(None::<chrono::NaiveDate>),
            },
            (Kind::Integer, Value::Number(n)) if n.is_i64() => $q.bind(n.as_i64()),
            (Kind::Boolean, Value::Bool(b)) => $q.bind(*b),
            (Kind::Text, Value::String(s)) => $q.bind(s.clone()),
            (Kind::Date, Value::String(s)) => match s.parse::<chrono::NaiveDate>() {
                Ok(d) => $q.bind(d),
                Err(_) => {
                    return Err(StoreError::Corrupt(format!(
                        "table {}: {s} is not a date",
                        $t.name
                    )));
                }
            },
            _ => {
                return Err(StoreError::Corrupt(format!(
                    "table {}: {v} is not a {:?} value",
                    $t.name, $kind
                )));
            }
        }
    }};
}
use bind_value;

fn select_sql(t: &Table) -> String {
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    let order = if t.key.is_empty() {
        cols.join(", ")
    } else {
        t.key.join(", ")
    };
    format!(
        "SELECT {} FROM {} ORDER BY {order}",
        cols.join(", "),
        t.name
    )
}

fn insert_sql(table: &str, names: &[String], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", names.join(", "));
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..names.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    sql
}

/// Builds the tables from the schema's facts, each after the tables it refers to.
fn order_tables(
    facts: Vec<ColumnFact>,
    references: Vec<(String, String, String)>,
) -> Result<Vec<Table>, StoreError> {
    // Per table: its columns, and its key columns with their positions in the key.
    type Shape = (Vec<Column>, Vec<(i64, String)>);
    let mut tables: BTreeMap<String, Shape> = BTreeMap::new();
    for f in facts {
        let kind = Kind::of(&f.declared).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "column {}.{} has type {}, which backups do not copy",
                f.table, f.column, f.declared
            ))
        })?;
        let entry = tables.entry(f.table).or_default();
        if f.key_position > 0 {
            entry.1.push((f.key_position, f.column.clone()));
        }
        entry.0.push(Column {
            name: f.column,
            kind,
        });
    }
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut self_refs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (from, column, to) in &references {
        if from == to {
            self_refs.entry(from).or_default().push(column.clone());
        } else {
            parents.entry(from).or_default().insert(to);
        }
    }
    let mut done: Vec<String> = Vec::new();
    let mut left: Vec<&String> = tables.keys().collect();
    while !left.is_empty() {
        let ready: Vec<&String> = left
            .iter()
            .copied()
            .filter(|t| {
                parents
                    .get(t.as_str())
                    .is_none_or(|ps| ps.iter().all(|p| done.iter().any(|d| d == p)))
            })
            .collect();
        if ready.is_empty() {
            let names: Vec<&str> = left.iter().map(|s| s.as_str()).collect();
            return Err(StoreError::Corrupt(format!(
                "the tables {} refer to each other in a cycle",
                names.join(", ")
            )));
        }
        left.retain(|t| !ready.contains(t));
        done.extend(ready.into_iter().cloned());
    }
    Ok(done
        .into_iter()
        .map(|name| {
            let (columns, mut key) = tables.remove(&name).unwrap_or_default();
            key.sort();
            let mut refs = self_refs.remove(name.as_str()).unwrap_or_default();
            refs.sort();
            refs.dedup();
            Table {
                key: key.into_iter().map(|(_, c)| c).collect(),
                self_refs: refs,
                columns,
                name,
            }
        })
        .collect())
}

use crate::{Scratch, chiso, stderr, stdout};

#[test]
fn a_bad_database_url_is_one_clear_line_and_exit_2() {
    let s = Scratch::new("badurl");
    let o = chiso(
        &s.0,
        &[
            "--db",
            "postgres://chiso:secret@127.0.0.1:1/chiso",
            "migrate",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("chiso: cannot open the database postgres://chiso:***@127.0.0.1:1/chiso:"),
        "{err}"
    );
    assert!(!err.contains("secret"));
    let o = chiso(&s.0, &["--db", "mysql://x/y", "migrate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unsupported database URL"));
    // Usage errors are exit 2 too.
    assert_eq!(
        chiso(&s.0, &["serve", "--no-such-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_default_database_is_created_under_data() {
    let s = Scratch::new("default");
    let o = chiso(&s.0, &["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(s.path("data/chiso.db").is_file());
}

#[test]
fn unit_import_reports_every_error_and_writes_nothing() {
    let s = Scratch::new("import");
    let db = s.db_url();
    std::fs::write(
        s.path("units.csv"),
        "code,name,type,parent_code,valid_from,valid_to\nMS,Tỉnh Minh Sơn,tỉnh,,01/01/1991,\nSNV,Sở Nội vụ,sở,MS,01/01/2004,\nXA,Xã A,thôn,MS,01/07/2025,\nXB,Xã B,xã,MS,32/07/2025,\n",
    )
    .unwrap();
    let o = chiso(&s.0, &["--db", &db, "units", "import", "units.csv"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("units.csv: Dòng 4, cột type: loại đơn vị \"thôn\" không hợp lệ"),
        "{err}"
    );
    assert!(
        err.contains("units.csv: Dòng 5, cột valid_from: ngày \"32/07/2025\" không hợp lệ"),
        "{err}"
    );
    let o = chiso(&s.0, &["--db", &db, "units", "export", "out.csv"]);
    assert!(
        stdout(&o).contains("Wrote 0 units"),
        "nothing may be half-imported: {}",
        stdout(&o)
    );

    std::fs::write(
        s.path("units.csv"),
        "code,name,type,parent_code,valid_from,valid_to\nMS,Tỉnh Minh Sơn,tỉnh,,01/01/1991,\nSNV,Sở Nội vụ,sở,MS,01/01/2004,\n",
    )
    .unwrap();
    let o = chiso(
        &s.0,
        &["--db", &db, "units", "import", "units.csv", "--dry-run"],
    );
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("Dry run: 2 to create, 0 to update, 0 unchanged. Nothing was written.")
    );
    let o = chiso(&s.0, &["--db", &db, "units", "import", "units.csv"]);
    assert!(stdout(&o).contains("2 created"), "{}", stdout(&o));
    let o = chiso(&s.0, &["--db", &db, "units", "import", "units.csv"]);
    assert!(
        stdout(&o).contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        stdout(&o)
    );

    let o = chiso(&s.0, &["--db", &db, "units", "export", "units.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(s.path("units.xlsx"))
            .unwrap()
            .starts_with(b"PK"),
        "an xlsx is a zip file"
    );
    assert_eq!(
        chiso(&s.0, &["--db", &db, "units", "export", "units.pdf"])
            .status
            .code(),
        Some(2)
    );

    let o = chiso(
        &s.0,
        &[
            "--db",
            &db,
            "create-admin",
            "lan.noivu",
            "--name",
            "Nguyễn Thị Lan",
            "--unit",
            "snv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("One-time password"));
    let o = chiso(
        &s.0,
        &[
            "--db",
            &db,
            "create-admin",
            "lan.noivu",
            "--name",
            "X",
            "--unit",
            "SNV",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = chiso(
        &s.0,
        &[
            "--db",
            &db,
            "create-admin",
            "x.y",
            "--name",
            "X",
            "--unit",
            "NOPE",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
}

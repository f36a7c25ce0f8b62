use chiso_core::external::{Choice, IndexCode, parse_csv};
use chiso_core::framework::Points;
use chiso_store::audit::{By, Filter};

fn p(s: &str) -> Points {
    Points::parse(s).unwrap()
}

const FILE_2023: &str = "index,year,name,value,rank\n\
    PAR_INDEX,2023,Tỉnh Đông Hà,92.18,1\n\
    PAR_INDEX,2023,Tỉnh Minh Sơn,86.44,3\n\
    PAR_INDEX,2023,Tỉnh Bắc Vọng,87.1,2\n";

chiso_store::backend_tests! {
    async fn an_import_replaces_one_index_and_year_with_an_audit_entry(store) {
        let by = By::system("test");
        let file = parse_csv(FILE_2023.as_bytes(), &Choice::default()).unwrap();
        let done = store.import_external_results(&file, "2023.csv", &by, crate::now()).await.unwrap();
        assert_eq!((done[0].stored, done[0].replaced), (3, 0));

        // A second file with two years: 2024 is new, 2023 is replaced as a whole.
        let csv = "index;year;name;value;max\n\
                   PAR_INDEX;2023;Tỉnh Đông Hà;92,18;100\n\
                   PAR_INDEX;2023;Minh Sơn;86,4425;100\n\
                   PAR_INDEX;2024;Minh Sơn;90,5;\n\
                   PAR_INDEX;2024;Tỉnh Đông Hà;96,17;\n\
                   PAR_INDEX;2024;Tỉnh Bắc Vọng;90,5;\n";
        let file = parse_csv(csv.as_bytes(), &Choice::default()).unwrap();
        let done = store.import_external_results(&file, "hai-nam.csv", &by, crate::now()).await.unwrap();
        let counts: Vec<(i32, usize, usize)> = done.iter().map(|d| (d.year, d.stored, d.replaced)).collect();
        assert_eq!(counts, vec![(2023, 2, 3), (2024, 3, 0)]);

        let t2023 = store.external_table(IndexCode::ParIndex, 2023).await.unwrap();
        let view: Vec<(&str, Points, Option<Points>, u32, bool)> =
            t2023.iter().map(|r| (r.name.as_str(), r.value, r.max, r.rank, r.rank_given)).collect();
        assert_eq!(
            view,
            vec![
                ("Tỉnh Đông Hà", p("92.18"), Some(p("100")), 1, false),
                ("Minh Sơn", p("86.4425"), Some(p("100")), 2, false),
            ]
        );
        // Computed ranks: ties share one, then Vietnamese alphabetical order.
        let t2024 = store.external_table(IndexCode::ParIndex, 2024).await.unwrap();
        let view: Vec<(&str, u32)> = t2024.iter().map(|r| (r.name.as_str(), r.rank)).collect();
        assert_eq!(view, vec![("Tỉnh Đông Hà", 1), ("Minh Sơn", 2), ("Tỉnh Bắc Vọng", 2)]);
        assert!(store.external_table(IndexCode::Pci, 2024).await.unwrap().is_empty());

        let sets = store.external_sets().await.unwrap();
        let view: Vec<(IndexCode, i32, usize, &str)> =
            sets.iter().map(|s| (s.index, s.year, s.count, s.source.as_str())).collect();
        assert_eq!(
            view,
            vec![(IndexCode::ParIndex, 2024, 3, "hai-nam.csv"), (IndexCode::ParIndex, 2023, 2, "hai-nam.csv")]
        );
        assert_eq!(sets[0].imported_by, "test");
        assert_eq!(sets[0].imported_at, crate::now());

        let log = store
            .audit_entries(&Filter { entity: Some("external_results".into()), limit: 10, ..Filter::default() })
            .await
            .unwrap();
        assert_eq!(log.len(), 3);
        let replaced = log.iter().find(|e| e.entity_id == "PAR_INDEX/2023" && e.summary.starts_with("hai-nam")).unwrap();
        assert_eq!(replaced.action, "external_results.import");
        assert!(replaced.before.as_deref().unwrap().contains("Tỉnh Bắc Vọng"), "{replaced:?}");
        assert!(!replaced.after.as_deref().unwrap().contains("Tỉnh Bắc Vọng"));
        assert!(replaced.after.as_deref().unwrap().contains("86.4425"));
    }

    async fn a_series_follows_one_province_across_names_and_years(store) {
        let by = By::system("test");
        let csv = "index,year,name,value\n\
                   PAR_INDEX,2024,Tỉnh Minh Sơn,88.9\n\
                   PAR_INDEX,2024,Tỉnh Đông Hà,96.17\n\
                   SIPAS,2024,Minh Sơn,82.66\n";
        let file = parse_csv(csv.as_bytes(), &Choice::default()).unwrap();
        store.import_external_results(&file, "2024.csv", &by, crate::now()).await.unwrap();
        let file = parse_csv(FILE_2023.as_bytes(), &Choice::default()).unwrap();
        store.import_external_results(&file, "2023.csv", &by, crate::now()).await.unwrap();

        for name in ["Tỉnh Minh Sơn", "minh son", "MINH SƠN"] {
            let s = store.external_series(IndexCode::ParIndex, name).await.unwrap();
            let view: Vec<(i32, Points, u32)> = s.iter().map(|r| (r.year, r.value, r.rank)).collect();
            assert_eq!(view, vec![(2023, p("86.44"), 3), (2024, p("88.9"), 2)], "{name}");
        }
        let s = store.external_series(IndexCode::Sipas, "Tỉnh Minh Sơn").await.unwrap();
        assert_eq!(s.len(), 1);
        assert!(store.external_series(IndexCode::Pci, "Minh Sơn").await.unwrap().is_empty());
    }

    async fn a_failing_import_stores_nothing(store) {
        let by = By::system("test");
        let file = parse_csv(FILE_2023.as_bytes(), &Choice::default()).unwrap();
        store.import_external_results(&file, "2023.csv", &by, crate::now()).await.unwrap();
        // Two names the parser would refuse as one entity, forced past it: the database's
        // unique key refuses the second, and the whole transaction (2024 and 2023) rolls back.
        let csv = "index,year,name,value\n\
                   PAR_INDEX,2024,Tỉnh Lam Giang,80\n\
                   PAR_INDEX,2023,Tỉnh Lam Giang,80\n\
                   PAR_INDEX,2023,Tỉnh Vân Lĩnh,81\n";
        let mut file = parse_csv(csv.as_bytes(), &Choice::default()).unwrap();
        assert_eq!(file.sets[0].rows[0].result.name, "Tỉnh Vân Lĩnh");
        file.sets[0].rows[0].result.name = "Lam Giang".into();
        let err = store.import_external_results(&file, "sai.csv", &by, crate::now()).await.unwrap_err();
        assert!(matches!(err, chiso_store::StoreError::Conflict(_)), "{err:?}");
        assert_eq!(store.external_table(IndexCode::ParIndex, 2023).await.unwrap().len(), 3);
        assert!(store.external_table(IndexCode::ParIndex, 2024).await.unwrap().is_empty());
    }
}

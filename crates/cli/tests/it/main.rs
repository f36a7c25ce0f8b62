//! The `chiso` binary, run as a person or a script would run it.

mod audit;
mod backup;
mod evidence;
mod framework;
mod generate;
mod http;
mod plan;
mod results;
mod servers;
mod survey;
mod units;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A folder of its own for one test, removed at the end.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let mut bytes = [0u8; 6];
        for (i, b) in std::process::id()
            .to_le_bytes()
            .iter()
            .chain(&[0, 0])
            .enumerate()
        {
            bytes[i % 6] ^= *b;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir =
            std::env::temp_dir().join(format!("chiso-cli-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn db_url(&self) -> String {
        format!("sqlite://{}", self.path("chiso.db").display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `chiso` with arguments in a folder, with no `CHISO_*` settings from outside.
pub fn chiso(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().expect("run chiso")
}

pub fn command(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chiso"));
    c.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("CHISO_") {
            c.env_remove(k);
        }
    }
    c.env("CHISO_LOG", "warn");
    c
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

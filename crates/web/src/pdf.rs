//! PDF by printing HTML with headless Chromium (Debian's `chromium`): the reports' printable
//! pages become PDF exactly as a browser prints them (A4, Vietnamese fonts of the system). Where
//! Chromium is not installed, PDF is unavailable and the pages say so; Word and Excel files
//! still work.

use std::path::PathBuf;
use std::time::Duration;

/// The Chromium binary: `CHISO_CHROMIUM`, else the first of the usual names on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHISO_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Whether PDF can be made here.
pub fn available() -> bool {
    chromium().is_some()
}

/// At most two browsers at a time: each takes a couple of hundred megabytes.
static PRINTERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Prints a self-contained HTML page to PDF. The page carries a content policy that allows
/// nothing but its own inline style (no script, no other file; see the print templates) and is
/// loaded from a private temporary folder. (Chromium's `scriptEnabled=false` setting stops
/// `--print-to-pdf` from writing anything, so the policy is what keeps scripts out.)
pub async fn from_html(html: &str) -> Result<Vec<u8>, String> {
    let binary = chromium().ok_or("Chromium is not installed on the server")?;
    let _turn = tokio::time::timeout(Duration::from_secs(60), PRINTERS.acquire())
        .await
        .map_err(|_| "the server is busy printing; try again in a minute".to_string())?
        .map_err(|e| e.to_string())?;
    let mut suffix = [0u8; 8];
    getrandom::fill(&mut suffix).map_err(|e| e.to_string())?;
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("chiso-pdf-{suffix}"));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).map_err(|e| e.to_string())?;
    let page = dir.join("page.html");
    let out = dir.join("page.pdf");
    let result = async {
        tokio::fs::write(&page, html)
            .await
            .map_err(|e| e.to_string())?;
        let run = tokio::process::Command::new(binary)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", page.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .status();
        let status = tokio::time::timeout(Duration::from_secs(60), run)
            .await
            .map_err(|_| "Chromium took more than a minute".to_string())?
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("Chromium exited with {status}"));
        }
        tokio::fs::read(&out).await.map_err(|e| e.to_string())
    }
    .await;
    let _ = tokio::fs::remove_dir_all(&dir).await;
    result
}

//! What several of the CLI's test crates share.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the bundled scrub example's US_NATIONAL copy (obtained
/// 2026-11-25T05:00Z, five area codes) into `dir`, the way the README
/// says; returns its path.
pub(crate) fn bundled_us_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("us.dncreg");
    let numbers = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/scrub/registry/us-national.txt"
    );
    let built = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args([
            "registry",
            "build",
            "--source",
            "US_NATIONAL",
            "--obtained",
            "2026-11-25T05:00:00Z",
            "--area-codes",
            "201,313,415,503,617",
            "--out",
            copy.to_str().unwrap(),
            numbers,
        ])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    copy
}

//! A C program links the static library and replays the vendor's truth
//! table (`capi/examples/truth_table.c`), compiled here with the system C
//! compiler (`cc`, or `$CC`) with every warning an error.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory this crate's libraries were built into for this test run:
/// the test binary's own (`target/debug/deps`). `target/debug` holds a copy
/// only after a `cargo build`, and it may be stale.
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().to_path_buf()
}

fn compile(out: &Path) {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let library = library_dir().join("libdnc_capi.a");
    assert!(
        library.exists(),
        "{} is missing: cargo builds it with the crate",
        library.display()
    );
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(&compiler)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1"])
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("examples/truth_table.c"))
        .arg(&library)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(out)
        .status()
        .unwrap_or_else(|error| panic!("the C compiler {compiler} did not start: {error}"));
    assert!(status.success(), "the C example did not compile");
}

#[test]
fn a_c_program_replays_the_truth_table() {
    let program = Path::new(env!("CARGO_TARGET_TMPDIR")).join("truth_table");
    compile(&program);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let output = Command::new(&program)
        .arg(fixtures.join("truth-table.jsonl"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the C program failed:\n{stderr}");
    assert!(stderr.contains("the truth table holds"), "{stderr}");
    // The replay lines answer exactly as `dnc replay` does.
    let expected = std::fs::read_to_string(fixtures.join("truth-table.expected.jsonl")).unwrap();
    let got = String::from_utf8(output.stdout).unwrap();
    let parse = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    assert_eq!(parse(&got), parse(&expected));
}

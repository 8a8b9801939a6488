//! The independent reviewer's C program (`tests/independent/check.c`,
//! written from the issue, the spec and the header only): the truth table
//! through the replay line and the typed calls, hostile arguments, the
//! allocation counts of single checks (malloc wrapped by the linker) and
//! threads, compiled with the system C compiler and run.

use std::path::Path;
use std::process::Command;

#[test]
fn the_reviewers_c_program_passes() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Built for this test run beside the test binary (target/debug/deps);
    // target/debug holds a copy only after a `cargo build`.
    let exe = std::env::current_exe().unwrap();
    let library = exe.parent().unwrap().join("libdnc_capi.a");
    assert!(library.exists(), "{} is missing", library.display());
    let program = Path::new(env!("CARGO_TARGET_TMPDIR")).join("independent_check");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(&compiler)
        .args(["-std=c11", "-Wall", "-O1", "-I"])
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/independent/check.c"))
        .arg(&library)
        .args([
            "-lpthread",
            "-ldl",
            "-lm",
            "-Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=posix_memalign",
            "-o",
        ])
        .arg(&program)
        .status()
        .unwrap_or_else(|error| panic!("the C compiler {compiler} did not start: {error}"));
    assert!(status.success(), "check.c did not compile");
    let output = Command::new(&program)
        .env("DNC_FIXTURES", crate_dir.join("../tests/fixtures"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("PASSED: 0 failure(s)"),
        "the reviewer's checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

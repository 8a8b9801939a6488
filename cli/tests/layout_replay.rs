//! Issue 11 moved every file of the library and the program; it promised
//! that no answer changes. `independent/layout/` holds 1,413 replay lines
//! written by a reviewer who had not read the code (every op, bad input,
//! other tenants, bulk positions, id exhaustion, bytes that are not UTF-8),
//! each `NAME.expected.jsonl` the answers of the program built *before*
//! the move. The program must answer them byte for byte the same.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn every_reviewer_script_is_answered_as_before_the_layout_change() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/independent/layout");
    let mut scripts: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".jsonl") && !name.ends_with(".expected.jsonl")
        })
        .collect();
    scripts.sort();
    assert_eq!(scripts.len(), 9, "the reviewer's nine scripts");
    for script in scripts {
        let input = std::fs::read(&script).unwrap();
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dnc"))
            .arg("replay")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || stdin.write_all(&input));
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap().unwrap();
        assert!(output.status.success(), "{}", script.display());
        assert!(
            output.stdout == expected,
            "{}: the answers differ from the program's before the layout change",
            script.display()
        );
    }
}

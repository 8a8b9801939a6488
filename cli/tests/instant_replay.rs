//! Moving every instant to `jiff::Timestamp` (issue 11) was to change no
//! answer but the few the CHANGELOG names. `independent/instants/` holds
//! 1,981 replay lines a reviewer wrote without reading the code, with the
//! answers this program must give and, where they differ, the answers of
//! the program built before the change (its README says why each differs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn replay(script: &Path) -> Vec<u8> {
    let input = std::fs::read(script).unwrap();
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
    output.stdout
}

fn scripts() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/independent/instants");
    let mut scripts: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".jsonl")
                && !name.ends_with(".expected.jsonl")
                && !name.ends_with(".before.jsonl")
        })
        .collect();
    scripts.sort();
    scripts
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split(|&b| b == b'\n').collect()
}

#[test]
fn every_reviewer_script_gets_its_expected_answers() {
    let scripts = scripts();
    assert_eq!(scripts.len(), 8, "the reviewer's eight scripts");
    for script in scripts {
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        assert!(
            replay(&script) == expected,
            "{}: the answers differ from the expected ones",
            script.display()
        );
    }
}

/// The README's count of lines that differ from the program before the
/// change, per script: a new difference cannot slip in unexplained.
#[test]
fn only_the_explained_lines_differ_from_before_the_change() {
    let explained = [
        ("s01-legacy-instants", 4),
        ("s02-change-instants-out-of-range", 36),
        ("s03-channel-expirations-and-checks", 11),
    ];
    for script in scripts() {
        let name = script.file_stem().unwrap().to_string_lossy().into_owned();
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        let before = script.with_extension("before.jsonl");
        let differing = match std::fs::read(&before) {
            Ok(before) => {
                let (old, new) = (lines(&before), lines(&expected));
                assert_eq!(old.len(), new.len(), "{name}: one answer a line");
                old.iter().zip(&new).filter(|(a, b)| a != b).count()
            }
            Err(_) => 0,
        };
        let want = explained
            .iter()
            .find(|(script, _)| *script == name)
            .map_or(0, |(_, count)| *count);
        assert_eq!(differing, want, "{name}: lines that differ from before");
    }
}

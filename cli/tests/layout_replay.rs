//! Issue 11 moved every file of the library and the program, and every
//! instant of the library to `jiff::Timestamp`; it promised that no answer
//! changes but the few the CHANGELOG names. Two reviewers who had not read
//! the code wrote the scripts kept here:
//!
//! - `independent/layout/`: 1,413 replay lines (every op, bad input, other
//!   tenants, bulk positions, id exhaustion, bytes that are not UTF-8),
//!   each `NAME.expected.jsonl` the answers of the program built *before*
//!   the move, to be matched byte for byte;
//! - `independent/instants/`: 1,981 lines about instants, ids, tenants and
//!   dialing, with the answers this program must give and, where they
//!   differ, the answers from before the change (its README says why each
//!   differs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The program's answers to a script, as bytes.
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

/// `answers` compared with `expected` line by line, where two classes of
/// difference are allowed:
///
/// - the unknown-op message lists every op of the program, so an op added
///   since the scripts were answered (issue 12's registries ops, issue
///   13's laws and attempts ops) lengthens it. A line may differ only by ops
///   appended after the old list's last; an op removed, renamed or moved
///   still fails;
/// - a dial answer under the calling laws (issue 13, [`law_difference`]).
fn same_but_new_ops(answers: &[u8], expected: &[u8]) -> bool {
    let (answers, expected) = (
        String::from_utf8_lossy(answers).into_owned(),
        String::from_utf8_lossy(expected).into_owned(),
    );
    let (got, want): (Vec<&str>, Vec<&str>) =
        (answers.lines().collect(), expected.lines().collect());
    got.len() == want.len()
        && got.iter().zip(&want).all(|(got, want)| {
            if got == want {
                return true;
            }
            let marker = "expected add_service, ";
            match (got.split_once(marker), want.split_once(marker)) {
                (Some((got_head, got_ops)), Some((want_head, want_ops))) => {
                    let old = want_ops.trim_end_matches("\"}}");
                    got_head == want_head
                        && got_ops.starts_with(old)
                        && got_ops[old.len()..].starts_with(", registry_load")
                }
                _ => law_difference(got, want),
            }
        })
}

/// Whether `got` is the dial answer `want` under the calling laws (issue
/// 13) and nothing else: the same answer but for the laws' reasons (listed
/// in `law`, each also in `reasons`), `allowed` and `mayLeaveMessage`
/// turned false only when a law refuses, and `nextAllowed` absent when a
/// legacy entry, an account flag, an SMS or dialtime entry refuses (the old answer's
/// instant was the request's own for them, a retry loop), else no earlier
/// than before (a law can only push it later).
fn law_difference(got: &str, want: &str) -> bool {
    use serde_json::Value;
    let (Ok(Value::Object(mut got)), Ok(Value::Object(mut want))) = (
        serde_json::from_str::<Value>(got),
        serde_json::from_str::<Value>(want),
    ) else {
        return false;
    };
    if !want.contains_key("allowed") || want.contains_key("law") {
        return false;
    }
    let law_texts: Vec<Value> = got
        .remove("law")
        .and_then(|law| law.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|refusal| refusal["text"].clone())
        .collect();
    let Some(Value::Array(reasons)) = got.get_mut("reasons") else {
        return false;
    };
    let before = reasons.len();
    reasons.retain(|reason| !law_texts.contains(reason));
    if before - reasons.len() != law_texts.len() {
        return false;
    }
    let refused_by_law = !law_texts.is_empty();
    let field = |map: &serde_json::Map<String, Value>, key: &str| {
        map.get(key).cloned().unwrap_or(Value::Null)
    };
    let was_allowed = field(&want, "allowed") == Value::Bool(true);
    for key in ["allowed", "mayLeaveMessage"] {
        let expected = if refused_by_law && field(&want, key) == Value::Bool(true) {
            Value::Bool(false)
        } else {
            field(&want, key)
        };
        if field(&got, key) != expected {
            return false;
        }
    }
    let any = |keys: &[&str]| {
        keys.iter().any(|key| {
            field(&got, key)
                .as_array()
                .is_some_and(|ids| !ids.is_empty())
        })
    };
    // A legacy entry, a flag or an SMS entry never lapses by itself; a
    // dialtime entry may or may not expire (the answer cannot say which,
    // the models check the instants).
    let never_lapses = any(&["entries", "accountFlags", "smsEntries"]);
    let may_never_lapse = never_lapses || any(&["dialtimeEntries"]);
    let next_ok = match (&field(&got, "nextAllowed"), &field(&want, "nextAllowed")) {
        (Value::Null, Value::Null) => !was_allowed,
        // A refusal that never lapses, or laws that allow no instant in
        // the horizon (every state's at a number of no known place).
        (Value::Null, _) => may_never_lapse || refused_by_law,
        (got_next, want_next) if !never_lapses => match (got_next.as_i64(), want_next.as_i64()) {
            (Some(got_next), Some(want_next)) => got_next >= want_next,
            _ => false,
        },
        _ => false,
    };
    if !next_ok {
        return false;
    }
    for key in ["allowed", "mayLeaveMessage", "nextAllowed"] {
        got.remove(key);
        want.remove(key);
    }
    got == want
}

/// The request scripts of `independent/FOLDER`, sorted.
fn scripts(folder: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/independent")
        .join(folder);
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

#[test]
fn every_reviewer_script_is_answered_as_before_the_layout_change() {
    let scripts = scripts("layout");
    assert_eq!(scripts.len(), 9, "the first reviewer's nine scripts");
    for script in scripts {
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        assert!(
            same_but_new_ops(&replay(&script), &expected),
            "{}: the answers differ from the program's before the layout change",
            script.display()
        );
    }
}

#[test]
fn every_instants_script_gets_its_expected_answers() {
    let scripts = scripts("instants");
    assert_eq!(scripts.len(), 8, "the second reviewer's eight scripts");
    for script in scripts {
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        assert!(
            same_but_new_ops(&replay(&script), &expected),
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
    let lines = |bytes: &[u8]| -> Vec<Vec<u8>> {
        bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
    };
    for script in scripts("instants") {
        let name = script.file_stem().unwrap().to_string_lossy().into_owned();
        let expected = std::fs::read(script.with_extension("expected.jsonl")).unwrap();
        let differing = match std::fs::read(script.with_extension("before.jsonl")) {
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

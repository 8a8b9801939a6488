//! The scrub report opened in headless Chromium (Debian's `chromium`;
//! `.ci/run` installs it): a screenshot shows each chart drawn (its bars'
//! own color fills a region of the page), and the totals the rendered page
//! shows equal the JSON report's.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod support;
use support::bundled_us_copy;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/scrub");

/// Each chart's id and bar color, as the report draws them.
const CHARTS: [(&str, [u8; 3]); 4] = [
    ("chart-reason", [0xb4, 0x23, 0x18]),
    ("chart-state", [0x9a, 0x34, 0x12]),
    ("chart-hour", [0x7a, 0x1f, 0x5c]),
    ("chart-exemption", [0x1a, 0x7f, 0x37]),
];

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("DNC_CHROMIUM") {
        return PathBuf::from(path);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(output) = Command::new("which").arg(name).output()
            && output.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        }
    }
    panic!("no chromium: apt-get install chromium (.ci/run installs it), or set DNC_CHROMIUM");
}

/// Chromium's headless flags: no sandbox (CI runs as root in a container),
/// no GPU, a fixed window so a screenshot holds the whole report.
fn headless(profile: &Path) -> Command {
    let mut command = Command::new(chromium());
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1000,4000",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

fn dnc(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_dnc"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_report_renders_its_charts_and_totals_in_a_browser() {
    let dir = std::env::temp_dir().join(format!("dnc-report-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let copy = bundled_us_copy(&dir);
    let (html, json) = (dir.join("report.html"), dir.join("report.json"));
    dnc(&[
        "scrub",
        "--services",
        &format!("{EXAMPLE}/services.csv"),
        "--dnc",
        &format!("{EXAMPLE}/dnc.csv"),
        "--calls",
        &format!("{EXAMPLE}/registry/calls.csv"),
        "--at",
        "2026-12-01T18:00:00Z",
        "--registry",
        copy.to_str().unwrap(),
        "--exemptions",
        &format!("{EXAMPLE}/registry/exemptions.csv"),
        "--setup",
        &format!("{EXAMPLE}/registry/setup.jsonl"),
        "--out",
        dir.join("out.csv").to_str().unwrap(),
        "--report",
        html.to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
    ]);
    let url = format!("file://{}", html.display());

    let shot = dir.join("shot.png");
    let status = headless(&dir.join("profile-shot"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let pixels = &pixels[..frame.buffer_size()];
    for (chart, color) in CHARTS {
        let drawn = pixels
            .chunks_exact(channels)
            .filter(|pixel| pixel[..3] == color)
            .count();
        // A bar is at least 16 px high and a few px wide: a chart drawn at
        // all fills hundreds of pixels with its color.
        assert!(
            drawn > 300,
            "{chart}: {drawn} pixels of its bars in the screenshot"
        );
    }
    // Something besides the bars: the page is not one color.
    let white = pixels
        .chunks_exact(channels)
        .filter(|pixel| pixel[..3] == [255, 255, 255])
        .count();
    assert!(white < pixels.len() / channels, "a blank page");

    let dom = headless(&dir.join("profile-dom"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for total in ["rows", "allowed", "refused", "invalid"] {
        let marker = format!("id=\"total-{total}\"><b>");
        let at = dom
            .find(&marker)
            .unwrap_or_else(|| panic!("the page shows no {total}"));
        let rest = &dom[at + marker.len()..];
        let shown: u64 = rest[..rest.find('<').unwrap()].parse().unwrap();
        assert_eq!(shown, report["totals"][total].as_u64().unwrap(), "{total}");
    }
    for (chart, _) in CHARTS {
        assert!(
            dom.contains(&format!("id=\"{chart}\"")),
            "{chart} is in the rendered page"
        );
    }
}

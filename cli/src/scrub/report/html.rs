//! The report as one self-contained HTML file, rendered from its JSON (so
//! the two never disagree): inline CSS with a print stylesheet, bar charts
//! as inline SVG with a title and description, and a table of the numbers
//! behind every chart. Nothing is fetched: no scripts, fonts, images or
//! links outside the file.

use std::fmt::Write as _;

use serde_json::Value;

/// Text escaped for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Doubled, so that a name holding the text `\u{1b}` never reads
            // like one holding the character it spells.
            '\\' => out.push_str("\\\\"),
            // A control character (a file name can hold one) is not allowed
            // in HTML or XML, even as a reference: it is shown by its code;
            // so are a tab and a line break, which HTML would show as a
            // space. A noncharacter (U+FDD0, U+FFFE, ...) is an HTML parse
            // error.
            c if c.is_control() || is_noncharacter(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether `c` is one of Unicode's 66 noncharacters.
fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => escape(text),
        Value::Null => "—".to_owned(),
        other => escape(&other.to_string()),
    }
}

/// The items of a JSON array, each escaped, joined with `separator`.
fn joined(items: &Value, separator: &str) -> String {
    let items: Vec<String> = items.as_array().into_iter().flatten().map(text).collect();
    items.join(separator)
}

/// The safe harbor's 31 days (16 CFR 310.4(b)(3)(iv)), in milliseconds.
const SAFE_HARBOR_MS: i64 = 31 * 86_400_000;

/// An age to the second (`31 d 00:00:01`), and to the millisecond when it
/// has one, so that a copy just past 31 days never reads as 31.0; `−`
/// before a copy obtained after the check.
fn age_text(ms: i64) -> String {
    let sign = if ms < 0 { "−" } else { "" };
    let ms = ms.unsigned_abs();
    let (seconds, millis) = (ms / 1000, ms % 1000);
    let mut text = format!(
        "{sign}{} d {:02}:{:02}:{:02}",
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60
    );
    if millis != 0 {
        let _ = write!(text, ".{millis:03}");
    }
    text
}

fn number(value: &Value) -> u64 {
    value.as_u64().unwrap_or(0)
}

const STYLE: &str = "
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 16px; max-width: 960px; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top;
         overflow-wrap: anywhere; }
/* A number or a phone is never broken across lines: its table scrolls. */
td.n, th.n, td.phone { overflow-wrap: normal; word-break: normal; white-space: nowrap; }
td.codes { overflow-wrap: normal; word-break: normal; }
/* A table wider than a phone scrolls in its own box, never the page. */
.table { overflow-x: auto; max-width: 100%; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; }
.total { flex: 1 1 140px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.total b { display: block; font-size: 1.6em; }
figure { margin: 8px 0 16px; }
svg { width: 100%; height: auto; display: block; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92em; word-break: break-all; }
.codes { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92em; }
.warn { color: #b42318; font-weight: 600; }
@media (max-width: 600px) {
  body { padding: 8px; font-size: 14px; }
  th, td { padding: 3px 4px; }
  /* A chart keeps a readable size and scrolls sideways on a phone. */
  figure { overflow-x: auto; }
  svg.chart { min-width: 620px; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, table, .total { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// Each chart's bar color: three reds, told apart in a screenshot.
pub(crate) const CHART_COLORS: [(&str, &str); 4] = [
    ("chart-reason", "#b42318"),
    ("chart-state", "#9a3412"),
    ("chart-hour", "#7a1f5c"),
    ("chart-exemption", "#1a7f37"),
];

/// The bar color of chart `id`.
fn chart_color(id: &str) -> &'static str {
    CHART_COLORS
        .iter()
        .find(|(chart, _)| *chart == id)
        .map_or("#b42318", |(_, color)| color)
}

/// The longest label a chart shows in full (the table beside it has all).
const LABEL_CHARS: usize = 34;

/// A horizontal bar chart of `bars` (`label`, count) with its title, as an
/// accessible SVG (`role="img"`, a title and a description listing the
/// numbers), or a sentence when there is nothing to draw. `id` names it;
/// `color` fills its bars (each chart its own, so that a screenshot shows
/// which one was drawn).
fn bar_chart(id: &str, title: &str, bars: &[(String, u64)], color: &str) -> String {
    if bars.iter().all(|(_, count)| *count == 0) {
        return format!(
            "<p class=\"muted\">{}: no refused rows.</p>\n",
            escape(title)
        );
    }
    let max = bars
        .iter()
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(1)
        .max(1);
    let (label_width, bar_width, row) = (262.0, 428.0, 22.0);
    let height = row * bars.len() as f64 + 8.0;
    let description: Vec<String> = bars
        .iter()
        .map(|(label, count)| format!("{label}: {count}"))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        label_width + bar_width + 90.0,
        escape(title),
        escape(&description.join("; "))
    );
    for (index, (label, count)) in bars.iter().enumerate() {
        let y = 4.0 + row * index as f64;
        let width =
            (*count as f64 / max as f64 * bar_width).max(if *count > 0 { 1.5 } else { 0.0 });
        let shown: String = if label.chars().count() > LABEL_CHARS {
            let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            label.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1b1f24\">{}</text>\
             <rect x=\"{label_width}\" y=\"{}\" width=\"{width:.1}\" height=\"{}\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#1b1f24\">{count}</text>",
            label_width - 6.0,
            y + 15.0,
            escape(&shown),
            y + 3.0,
            row - 6.0,
            label_width + width + 6.0,
            y + 15.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A chart and the table of its numbers.
fn chart_with_table(id: &str, title: &str, column: &str, bars: &[(String, u64)]) -> String {
    let mut html = format!(
        "<figure>\n{}\n",
        bar_chart(id, title, bars, chart_color(id))
    );
    if bars.iter().any(|(_, count)| *count > 0) {
        let _ = write!(
            html,
            "<div class=\"table\"><table aria-label=\"{}\"><thead><tr><th>{}</th><th class=\"n\">rows</th></tr></thead><tbody>",
            escape(title),
            escape(column)
        );
        for (label, count) in bars.iter().filter(|(_, count)| *count > 0) {
            let _ = write!(
                html,
                "<tr><td>{}</td><td class=\"n\">{count}</td></tr>",
                escape(label)
            );
        }
        html.push_str("</tbody></table></div>\n");
    }
    html.push_str("</figure>\n");
    html
}

fn bars_of(items: &Value, key: &str) -> Vec<(String, u64)> {
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    let label = match &item[key] {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (label, number(&item["rows"]))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The whole report.
pub(crate) fn render(report: &Value) -> String {
    let run = &report["run"];
    let totals = &report["totals"];
    let mut html = String::with_capacity(64 << 10);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>DNC scrub report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>DNC scrub report</h1>\n<p class=\"muted\">{} · {} · checked at {}</p>\n",
        text(&run["engine"]),
        text(&run["mode"]),
        text(&run["at"]),
    );

    html.push_str("<h2 id=\"totals\">Totals</h2>\n<div class=\"totals\">\n");
    for (key, label) in [
        ("rows", "rows"),
        ("allowed", "allowed"),
        ("refused", "refused"),
        ("invalid", "invalid"),
    ] {
        let _ = writeln!(
            html,
            "<div class=\"total\" id=\"total-{key}\"><b>{}</b>{label}</div>",
            number(&totals[key])
        );
    }
    html.push_str("</div>\n");

    html.push_str("<h2>Refused rows by reason</h2>\n<p class=\"muted\">A row counts once under each kind of reason that refuses it.</p>\n");
    html.push_str(&chart_with_table(
        "chart-reason",
        "Refused rows by reason",
        "reason",
        &bars_of(&report["refused_by_reason"], "reason"),
    ));
    html.push_str("<h2>Refused rows by state or province</h2>\n<p class=\"muted\">The states the number's area code serves.</p>\n");
    html.push_str(&chart_with_table(
        "chart-state",
        "Refused rows by state or province",
        "state or province",
        &bars_of(&report["refused_by_state"], "state"),
    ));
    html.push_str("<h2>Refused rows by the callee's local hour</h2>\n");
    let hours = &report["refused_by_local_hour"];
    let mut hour_bars: Vec<(String, u64)> = hours["hours"]
        .as_array()
        .map(|hours| {
            hours
                .iter()
                .map(|item| {
                    (
                        format!("{:02}:00", number(&item["hour"])),
                        number(&item["rows"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let unknown = number(&hours["unknown"]);
    if unknown > 0 {
        hour_bars.push(("hour not known".to_owned(), unknown));
    }
    html.push_str("<p class=\"muted\">At the instant checked, in the zones of the number's exchange; \"hour not known\" when the scrub had no instant or the zones disagree.</p>\n");
    html.push_str(&chart_with_table(
        "chart-hour",
        "Refused rows by the callee's local hour",
        "local hour",
        &hour_bars,
    ));

    html.push_str("<h2>Exemptions used</h2>\n<p class=\"muted\">Rows on which an exemption lifted a registry's refusal (an established business relationship, consent), by kind and registry; the table says how many were then allowed.</p>\n");
    let exemptions = report["exemptions_used"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let exemption_bars: Vec<(String, u64)> = exemptions
        .iter()
        .map(|item| {
            (
                item["exemption"].as_str().unwrap_or_default().to_owned(),
                number(&item["rows"]),
            )
        })
        .collect();
    if exemption_bars.is_empty() {
        html.push_str(if run["at"].is_null() {
            "<p class=\"muted\">None: registries and their exemptions are checked only in the dial decision (--at).</p>\n"
        } else {
            "<p class=\"muted\">No exemption was used.</p>\n"
        });
    } else {
        let _ = write!(
            html,
            "<figure>\n{}\n<div class=\"table\"><table aria-label=\"Exemptions used\"><thead><tr><th>exemption</th><th class=\"n\">rows</th><th class=\"n\">then allowed</th></tr></thead><tbody>",
            bar_chart(
                "chart-exemption",
                "Rows an exemption lifted a registry on",
                &exemption_bars,
                chart_color("chart-exemption")
            )
        );
        for item in &exemptions {
            let _ = write!(
                html,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                text(&item["exemption"]),
                number(&item["rows"]),
                number(&item["then_allowed"])
            );
        }
        html.push_str("</tbody></table></div>\n</figure>\n");
    }

    html.push_str("<h2>The run</h2>\n<div class=\"table\"><table><tbody>");
    for (label, value) in [
        ("engine", &run["engine"]),
        ("mode", &run["mode"]),
        ("instant checked (--at)", &run["at"]),
        ("report written", &run["written_by"]),
        ("written at (the host's clock)", &run["written_at"]),
        (
            "phones the NANP normalization changed",
            &run["normalized_phones"],
        ),
    ] {
        let _ = write!(html, "<tr><th>{label}</th><td>{}</td></tr>", text(value));
    }
    let options: Vec<String> = run["options"]
        .as_object()
        .map(|options| {
            options
                .iter()
                .filter(|(_, on)| on.as_bool() == Some(true))
                .map(|(name, _)| format!("--{}", name.replace('_', "-")))
                .collect()
        })
        .unwrap_or_default();
    let _ = write!(
        html,
        "<tr><th>options</th><td>{}</td></tr>",
        if options.is_empty() {
            "none".to_owned()
        } else {
            escape(&options.join(" "))
        }
    );
    let skipped = &run["skipped_list_rows"];
    let _ = write!(
        html,
        "<tr><th>list rows skipped (--skip-bad-rows)</th><td>{}</td></tr>",
        number(&skipped["total"])
    );
    html.push_str("</tbody></table></div>\n<div class=\"table\"><table><thead><tr><th>input</th><th>file</th><th class=\"n\">bytes</th><th>SHA-256</th><th>read by</th></tr></thead><tbody>");
    for input in run["inputs"].as_array().into_iter().flatten() {
        // A file a setup line read is named with that line and its op.
        let read_by = match (input["setup_line"].as_u64(), input["op"].as_str()) {
            (Some(line), Some(op)) => format!("setup line {line}: {}", escape(op)),
            _ => "the scrub".to_owned(),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"n\">{}</td><td class=\"mono\">{}</td><td>{read_by}</td></tr>",
            text(&input["flag"]),
            text(&input["path"]),
            number(&input["bytes"]),
            text(&input["sha256"])
        );
    }
    html.push_str("</tbody></table></div>\n");
    let skipped_rows = skipped["listed"].as_array().cloned().unwrap_or_default();
    if !skipped_rows.is_empty() {
        html.push_str("<p class=\"warn\">List rows were skipped: what they would have blocked was not checked.</p>\n<div class=\"table\"><table><thead><tr><th>file</th><th class=\"n\">line</th><th>why</th></tr></thead><tbody>");
        for row in &skipped_rows {
            let _ = write!(
                html,
                "<tr><td class=\"mono\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                text(&row["file"]),
                number(&row["line"]),
                text(&row["reason"])
            );
        }
        html.push_str("</tbody></table></div>\n");
    }

    html.push_str("<h2>Registry copies used</h2>\n");
    let copies = report["registry_copies"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if copies.is_empty() {
        html.push_str("<p class=\"muted\">No registry copy was used.</p>\n");
    } else {
        html.push_str("<p class=\"muted\">The safe harbor asks for a copy no older than 31 days at the check.</p>\n<div class=\"table\"><table><thead><tr><th>source</th><th>obtained</th><th class=\"n\">age at the check (days, h:min:s)</th><th>status</th><th>area codes checked</th><th class=\"n\">checks</th></tr></thead><tbody>");
        for copy in &copies {
            let ms = copy["age_ms_at_check"].as_i64();
            let age = ms.map_or_else(|| "—".to_owned(), age_text);
            let status = match ms {
                Some(ms) if ms < 0 => {
                    "<span class=\"warn\">obtained after the check: not a copy the check could use</span>"
                }
                Some(ms) if ms > SAFE_HARBOR_MS => {
                    "<span class=\"warn\">older than 31 days: not a safe-harbor copy</span>"
                }
                Some(_) => "within 31 days",
                None => "—",
            };
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{age}</td><td>{status}</td><td class=\"codes\">{}</td><td class=\"n\">{}</td></tr>",
                text(&copy["source"]),
                text(&copy["obtained"]),
                joined(&copy["area_codes"], ", "),
                number(&copy["checks"])
            );
        }
        html.push_str("</tbody></table></div>\n");
    }

    let invalid = &report["invalid_rows"];
    let (total, shown) = (
        number(&invalid["total"]),
        invalid["listed"].as_array().map_or(0, Vec::len),
    );
    let told = match (total, shown as u64) {
        (0, _) => "No row was invalid.".to_owned(),
        (1, _) => "1 invalid row, listed with the line it starts on and its error code.".to_owned(),
        (total, shown) if shown == total => {
            format!(
                "{total} invalid rows, each listed with the line it starts on and its error code."
            )
        }
        (total, shown) => format!(
            "{total} invalid rows; the first {shown} are listed with the line each starts on and its error code."
        ),
    };
    let _ = write!(
        html,
        "<h2>Invalid rows</h2>\n<p class=\"muted\">{told} An invalid row is never counted as allowed.</p>\n"
    );
    let listed = invalid["listed"].as_array().cloned().unwrap_or_default();
    if !listed.is_empty() {
        html.push_str(
            "<div class=\"table\"><table><thead><tr><th class=\"n\">line</th><th>error</th></tr></thead><tbody>",
        );
        for row in &listed {
            let _ = write!(
                html,
                "<tr><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
                number(&row["line"]),
                text(&row["code"])
            );
        }
        html.push_str("</tbody></table></div>\n");
    }

    let sample = report["refused_sample"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let told = match (number(&report["totals"]["refused"]), sample.len() as u64) {
        (_, 0) => "No row was refused.".to_owned(),
        (1, 1) => "The one refused row, with every reason.".to_owned(),
        (refused, shown) if shown == refused => {
            format!("All {shown} refused rows, each with every reason.")
        }
        (_, 1) => "The first refused row, with every reason.".to_owned(),
        (_, shown) => format!("The first {shown} refused rows, each with every reason."),
    };
    let _ = write!(
        html,
        "<h2>Refused rows, a sample</h2>\n<p class=\"muted\">{told}</p>\n"
    );
    if !sample.is_empty() {
        html.push_str("<div class=\"table\"><table><thead><tr><th class=\"n\">line</th><th>phone</th><th>reasons</th><th>why</th></tr></thead><tbody>");
        for row in &sample {
            let _ = write!(
                html,
                "<tr><td class=\"n\">{}</td><td class=\"mono phone\">{}</td><td>{}</td><td>{}</td></tr>",
                number(&row["line"]),
                text(&row["phone"]),
                joined(&row["reasons"], "; "),
                text(&row["explanation"])
            );
        }
        html.push_str("</tbody></table></div>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_age_is_shown_to_the_second_and_never_rounded_onto_the_boundary() {
        assert_eq!(age_text(SAFE_HARBOR_MS), "31 d 00:00:00");
        assert_eq!(age_text(SAFE_HARBOR_MS + 1000), "31 d 00:00:01");
        assert_eq!(age_text(SAFE_HARBOR_MS + 1), "31 d 00:00:00.001");
        assert_eq!(age_text(-27_000_000), "−0 d 07:30:00");
        assert_eq!(age_text(0), "0 d 00:00:00");
    }

    #[test]
    fn control_characters_are_shown_by_their_code_and_markup_is_escaped() {
        assert_eq!(
            escape("calls\u{1}\u{1b}[31m<b>&\"'.csv\ttab\nline\r"),
            "calls\\u{1}\\u{1b}[31m&lt;b&gt;&amp;&quot;&#39;.csv\\u{9}tab\\u{a}line\\u{d}"
        );
        assert_eq!(escape("\u{7f}\u{85}"), "\\u{7f}\\u{85}");
    }

    #[test]
    fn a_name_that_spells_an_escape_reads_apart_from_the_character() {
        assert_eq!(escape("a\\u{1b}"), "a\\\\u{1b}");
        assert_eq!(escape("a\u{1b}"), "a\\u{1b}");
        assert_ne!(escape("a\\u{1b}"), escape("a\u{1b}"));
    }

    #[test]
    fn noncharacters_are_shown_by_their_code() {
        assert_eq!(
            escape("x\u{fdd0}\u{fffe}\u{10ffff}"),
            "x\\u{fdd0}\\u{fffe}\\u{10ffff}"
        );
        assert_eq!(escape("\u{fdcf}\u{fdf0}é"), "\u{fdcf}\u{fdf0}é");
    }
}

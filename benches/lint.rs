//! Benchmark of `redline lint`'s text rendering: a file of N headings without ids gives N
//! `missing-id` diagnostics (and, with a few duplicated ids, far-apart related places); the
//! rendering must stay linear in N. Prints the best of a few runs of checking and of rendering
//! for N = 2 000, 10 000 and 50 000, and the rendering time per diagnostic.
//!
//! `cargo bench --bench lint`.

use redline::lint::{Context, LintReport, check_structure};
use std::time::{Duration, Instant};

const RUNS: usize = 3;

fn best(times: &[Duration]) -> Duration {
    *times.iter().min().unwrap()
}

fn main() {
    for n in [2_000usize, 10_000, 50_000] {
        let mut text = String::from("# Title {#title}\n\nintro\n\n## First {#dup}\n\nx\n\n");
        for i in 0..n {
            text.push_str(&format!("## Heading {i}\n\nbody {i}\n\n"));
            if i % 1000 == 999 {
                // A duplicate of an id used at the top: a related place far away.
                text.push_str("## Again {#dup}\n\ny\n\n");
            }
        }
        let (mut check_t, mut render_t) = (vec![], vec![]);
        let mut diagnostics = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let (doc, problems) = redline::document::parse_lenient("h.md", &text);
            let found = check_structure("h.md", &text, &doc, &problems, &Context::default());
            check_t.push(start.elapsed());
            let mut report = LintReport {
                diagnostics: found,
                sources: [("h.md".to_string(), text.clone())].into(),
                files: vec!["h.md".to_string()],
            };
            report.finish();
            diagnostics = report.diagnostics.len();
            let start = Instant::now();
            let out = report.to_text(false);
            render_t.push(start.elapsed());
            assert!(out.len() > diagnostics * 50, "every diagnostic is rendered");
        }
        let render = best(&render_t);
        println!(
            "lint {n:>6} headings: {diagnostics:>6} diagnostics, check {:>8.1} ms, render {:>8.1} ms ({:.1} us per diagnostic)",
            best(&check_t).as_secs_f64() * 1000.0,
            render.as_secs_f64() * 1000.0,
            render.as_secs_f64() * 1e6 / diagnostics as f64
        );
    }
}

//! Every golden machine rendered in every format equals its golden file.

use crate::support::{check_golden, graph, machines};

#[test]
fn every_format_matches_its_golden_file() {
    let names = machines();
    assert!(names.len() >= 4, "{names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let g = graph(name);
        for (ext, text) in [
            ("svg", g.to_svg()),
            ("mmd", g.to_mermaid()),
            ("dot", g.to_dot()),
        ] {
            if let Err(e) = check_golden(&format!("{name}.{ext}"), &text) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_is_deterministic() {
    for name in machines() {
        assert_eq!(graph(&name).to_svg(), graph(&name).to_svg(), "{name}");
        assert_eq!(
            graph(&name).to_mermaid(),
            graph(&name).to_mermaid(),
            "{name}"
        );
    }
}

#[test]
fn mermaid_marks_choice_rules_default_and_catch() {
    let text = graph("every_state").to_mermaid();
    assert!(text.starts_with("flowchart TD\n"));
    assert!(text.contains(r#"-->|"$.sum #gt; 0"|"#), "{text}");
    assert!(
        text.contains(r#"-->|"And($.kind == #quot;a#quot;, $.retry == true)"|"#),
        "{text}"
    );
    assert!(text.contains(r#"-->|"Default"|"#), "{text}");
    assert!(text.contains(r#"-.->|"Catch: States.ALL"|"#), "{text}");
    assert!(
        text.contains("↻ 3× States.Timeout, States.TaskFailed"),
        "{text}"
    );
    assert!(text.contains("Map · Distributed"), "{text}");
    assert!(text.contains("subgraph"), "{text}");
}

#[test]
fn dot_has_clusters_and_dashed_catches() {
    let text = graph("nested").to_dot();
    assert!(text.starts_with("digraph machine {"));
    for cluster in [
        "cluster_s0",
        "cluster_s0_b0",
        "cluster_s1_items",
        "cluster_s2_b1",
    ] {
        assert!(text.contains(cluster), "{cluster} in {text}");
    }
    let text = graph("every_state").to_dot();
    assert!(text.contains("style=dashed"), "{text}");
    assert!(text.contains("lhead=cluster_"), "{text}");
}

#[test]
fn jsonata_conditions_lose_their_delimiters() {
    let text = graph("jsonata").to_mermaid();
    assert!(
        text.contains(r#"|"$states.input.count #gt; 10 and $states.in…"|"#),
        "{text}"
    );
}

//! Compile-fail and compile-pass tests of `#[activity]`, `state_machine!` and
//! `#[derive(TaskError)]`. Regenerate the `.stderr` files with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}

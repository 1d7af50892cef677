//! The link dialog's work over 5,000 credit notes: `linkable` (which rows can be picked) and
//! `plan_allocations` (the preview and the server's re-check), against a baseline measured in
//! the same run: one pass that only copies the notes, the least any plan has to do.

use std::hint::black_box;

use app::domain::{linkable, plan_allocations};
use creditdesk_bench::{customer_with_notes, select_all};
use criterion::{Criterion, criterion_group, criterion_main};

const NOTES: usize = 5_000;

fn link_dialog(c: &mut Criterion) {
    let (invoice, notes) = customer_with_notes(NOTES);
    let rows = linkable(&invoice, &notes);
    let requests = select_all(&rows);
    assert!(plan_allocations(&invoice, &notes, &requests).is_ok());

    let mut group = c.benchmark_group("link_dialog_5000_notes");
    group.bench_function("baseline_copy_notes", |b| {
        b.iter(|| black_box(notes.clone()))
    });
    group.bench_function("linkable", |b| {
        b.iter(|| linkable(black_box(&invoice), black_box(&notes)))
    });
    group.bench_function("plan_allocations_all_selectable", |b| {
        b.iter(|| plan_allocations(black_box(&invoice), black_box(&notes), black_box(&requests)))
    });
    group.bench_function("linkable_then_plan", |b| {
        b.iter(|| {
            let rows = linkable(black_box(&invoice), black_box(&notes));
            let requests = select_all(&rows);
            plan_allocations(&invoice, &notes, &requests)
        })
    });
    group.finish();
}

criterion_group!(benches, link_dialog);
criterion_main!(benches);
